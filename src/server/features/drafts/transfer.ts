import type { Draft } from '../../../contract/drafts.js';
import { formatThread, splitThread } from '../../../contract/thread-text.js';
import { IMPORT_MAX_POSTS, type DraftExport, type ExportFormat, type ImportDraftBody } from '../../../contract/transfer.js';
import type { AuthUser } from '../../platform/auth.js';
import { MAX_FIELD_ERRORS, ValidationError, type FieldError } from '../../platform/errors.js';
import { transaction } from '../../platform/unit-of-work.js';
import { recordEvents } from '../events/log.js';
import { checkTitle, segmentProblem } from './content.js';
import { presentSegment } from './present.js';
import * as repo from './repo.js';
import { announceCommitted, getDraft, loadDraftView, newSegment, openDraft, type DraftsDeps } from './service.js';

/** A thread written out for download. */
export type ThreadFile = { filename: string; contentType: string; body: string | DraftExport };

const FILES: Record<ExportFormat, { extension: string; contentType: string }> = {
  text: { extension: 'txt', contentType: 'text/plain; charset=utf-8' },
  markdown: { extension: 'md', contentType: 'text/markdown; charset=utf-8' },
  json: { extension: 'json', contentType: 'application/json; charset=utf-8' },
};

/** The draft's thread as a file: the same draft and options always give the same bytes. */
export async function exportDraft(
  deps: DraftsDeps,
  actor: AuthUser,
  draftId: string,
  options: { format: ExportFormat; numbered: boolean },
): Promise<ThreadFile> {
  const draft = await getDraft(deps, actor, draftId);
  const { extension, contentType } = FILES[options.format];
  const filename = `${fileSlug(draft.title)}.${extension}`;
  if (options.format === 'json') return { filename, contentType, body: exportJson(draft, options.numbered) };
  const posts = draft.segments.map((s) => s.content);
  const text = formatThread(posts, { format: options.format, numbered: options.numbered, title: draft.title });
  return { filename, contentType, body: `${text}\n` };
}

function exportJson(draft: Draft, numbered: boolean): DraftExport {
  const total = draft.segments.length;
  return {
    id: draft.id,
    title: draft.title,
    platform: draft.platform,
    status: draft.status,
    lastServerSeq: draft.lastServerSeq,
    posts: draft.segments.map((s) => ({
      id: s.id,
      position: s.position,
      ...(numbered ? { label: `${s.position + 1}/${total}` } : {}),
      content: s.content,
      authorId: s.authorId,
      authorDisplay: s.authorDisplay,
    })),
  };
}

const SLUG_MAX = 60;

/** A file name from a title: ASCII letters and digits joined by hyphens ("Café déjà vu!" → "cafe-deja-vu"). */
export function fileSlug(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, SLUG_MAX)
    .replace(/^-+|-+$/g, '');
  return slug.length > 0 ? slug : 'thread';
}

/**
 * Creates a draft from pasted text, one segment per part (`splitThread`), the importer its owner and ring
 * holder. Every part is checked against the platform first: one bad part refuses the whole import, naming
 * each bad part. The draft, its segments and their events are written in one transaction.
 */
export async function importDraft(deps: DraftsDeps, actor: AuthUser, input: ImportDraftBody): Promise<Draft> {
  const posts = splitThread(input.text);
  const title = checkTitle(input.title);
  const problems = [...(title.ok ? [] : [{ path: 'body.title', message: title.message }]), ...threadProblems(posts, input.platform)];
  if (!title.ok || problems.length > 0) throw refusedImport(problems);
  const now = deps.clock.now();
  const transact = deps.transact ?? transaction(deps.db);
  return transact(async ({ tx, afterCommit }) => {
    await deps.enforce(tx, actor.id, 'drafts.max', now);
    const draft = await openDraft(tx, actor, title.value, input.platform, now);
    const rows = posts.map((content, position) => ({ ...newSegment(draft.id, actor.id, content, now), position }));
    const events = rows.map((row) => ({
      type: 'segment.appended' as const,
      payload: { segment: presentSegment({ ...row, authorName: actor.displayName }) },
      actorId: actor.id,
    }));
    await recordEvents(tx, draft, { events, draftChanges: { segmentCount: rows.length }, alongside: [repo.segmentsInsert(rows)] }, now);
    afterCommit(() => announceCommitted(deps, draft.id, draft.lastServerSeq, [actor.id]));
    return loadDraftView(tx, draft);
  });
}

function refusedImport(problems: FieldError[]): ValidationError {
  if (problems.length === 1) return new ValidationError(problems, problems[0]!.message);
  const listed = problems.length > MAX_FIELD_ERRORS ? `; the first ${MAX_FIELD_ERRORS} are listed` : '';
  return new ValidationError(problems, `${problems.length} fields need a change before this thread can come in${listed}.`);
}

function threadProblems(posts: string[], platform: ImportDraftBody['platform']): FieldError[] {
  if (posts.length === 0) return [{ path: 'body.text', message: 'Paste the thread: posts separated by a blank line or a line of ---.' }];
  if (posts.length > IMPORT_MAX_POSTS) {
    return [{ path: 'body.text', message: `This is ${posts.length} posts; one import takes at most ${IMPORT_MAX_POSTS}. Split the thread in two.` }];
  }
  return posts.flatMap((content, index) => {
    const problem = segmentProblem(content, platform);
    return problem ? [{ path: `body.text[${index}]`, message: `Post ${index + 1}: ${problem}` }] : [];
  });
}
