import { v7 as uuidv7 } from 'uuid';
import {
  MIRROR_MAX_MESSAGES,
  type CreateMirrorSessionBody,
  type MirrorExchange,
  type MirrorMessage,
  type MirrorSession,
  type SafetyCategory,
} from '../../../contract/coach.js';
import type { PageQuery } from '../../../contract/common.js';
import type { AuthUser } from '../../platform/auth.js';
import { decodeCursor, pageOf } from '../../platform/cursor.js';
import { AppError } from '../../platform/errors.js';
import { plainPhases, type GenerationPhases } from '../../platform/idempotency-generation.js';
import { transaction, type Transact } from '../../platform/unit-of-work.js';
import type { AiAnswer, AiEnvelope, AiStream, Reservation } from '../ai/gateway-types.js';
import { draftNotFound } from '../drafts/errors.js';
import type { CoachDeps } from './deps.js';
import { coachUnavailable, sessionFull, sessionNotFound } from './errors.js';
import { MIRROR_CONTEXT_MESSAGES, mirrorEnvelope } from './mirror-prompt.js';
import * as repo from './mirror-repo.js';
import { noticeFor } from '../safety/copy.js';

/** A session's title when none is given and it is about no draft. */
const DEFAULT_TITLE = 'Reflection';

export function presentSession(row: repo.SessionView): MirrorSession {
  return {
    id: row.id,
    title: row.title,
    draftId: row.visibleDraftId,
    messageCount: row.messageCount,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function presentMessage(row: repo.MessageRow): MirrorMessage {
  return {
    id: row.id,
    role: row.role as MirrorMessage['role'],
    content: row.content,
    provider: row.provider as MirrorMessage['provider'],
    fallback: row.fallback,
    complete: row.complete,
    safety: row.safetyCategory === null ? null : noticeFor(row.safetyCategory as SafetyCategory),
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * A new session, optionally about a draft the user is a member of (404 otherwise). Counts against
 * `coach.mirror_sessions_per_week` (403 quota_exceeded past it, nothing written).
 */
export async function createSession(deps: CoachDeps & { transact?: Transact }, user: AuthUser, body: CreateMirrorSessionBody): Promise<MirrorSession> {
  return (deps.transact ?? transaction(deps.db))(async ({ tx }) => {
    const now = deps.clock.now();
    const draftTitle = body.draftId === undefined ? undefined : await repo.draftTitleFor(tx, user.id, body.draftId);
    if (body.draftId !== undefined && draftTitle === undefined) throw draftNotFound();
    await deps.enforce(tx, user.id, 'coach.mirror_sessions_per_week', now);
    const given = body.title?.trim() ?? '';
    const row: repo.SessionRow = {
      id: uuidv7(),
      userId: user.id,
      draftId: body.draftId ?? null,
      title: given.length > 0 ? given : (draftTitle ?? DEFAULT_TITLE),
      messageCount: 0,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    await repo.insertSession(tx, row);
    return presentSession({ ...row, visibleDraftId: row.draftId });
  });
}

export async function listSessions(deps: Pick<CoachDeps, 'db'>, user: AuthUser, query: PageQuery) {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const rows = await repo.listSessions(deps.db, user.id, query.limit, after);
  return pageOf(rows, query.limit, (row) => ({ at: row.updatedAt, id: row.id }), presentSession);
}

export async function getSession(deps: Pick<CoachDeps, 'db'>, user: AuthUser, id: string): Promise<MirrorSession> {
  const row = await repo.findSession(deps.db, user.id, id);
  if (!row) throw sessionNotFound();
  return presentSession(row);
}

export async function listMessages(deps: Pick<CoachDeps, 'db'>, user: AuthUser, id: string, query: PageQuery) {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  if (!(await repo.findSession(deps.db, user.id, id))) throw sessionNotFound();
  const rows = await repo.listMessages(deps.db, id, query.limit, after);
  return pageOf(rows, query.limit, (row) => ({ at: row.createdAt, id: row.id }), presentMessage);
}

/** Deletes a session and its messages; it still counts in its week's `coach.mirror_sessions_per_week`. */
export async function deleteSession(deps: Pick<CoachDeps, 'db' | 'clock'> & { transact?: Transact }, user: AuthUser, id: string): Promise<void> {
  await (deps.transact ?? transaction(deps.db))(async ({ tx }) => {
    if (!(await repo.deleteSession(tx, user.id, id, deps.clock.now()))) throw sessionNotFound();
  });
}

/** What phase 1 hands the model call: the stored user message, the call, and its reservation. */
type PendingReply = { message: repo.MessageRow; envelope: AiEnvelope; reservation: Reservation };

/** Who hears a reply as it is made (the event stream): the stored user message, then each piece of text. */
export type ReplyListener = { opened(message: MirrorMessage): void; delta(text: string): void };
export type SendOptions = { listener?: ReplyListener; signal?: AbortSignal };

/**
 * One exchange, in two phases around the model call (see GenerationPhases). Phase 1 locks the session
 * (one exchange at a time; 409 mirror_session_full when the user's message and a reply would pass
 * MIRROR_MAX_MESSAGES), runs the safety precheck, stores the user's message with the reply's place counted,
 * and last reserves the budget. A safety match stores the notice as the coach's message and
 * answers at once. The streamed call holds no transaction; when `signal` aborts (the client left) the
 * stream is cancelled. Phase 2 stores the reply: `complete: false` when the stream was cut.
 */
export async function sendMessage(
  deps: CoachDeps,
  user: AuthUser,
  sessionId: string,
  content: string,
  phases: GenerationPhases<MirrorExchange> = plainPhases(deps.db),
  options: SendOptions = {},
): Promise<MirrorExchange> {
  const opened = await phases.open<PendingReply>(async ({ tx }) => {
    const session = await repo.lockSession(tx, user.id, sessionId);
    if (!session) throw sessionNotFound();
    if (session.messageCount + 2 > MIRROR_MAX_MESSAGES) throw sessionFull(MIRROR_MAX_MESSAGES);
    const now = deps.clock.now();
    const draft = session.draftId === null ? undefined : await repo.draftTextFor(tx, user.id, session.draftId);
    const history = await repo.recentMessages(tx, session.id, MIRROR_CONTEXT_MESSAGES);
    const envelope = mirrorEnvelope(user.id, deps.ai.status().model, { draft: draft ?? null, history, content });
    const safety = await deps.ai.screen(tx, envelope);
    const message: repo.MessageRow = {
      id: uuidv7(),
      sessionId,
      role: 'user',
      content,
      provider: null,
      fallback: false,
      complete: true,
      safetyCategory: null,
      createdAt: now,
    };
    await repo.updateSession(tx, sessionId, { messageCount: session.messageCount + 2, updatedAt: now });
    if (safety) {
      // As with a Turn, words the precheck held back are not kept: my message is stored empty, before the notice.
      const held = { ...message, content: '' };
      const reply = { ...message, id: uuidv7(), role: 'coach', content: safety.message, safetyCategory: safety.category };
      await repo.insertMessages(tx, [held, reply]);
      return { answered: { message: presentMessage(held), reply: { ...presentMessage(reply), safety } } };
    }
    await repo.insertMessages(tx, [message]);
    // Last: the budget rows it locks are shared by every user, so they are held only until the commit.
    return { pending: { message, envelope, reservation: await deps.ai.reserve(tx, envelope) } };
  });
  if ('answered' in opened) return opened.answered;
  const { message, envelope, reservation } = opened.pending;
  options.listener?.opened(presentMessage(message));

  try {
    const reply = await streamReply(() => deps.ai.stream(envelope, reservation), options);
    return await storeReply(deps, user, sessionId, message, reply, phases);
  } catch (error) {
    // No reply: my message goes too, with both places, so the session never holds a message without its reply.
    await deps.db.transaction((tx) => repo.withdrawMessage(tx, sessionId, message.id));
    throw error;
  }
}

/** Phase 2: stores the reply (`complete: false` when the stream was cut). */
async function storeReply(
  deps: CoachDeps,
  user: AuthUser,
  sessionId: string,
  message: repo.MessageRow,
  reply: { text: string; answer: AiAnswer },
  phases: GenerationPhases<MirrorExchange>,
): Promise<MirrorExchange> {
  return phases.finish(async ({ tx }) => {
    if (!(await repo.lockSession(tx, user.id, sessionId))) throw sessionNotFound();
    const now = deps.clock.now();
    const row: repo.MessageRow = {
      id: uuidv7(),
      sessionId,
      role: 'coach',
      content: reply.text,
      provider: reply.answer.provider,
      fallback: reply.answer.fallback,
      complete: reply.answer.finishReason !== 'cut',
      safetyCategory: null,
      createdAt: now,
    };
    await repo.insertMessages(tx, [row]);
    await repo.updateSession(tx, sessionId, { updatedAt: now });
    return { message: presentMessage(message), reply: presentMessage(row) };
  });
}

/**
 * Runs the streamed call, passing each piece on, and answers the text as it was passed on (what the client
 * saw) with the gateway's answer. A call that fails answers 503.
 */
async function streamReply(
  start: () => Promise<AiStream>,
  { listener, signal }: SendOptions,
): Promise<{ text: string; answer: AiAnswer }> {
  let text = '';
  try {
    const stream = await start();
    const stop = () => stream.cancel();
    signal?.addEventListener('abort', stop, { once: true });
    if (signal?.aborted) stop();
    try {
      for await (const delta of stream.deltas) {
        text += delta;
        listener?.delta(delta);
      }
    } catch {
      // A broken stream ends its pieces here; its answer tells how it ended (`cut`) or that it failed.
    } finally {
      signal?.removeEventListener('abort', stop);
    }
    const answer = await stream.answer;
    return { text: text.length > 0 ? text : answer.text, answer };
  } catch (error) {
    throw error instanceof AppError ? error : coachUnavailable();
  }
}
