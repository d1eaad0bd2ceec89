import type { QueryClient } from '@tanstack/react-query';
import type {
  CreateActionBody,
  CreateGoalBody,
  CreateMirrorSessionBody,
  CreateTurnBody,
  DayActions,
  GoalDetail,
  GoalWithSafety,
  GoalPage,
  GoalStatus,
  LensAction,
  MirrorDelta,
  MirrorExchange,
  MirrorMessage,
  MirrorMessagePage,
  MirrorSession,
  MirrorSessionPage,
  Turn,
  TurnPage,
  UpdateActionBody,
  UpdateGoalBody,
} from '../../contract/coach.js';
import type { Problem } from '../../contract/common.js';
import { api, ApiError, type ApiClient } from './client.js';
import { readSse } from './sse.js';

/** What a streamed Mirror reply reports as it goes: the user's message once stored, then the reply's text. */
export type MirrorStreamHandlers = {
  onMessage(message: MirrorMessage): void;
  onDelta(text: string): void;
};

/** Thrown when a streamed reply stopped before its `done` (the connection broke); the server keeps what came. */
export class StreamCutError extends Error {
  constructor() {
    super('The connection broke before the reply was finished.');
  }
}

/** How many items a page of a coach list holds in the app (the API's default). */
export const COACH_PAGE_SIZE = 20;

