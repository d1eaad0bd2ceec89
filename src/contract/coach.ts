import { z } from 'zod';
import { PlatformSchema } from './drafts.js';
import { isBlank } from './text.js';

/**
 * The AI writing coach: Turn (rewrites of a post or a thought), Mirror (reflective chat sessions about the
 * user's writing) and Lens (goals and the daily actions toward them). Every generation goes through the AI
 * gateway, after the safety precheck, inside the user's plan and the daily budgets.
 */

/** What a model call is for: budgets, usage records and metrics are kept per feature. */
export const AI_FEATURES = ['turn', 'mirror'] as const;
export type AiFeature = (typeof AI_FEATURES)[number];

/** `local`: the deterministic offline provider; `openai`: any server speaking the OpenAI API. */
export const AI_PROVIDERS = ['local', 'openai'] as const;
export type AiProvider = (typeof AI_PROVIDERS)[number];
export const AiProviderSchema = z.enum(AI_PROVIDERS);
/**
 * A provider or null, spelled as one list of literals: OpenAPI 3.0 reads `nullable` beside an `enum`
 * without null as refusing null, so `.nullable()` would document answers a client's validator rejects.
 */
const OptionalProviderSchema = z.literal([...AI_PROVIDERS, null]);

/**
 * How one provider call ended. `ok`: an answer; `error`: the provider failed (HTTP error, bad answer,
 * connection lost before an answer); `timeout`: no answer within the envelope's timeout; `cut`: a stream
 * ended before its last chunk; `cancelled`: our side stopped it (the user left a stream); `abandoned`: a
 * reservation whose call never reported back (the process died), settled at its estimate.
 */
export const AI_OUTCOMES = ['ok', 'error', 'timeout', 'cut', 'cancelled', 'abandoned'] as const;
export type AiOutcome = (typeof AI_OUTCOMES)[number];

/** Circuit breaker states as /readyz and metrics show them. */
export const BREAKER_STATES = ['closed', 'open', 'half-open', 'isolated'] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

// ---------------------------------------------------------------------------------------------------------
// Safety

/** What the precheck found: a crisis (suicide), self-harm, or harmful self-talk ("I'm worthless"). */
export const SAFETY_CATEGORIES = ['crisis', 'self_harm', 'harmful_self_talk'] as const;
export type SafetyCategory = (typeof SAFETY_CATEGORIES)[number];

export const CrisisResourceSchema = z.object({
  name: z.string(),
  /** How to reach it: a phone number or a short instruction ("Text HOME to 741741"). */
  contact: z.string(),
  url: z.url(),
  /** Where it answers: an ISO country code, or "international". */
  region: z.string(),
});
export type CrisisResource = z.infer<typeof CrisisResourceSchema>;

/** Shown instead of a generation when the precheck matched: supportive words and where to find help now. */
export const SafetyNoticeSchema = z.object({
  category: z.enum(SAFETY_CATEGORIES),
  message: z.string(),
  resources: z.array(CrisisResourceSchema),
});
export type SafetyNotice = z.infer<typeof SafetyNoticeSchema>;

// ---------------------------------------------------------------------------------------------------------
// Common

/** Which provider answered, and whether it was the offline one standing in for a configured provider. */
export const AnsweredBySchema = z.object({
  provider: AiProviderSchema,
  /** True when the configured provider failed (or its breaker is open) and the offline provider answered. */
  fallback: z.boolean(),
});
export type AnsweredBy = z.infer<typeof AnsweredBySchema>;

/** Text a user sends the coach: a thought, a post, a message. */
const CoachTextSchema = z
  .string()
  .min(1)
  .max(5000)
  .refine((text) => !isBlank(text), 'Write a few words first.');

// ---------------------------------------------------------------------------------------------------------
// Turn

/** `POST /v1/coach/turns`: a free thought (optionally for a platform, default x), or a post of a draft. */
export const CreateTurnBodySchema = z.union([
  z.object({ text: CoachTextSchema, platform: PlatformSchema.optional() }).strict(),
  z.object({ draftId: z.uuid(), segmentId: z.uuid() }).strict(),
]);
export type CreateTurnBody = z.infer<typeof CreateTurnBodySchema>;

/** A rewrite, with its length as the platform counts it (always within the platform's limit). */
export const TurnSuggestionSchema = z.object({ text: z.string(), length: z.number().int().min(0) });
export type TurnSuggestion = z.infer<typeof TurnSuggestionSchema>;

