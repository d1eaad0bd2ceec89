import type {
  CreateMirrorSessionBody,
  CreateTurnBody,
  DayActions,
  Goal,
  GoalDetail,
  GoalStatus,
  LensAction,
  MirrorMessage,
  MirrorSession,
  SafetyNotice,
  Turn,
  TurnPage,
} from '../../contract/coach.js';
import type { Problem } from '../../contract/common.js';
import { api, ApiError, type ApiClient } from './client.js';
import { readSse } from './sse.js';

type Page<T> = { items: T[]; nextCursor: string | null };
export type CreatedGoal = Goal & { safety: SafetyNotice | null };

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

const cursorParam = (cursor?: string) => (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');

/** Every page of a list, one after another (the lists here are short: a plan holds at most a few dozen goals). */
async function allPages<T>(read: (cursor?: string) => Promise<Page<T>>): Promise<T[]> {
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
  turns = (cursor?: string) => this.client.request<TurnPage>('GET', `/v1/coach/turns?limit=20${cursorParam(cursor)}`);
  turn = (id: string) => this.client.request<Turn>('GET', `/v1/coach/turns/${id}`);

  sessions = (cursor?: string) => this.client.request<Page<MirrorSession>>('GET', `/v1/coach/mirror/sessions?limit=50${cursorParam(cursor)}`);
  session = (id: string) => this.client.request<MirrorSession>('GET', `/v1/coach/mirror/sessions/${id}`);
  createSession = (body: CreateMirrorSessionBody) => this.client.change<MirrorSession>('POST', '/v1/coach/mirror/sessions', body);
  deleteSession = (id: string) => this.client.change<void>('DELETE', `/v1/coach/mirror/sessions/${id}`);
  /** A session's messages, oldest first (a session holds at most 100, one page). */
  messages = (id: string) => allPages((cursor) => this.client.request<Page<MirrorMessage>>('GET', `/v1/coach/mirror/sessions/${id}/messages?limit=100${cursorParam(cursor)}`));

  /**
   * Sends a message and streams the reply in (`Accept: text/event-stream`): `message`, then `delta`s, then
   * `done` with the stored reply, which this answers. An `error` event or a refusal before the stream is
   * thrown as an ApiError; a stream that ends without `done` as a StreamCutError. `isGone` stops reading
   * (the page closed), which closes the connection.
   */
  async sendMessage(sessionId: string, content: string, handlers: MirrorStreamHandlers, isGone: () => boolean = () => false): Promise<MirrorMessage | null> {
    const res = await this.client.sendAuthorized('POST', `/v1/coach/mirror/sessions/${sessionId}/messages`, { content }, { accept: 'text/event-stream' });
    if (!res.ok || !res.body || !(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      // A refusal (quota, budget, validation) is answered as problem+json before any stream starts.
      const exchange = await this.client.parse<{ message: MirrorMessage; reply: MirrorMessage }>(res);
      handlers.onMessage(exchange.message);
      return exchange.reply;
    }
    for await (const { event, data } of readSse(res.body)) {
      if (isGone()) return null;
      if (event === 'message') handlers.onMessage(JSON.parse(data) as MirrorMessage);
      else if (event === 'delta') handlers.onDelta((JSON.parse(data) as { text: string }).text);
      else if (event === 'done') return JSON.parse(data) as MirrorMessage;
      else if (event === 'error') throw new ApiError(JSON.parse(data) as Problem);
    }
    if (isGone()) return null;
    throw new StreamCutError();
  }

  /** Every goal of the user, in every status (the page groups them). */
  goals = () => allPages((cursor) => this.client.request<Page<Goal>>('GET', `/v1/coach/goals?limit=100${cursorParam(cursor)}`));
  goal = (id: string) => this.client.request<GoalDetail>('GET', `/v1/coach/goals/${id}`);
  createGoal = (body: { title: string; why?: string; targetDay?: string }) => this.client.change<CreatedGoal>('POST', '/v1/coach/goals', body);
  updateGoal = (id: string, body: { title?: string; why?: string; targetDay?: string | null; status?: GoalStatus }) =>
    this.client.change<Goal>('PATCH', `/v1/coach/goals/${id}`, body);
  deleteGoal = (id: string) => this.client.change<void>('DELETE', `/v1/coach/goals/${id}`);
  addAction = (goalId: string, body: { title: string; day?: string }) => this.client.change<LensAction>('POST', `/v1/coach/goals/${goalId}/actions`, body);
  updateAction = (goalId: string, actionId: string, body: { title?: string; day?: string; done?: boolean }) =>
    this.client.change<LensAction>('PATCH', `/v1/coach/goals/${goalId}/actions/${actionId}`, body);
  deleteAction = (goalId: string, actionId: string) => this.client.change<void>('DELETE', `/v1/coach/goals/${goalId}/actions/${actionId}`);
  /** The actions planned for a day (today when none is given), across the active goals. */
  dayActions = (day?: string) => this.client.request<DayActions>('GET', `/v1/coach/actions${day ? `?day=${day}` : ''}`);
}

export const coachApi = new CoachApi(api);

/** The coach's query keys: every coach read starts with 'coach', so one change can refresh them together. */
export const coachKeys = {
  all: ['coach'] as const,
  turns: () => ['coach', 'turns'] as const,
  sessions: () => ['coach', 'sessions'] as const,
  session: (id: string) => ['coach', 'sessions', id] as const,
  messages: (id: string) => ['coach', 'sessions', id, 'messages'] as const,
  goals: () => ['coach', 'goals'] as const,
  goal: (id: string) => ['coach', 'goals', id] as const,
  dayActions: () => ['coach', 'actions'] as const,
};