const cursorParam = (cursor?: string) => (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');

/** Every page of a list, one after another (for a session's messages: at most 100, one page). */
async function allPages<T>(read: (cursor?: string) => Promise<{ items: T[]; nextCursor: string | null }>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/** The coach's calls (Turn, Mirror, Lens), on the app's one authorized client. */
export class CoachApi {
  constructor(private readonly client: ApiClient) {}

  createTurn = (body: CreateTurnBody) => this.client.change<Turn>('POST', '/v1/coach/turns', body);
  turns = (cursor?: string) => this.client.request<TurnPage>('GET', `/v1/coach/turns?limit=${COACH_PAGE_SIZE}${cursorParam(cursor)}`);

  /** A page of the user's Mirror sessions, the most recently active first. */
  sessions = (cursor?: string) => this.client.request<MirrorSessionPage>('GET', `/v1/coach/mirror/sessions?limit=${COACH_PAGE_SIZE}${cursorParam(cursor)}`);
  session = (id: string) => this.client.request<MirrorSession>('GET', `/v1/coach/mirror/sessions/${id}`);
  createSession = (body: CreateMirrorSessionBody) => this.client.change<MirrorSession>('POST', '/v1/coach/mirror/sessions', body);
  deleteSession = (id: string) => this.client.change<void>('DELETE', `/v1/coach/mirror/sessions/${id}`);
  /** A session's messages, oldest first (a session holds at most 100, one page). */
  messages = (id: string) => allPages((cursor) => this.client.request<MirrorMessagePage>('GET', `/v1/coach/mirror/sessions/${id}/messages?limit=100${cursorParam(cursor)}`));

  /**
   * Sends a message and streams the reply in (`Accept: text/event-stream`): `message`, then `delta`s, then
   * `done` with the stored reply, which this answers. An `error` event or a refusal before the stream is
   * thrown as an ApiError; a stream that ends without `done`, or whose connection breaks while it is read
   * (fetch's TypeError), as a StreamCutError. Aborting `signal` (the page closed) closes the connection and
   * answers null.
   */
  async sendMessage(sessionId: string, content: string, handlers: MirrorStreamHandlers, signal?: AbortSignal): Promise<MirrorMessage | null> {
    let res: Response;
    try {
      res = await this.client.sendAuthorized('POST', `/v1/coach/mirror/sessions/${sessionId}/messages`, { content }, { accept: 'text/event-stream' }, signal);
      if (!res.ok || !res.body || !(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
        // A refusal (quota, budget, validation) is answered as problem+json before any stream starts.
        const exchange = await this.client.parse<MirrorExchange>(res);
        handlers.onMessage(exchange.message);
        return exchange.reply;
      }
    } catch (error) {
      if (signal?.aborted) return null;
      throw error;
    }
    try {
      for await (const { event, data } of readSse(res.body)) {
        if (signal?.aborted) return null;
        if (event === 'message') handlers.onMessage(JSON.parse(data) as MirrorMessage);
        else if (event === 'delta') handlers.onDelta((JSON.parse(data) as MirrorDelta).text);
        else if (event === 'done') return JSON.parse(data) as MirrorMessage;
        else if (event === 'error') throw new ApiError(JSON.parse(data) as Problem);
      }
    } catch (error) {
      if (signal?.aborted) return null;
      // fetch rejects a body read with a TypeError when the network goes mid-stream ("network error",
      // undici's "terminated"): the reply was cut, as when the stream ends early.
      if (error instanceof TypeError) throw new StreamCutError();
      throw error;
    }
    if (signal?.aborted) return null;
    throw new StreamCutError();
  }

  /** A page of the user's goals in one status, newest first. */
  goals = (status: GoalStatus, cursor?: string) => this.client.request<GoalPage>('GET', `/v1/coach/goals?status=${status}&limit=${COACH_PAGE_SIZE}${cursorParam(cursor)}`);
  goal = (id: string) => this.client.request<GoalDetail>('GET', `/v1/coach/goals/${id}`);
  createGoal = (body: CreateGoalBody) => this.client.change<GoalWithSafety>('POST', '/v1/coach/goals', body);
  updateGoal = (id: string, body: UpdateGoalBody) => this.client.change<GoalWithSafety>('PATCH', `/v1/coach/goals/${id}`, body);
  deleteGoal = (id: string) => this.client.change<void>('DELETE', `/v1/coach/goals/${id}`);
  addAction = (goalId: string, body: CreateActionBody) => this.client.change<LensAction>('POST', `/v1/coach/goals/${goalId}/actions`, body);
  updateAction = (goalId: string, actionId: string, body: UpdateActionBody) => this.client.change<LensAction>('PATCH', `/v1/coach/goals/${goalId}/actions/${actionId}`, body);
  deleteAction = (goalId: string, actionId: string) => this.client.change<void>('DELETE', `/v1/coach/goals/${goalId}/actions/${actionId}`);
  /** The actions planned for a day (today when none is given), across the active goals. */
  dayActions = (day?: string) => this.client.request<DayActions>('GET', `/v1/coach/actions${day ? `?day=${day}` : ''}`);
}

export const coachApi = new CoachApi(api);

/**
 * The coach's query keys. Lists and single items sit under different prefixes (`list`, `detail`), so a
 * change refreshes the reads it touches and no others.
 */
export const coachKeys = {
  turns: () => ['coach', 'turns'] as const,
  sessions: () => ['coach', 'sessions', 'list'] as const,
  session: (id: string) => ['coach', 'sessions', 'detail', id] as const,
  messages: (id: string) => ['coach', 'sessions', 'detail', id, 'messages'] as const,
  goalLists: () => ['coach', 'goals', 'list'] as const,
  goalList: (status: GoalStatus) => ['coach', 'goals', 'list', status] as const,
  goal: (id: string) => ['coach', 'goals', 'detail', id] as const,
  dayActions: () => ['coach', 'actions'] as const,
};

/** What reads a change makes stale, one function per kind of change. */
export const coachRefresh = {
  /** An action added, ticked or removed: its goal, the goal lists (their counts) and the day's actions. */
  action: (queryClient: QueryClient, goalId: string) =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: coachKeys.goal(goalId) }),
      queryClient.invalidateQueries({ queryKey: coachKeys.goalLists() }),
      queryClient.invalidateQueries({ queryKey: coachKeys.dayActions() }),
    ]),
  /** A goal created, moved between statuses or renamed: the goal lists, it, and the day's actions (they follow active goals). */
  goal: (queryClient: QueryClient, goalId?: string) =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: coachKeys.goalLists() }),
      ...(goalId ? [queryClient.invalidateQueries({ queryKey: coachKeys.goal(goalId) })] : []),
      queryClient.invalidateQueries({ queryKey: coachKeys.dayActions() }),
    ]),
  /** A goal deleted: its own read is dropped, the lists and the day's actions read again. */
  goalDeleted: (queryClient: QueryClient, goalId: string) => {
    queryClient.removeQueries({ queryKey: coachKeys.goal(goalId) });
    return Promise.all([
      queryClient.invalidateQueries({ queryKey: coachKeys.goalLists() }),
      queryClient.invalidateQueries({ queryKey: coachKeys.dayActions() }),
    ]);
  },
  /** A session created, deleted, or its messages changed: the list of sessions (order, counts). */
  sessions: (queryClient: QueryClient) => queryClient.invalidateQueries({ queryKey: coachKeys.sessions() }),
};