export const MAX_TURN_SUGGESTIONS = 3;

export const TurnSchema = z.object({
  id: z.uuid(),
  /** The text that was reframed. */
  text: z.string(),
  platform: PlatformSchema,
  /** The platform's limit the suggestions fit. */
  limit: z.number().int(),
  /** Set when the text was a post of a draft. */
  source: z.object({ draftId: z.uuid(), segmentId: z.uuid() }).nullable(),
  /** One to three rewrites; empty when the safety precheck answered instead. */
  suggestions: z.array(TurnSuggestionSchema).max(MAX_TURN_SUGGESTIONS),
  provider: OptionalProviderSchema,
  fallback: z.boolean(),
  safety: SafetyNoticeSchema.nullable(),
  createdAt: z.iso.datetime(),
});
export type Turn = z.infer<typeof TurnSchema>;
export const TurnPageSchema = z.object({ items: z.array(TurnSchema), nextCursor: z.string().nullable() });
export type TurnPage = z.infer<typeof TurnPageSchema>;

// ---------------------------------------------------------------------------------------------------------
// Mirror

export const MIRROR_TITLE_MAX = 200;
/** A session holds at most this many messages (the user's and the coach's); then a new session starts. */
export const MIRROR_MAX_MESSAGES = 100;

/**
 * `POST /v1/coach/mirror/sessions`: optionally about one of the user's drafts (its text is the context).
 * Every field is optional, so no body at all is an empty one.
 */
export const CreateMirrorSessionBodySchema = z
  .object({ title: z.string().max(MIRROR_TITLE_MAX).optional(), draftId: z.uuid().optional() })
  .strict();
export type CreateMirrorSessionBody = z.infer<typeof CreateMirrorSessionBodySchema>;

export const MirrorSessionSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  /** The draft the session is about, while the user can still see it. */
  draftId: z.uuid().nullable(),
  messageCount: z.number().int().min(0),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type MirrorSession = z.infer<typeof MirrorSessionSchema>;
export const MirrorSessionPageSchema = z.object({ items: z.array(MirrorSessionSchema), nextCursor: z.string().nullable() });
export type MirrorSessionPage = z.infer<typeof MirrorSessionPageSchema>;

export const MirrorMessageSchema = z.object({
  id: z.uuid(),
  role: z.enum(['user', 'coach']),
  content: z.string(),
  /** For the coach's messages: who answered; null for the user's and for safety answers. */
  provider: OptionalProviderSchema,
  fallback: z.boolean(),
  /** False when the coach's answer was cut off (the provider's stream broke, or the user left it). */
  complete: z.boolean(),
  /** Set on a coach message that is the safety precheck's answer. */
  safety: SafetyNoticeSchema.nullable(),
  createdAt: z.iso.datetime(),
});
export type MirrorMessage = z.infer<typeof MirrorMessageSchema>;
export const MirrorMessagePageSchema = z.object({ items: z.array(MirrorMessageSchema), nextCursor: z.string().nullable() });
export type MirrorMessagePage = z.infer<typeof MirrorMessagePageSchema>;

/** `POST /v1/coach/mirror/sessions/:id/messages`. */
export const SendMirrorMessageBodySchema = z.object({ content: CoachTextSchema }).strict();

/** The JSON answer to a message (without `Accept: text/event-stream`): the user's message and the reply. */
export const MirrorExchangeSchema = z.object({ message: MirrorMessageSchema, reply: MirrorMessageSchema });
export type MirrorExchange = z.infer<typeof MirrorExchangeSchema>;

/**
 * With `Accept: text/event-stream` the same request answers 200 as Server-Sent Events:
 * `event: message` (the user's message, stored), then `event: delta` with `{ text }` as the reply arrives,
 * then `event: done` with the stored reply (`MirrorMessage`), or `event: error` with a problem body.
 */
export const MirrorDeltaSchema = z.object({ text: z.string() });
export type MirrorDelta = z.infer<typeof MirrorDeltaSchema>;
export const MIRROR_STREAM_EVENTS = ['message', 'delta', 'done', 'error'] as const;

// ---------------------------------------------------------------------------------------------------------
// Lens

