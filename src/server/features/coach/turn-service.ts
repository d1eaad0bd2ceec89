import { v7 as uuidv7 } from 'uuid';
import type { CreateTurnBody, SafetyCategory, Turn, TurnPage } from '../../../contract/coach.js';
import { PLATFORM_LIMITS, type Platform } from '../../../contract/constants.js';
import type { PageQuery } from '../../../contract/common.js';
import type { AuthUser } from '../../platform/auth.js';
import { decodeCursor, pageOf } from '../../platform/cursor.js';
import { AppError } from '../../platform/errors.js';
import { plainPhases, type GenerationPhases } from '../../platform/idempotency-generation.js';
import type { AiAnswer, AiEnvelope, Reservation } from '../ai/gateway-types.js';
import { draftNotFound, segmentNotFound } from '../drafts/errors.js';
import type { CoachDeps } from './deps.js';
import { coachUnavailable, turnNotFound } from './errors.js';
import { noticeFor } from '../safety/copy.js';
import { fitSuggestions } from './turn-fit.js';
import { parseTurnAnswer } from './turn-format.js';
import { turnEnvelope } from './turn-prompt.js';
import * as repo from './turn-repo.js';

export function presentTurn(row: repo.TurnRow): Turn {
  const platform = row.platform as Platform;
  return {
    id: row.id,
    text: row.text,
    platform,
    limit: PLATFORM_LIMITS[platform],
    source: row.draftId !== null && row.segmentId !== null ? { draftId: row.draftId, segmentId: row.segmentId } : null,
    suggestions: row.suggestions,
    provider: row.provider as Turn['provider'],
    fallback: row.fallback,
    safety: row.safetyCategory === null ? null : noticeFor(row.safetyCategory as SafetyCategory),
    createdAt: row.createdAt.toISOString(),
  };
}

/** What phase 1 hands the model call: the pending row, the call, and its reservation. */
type PendingTurn = { row: repo.TurnRow; envelope: AiEnvelope; reservation: Reservation };

type Subject = { text: string; platform: Platform; draftId: string | null; segmentId: string | null };

/** What to reframe: the free text, or a post of a draft the user is a member of (else 404). */
async function subjectOf(tx: CoachDeps['db'], userId: string, body: CreateTurnBody): Promise<Subject> {
  if ('text' in body) return { text: body.text, platform: body.platform ?? 'x', draftId: null, segmentId: null };
  const post = await repo.findDraftPost(tx, userId, body.draftId, body.segmentId);
  if (!post?.member) throw draftNotFound();
  if (post.content === null) throw segmentNotFound();
  return { text: post.content, platform: post.platform as Platform, draftId: body.draftId, segmentId: body.segmentId };
}

/**
 * A Turn, in two phases around the model call (see GenerationPhases). Phase 1: the safety precheck, the
 * `coach.turns_per_day` gate, the pending row, and last the budget reservation; a safety match
 * answers at once with the notice, stores none of the text and uses no turn. The call itself holds no
 * transaction. Phase 2 stores the fitted suggestions. A failed call marks the turn failed (it counts
 * nothing) and answers 503.
 */
export async function createTurn(deps: CoachDeps, user: AuthUser, body: CreateTurnBody, phases: GenerationPhases<Turn> = plainPhases(deps.db)): Promise<Turn> {
  const opened = await phases.open<PendingTurn>(async ({ tx }) => {
    const now = deps.clock.now();
    const subject = await subjectOf(tx, user.id, body);
    const envelope = turnEnvelope(user.id, deps.ai.status().model, subject.platform, subject.text);
    const safety = await deps.ai.screen(tx, envelope);
    const row: repo.TurnRow = {
      id: uuidv7(),
      userId: user.id,
      draftId: subject.draftId,
      segmentId: subject.segmentId,
      platform: subject.platform,
      text: subject.text,
      status: 'pending',
      suggestions: [],
      provider: null,
      fallback: false,
      safetyCategory: null,
      createdAt: now,
      updatedAt: now,
    };
    if (safety) {
      const answered = { ...row, text: '', status: 'safety', safetyCategory: safety.category };
      await repo.insertTurn(tx, answered);
      return { answered: { ...presentTurn(answered), safety } };
    }
    await deps.enforce(tx, user.id, 'coach.turns_per_day', now);
    await repo.insertTurn(tx, row);
    // Last: the budget rows it locks are shared by every user, so they are held only until the commit.
    return { pending: { row, envelope, reservation: await deps.ai.reserve(tx, envelope) } };
  });
  if ('answered' in opened) return opened.answered;
  const { row, envelope, reservation } = opened.pending;

  let answer: AiAnswer;
  try {
    answer = await deps.ai.generate(envelope, reservation);
  } catch (error) {
    await markFailed(deps, row.id);
    throw error instanceof AppError ? error : coachUnavailable();
  }
  const suggestions = fitSuggestions(row.platform as Platform, parseTurnAnswer(answer.text));
  // An answer with no usable rewrite is no answer: the turn is not used up on it.
  if (suggestions.length === 0) {
    await markFailed(deps, row.id);
    throw coachUnavailable();
  }
  try {
    return await phases.finish(async ({ tx }) => {
      const changes = { status: 'done', suggestions, provider: answer.provider, fallback: answer.fallback, updatedAt: deps.clock.now() };
      await repo.updateTurn(tx, row.id, changes);
      return presentTurn({ ...row, ...changes });
    });
  } catch (error) {
    // The answer could not be stored: a turn left pending would count against the day until its lease ran out.
    await markFailed(deps, row.id);
    throw error;
  }
}

/** A failed turn counts against nothing and is no part of the history. */
async function markFailed(deps: CoachDeps, id: string): Promise<void> {
  await deps.db.transaction((tx) => repo.updateTurn(tx, id, { status: 'failed', updatedAt: deps.clock.now() }));
}

export async function listTurns(deps: Pick<CoachDeps, 'db'>, user: AuthUser, query: PageQuery): Promise<TurnPage> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const rows = await repo.listTurns(deps.db, user.id, query.limit, after);
  return pageOf(rows, query.limit, (row) => ({ at: row.createdAt, id: row.id }), presentTurn);
}

export async function getTurn(deps: Pick<CoachDeps, 'db'>, user: AuthUser, id: string): Promise<Turn> {
  const row = await repo.findTurn(deps.db, user.id, id);
  if (!row) throw turnNotFound();
  return presentTurn(row);
}