export const GOAL_STATUSES = ['active', 'completed', 'archived'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

const GoalTitleSchema = z.string().min(1).max(200);
const GoalWhySchema = z.string().max(1000);
const ActionTitleSchema = z.string().min(1).max(200);
/** A UTC calendar day, YYYY-MM-DD (years 0001–9999). */
export const DaySchema = z.iso.date().refine((day) => day >= '0001-01-01', 'Expected a day from 0001-01-01 to 9999-12-31.');

export const CreateGoalBodySchema = z.object({ title: GoalTitleSchema, why: GoalWhySchema.optional(), targetDay: DaySchema.optional() }).strict();
export const UpdateGoalBodySchema = z
  .object({ title: GoalTitleSchema.optional(), why: GoalWhySchema.optional(), targetDay: DaySchema.nullable().optional(), status: z.enum(GOAL_STATUSES).optional() })
  .strict();
export type CreateGoalBody = z.infer<typeof CreateGoalBodySchema>;
export type UpdateGoalBody = z.infer<typeof UpdateGoalBodySchema>;

export const LensActionSchema = z.object({
  id: z.uuid(),
  goalId: z.uuid(),
  title: z.string(),
  /** The day it is planned for. */
  day: DaySchema,
  doneAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type LensAction = z.infer<typeof LensActionSchema>;

export const GoalSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  why: z.string(),
  targetDay: DaySchema.nullable(),
  status: z.enum(GOAL_STATUSES),
  /** Actions done / planned, over the goal's whole life. */
  actionsDone: z.number().int().min(0),
  actionsPlanned: z.number().int().min(0),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Goal = z.infer<typeof GoalSchema>;
export const GoalPageSchema = z.object({ items: z.array(GoalSchema), nextCursor: z.string().nullable() });
export type GoalPage = z.infer<typeof GoalPageSchema>;
/** `GET /v1/coach/goals/:id`: the goal and its actions, newest day first. */
export const GoalDetailSchema = GoalSchema.extend({ actions: z.array(LensActionSchema) });
export type GoalDetail = z.infer<typeof GoalDetailSchema>;
/** `POST /v1/coach/goals` and `PATCH /v1/coach/goals/:id` answer the goal, with the safety notice when its new words matched the precheck. */
export const GoalWithSafetySchema = GoalSchema.extend({ safety: SafetyNoticeSchema.nullable() });
export type GoalWithSafety = z.infer<typeof GoalWithSafetySchema>;

/** A goal holds at most this many actions. */
export const MAX_ACTIONS_PER_GOAL = 500;
export const CreateActionBodySchema = z.object({ title: ActionTitleSchema, day: DaySchema.optional() }).strict();
export const UpdateActionBodySchema = z.object({ title: ActionTitleSchema.optional(), day: DaySchema.optional(), done: z.boolean().optional() }).strict();
export type CreateActionBody = z.infer<typeof CreateActionBodySchema>;
export type UpdateActionBody = z.infer<typeof UpdateActionBodySchema>;

/** `GET /v1/coach/actions?day=`: the actions planned for a day (default: today by `now`), across active goals. */
export const DayActionsSchema = z.object({
  day: DaySchema,
  items: z.array(LensActionSchema.extend({ goalTitle: z.string() })),
});
export type DayActions = z.infer<typeof DayActionsSchema>;

// ---------------------------------------------------------------------------------------------------------
// Errors

/** `429 ai_budget_exhausted`: which daily budget stopped the call, and when it renews. */
export const AiBudgetProblemFields = {
  budget: z.object({ feature: z.enum(AI_FEATURES), scope: z.enum(['global', 'user']) }),
  retryAfterSeconds: z.number().int().min(1),
};
export const AiBudgetProblemSchema = z.object(AiBudgetProblemFields);
export type AiBudgetProblem = z.infer<typeof AiBudgetProblemSchema>;

/**
 * The coach's error codes on the wire (the `code` of a problem), for clients to switch on. The server's
 * errors (features/ai, features/coach, features/lens) throw these same strings.
 */
export const COACH_ERROR_CODES = {
  AI_BUDGET_EXHAUSTED: 'ai_budget_exhausted',
  COACH_UNAVAILABLE: 'coach_unavailable',
  MIRROR_SESSION_FULL: 'mirror_session_full',
  MIRROR_SESSION_NOT_FOUND: 'mirror_session_not_found',
  TURN_NOT_FOUND: 'turn_not_found',
  GOAL_NOT_FOUND: 'goal_not_found',
  ACTION_NOT_FOUND: 'action_not_found',
  GOAL_ACTIONS_FULL: 'goal_actions_full',
} as const;
export type CoachErrorCode = (typeof COACH_ERROR_CODES)[keyof typeof COACH_ERROR_CODES];
