import { z } from 'zod';
import { PersonSchema, PlatformSchema } from './drafts.js';

/**
 * Analytics: the events domain actions and readers record, and the read models the API answers with.
 * Every model here is a pure function of the events up to `now` (events after it have not happened yet).
 */
export const ANALYTICS_SCHEMA_VERSION = 1;

export const ANALYTICS_EVENT_TYPES = [
  'DraftCreated',
  'DraftViewed',
  'DraftShared',
  'SegmentAdded',
  'SegmentEdited',
  'SegmentDeleted',
  'RingPassed',
  'DraftPublished',
] as const;
export type AnalyticsEventType = (typeof ANALYTICS_EVENT_TYPES)[number];

/** Where a non-member met a draft: its share card (JSON or image), its public page, a preview link. */
export const SHARE_CHANNELS = ['share_card', 'share_card_image', 'public_page', 'preview_link'] as const;
export type ShareChannel = (typeof SHARE_CHANNELS)[number];

export const LEADERBOARD_METRICS = ['collaboration', 'momentum', 'consistency'] as const;
export type LeaderboardMetric = (typeof LEADERBOARD_METRICS)[number];
/** `7d` and `30d` are that many UTC calendar days ending with `now`'s day (up to `now`); `all` is everything up to `now`. */
export const LEADERBOARD_WINDOWS = ['7d', '30d', 'all'] as const;
export type LeaderboardWindow = (typeof LEADERBOARD_WINDOWS)[number];
export const LEADERBOARD_SIZE = 10;

export const ARCHETYPES = ['analytical', 'creative', 'connector', 'leader'] as const;
export type ArchetypeId = (typeof ARCHETYPES)[number];

const count = z.number().int().min(0);
const instant = z.iso.datetime();
/** A UTC calendar day, `YYYY-MM-DD`. */
const day = z.iso.date();

// Instants whose UTC form has a four-digit year, and whose longest look-back (59 days, for the momentum of
// each of the last 30 days) still has one: past them a day no longer prints as `YYYY-MM-DD`.
const EARLIEST_NOW = Date.parse('0001-04-01T00:00:00.000Z');
const LATEST_NOW = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * `?now=` on every time-dependent read: an ISO-8601 instant (any offset) from 0001-04-01 to 9999 UTC; the
 * server clock when absent.
 */
export const NowQuerySchema = z.object({
  now: z.iso
    .datetime({ offset: true })
    // A text that is no instant at all is already refused above, once.
    .refine((text) => !(Date.parse(text) < EARLIEST_NOW || Date.parse(text) > LATEST_NOW), 'Expected an instant from 0001-04-01 to 9999-12-31 (UTC).')
    .optional(),
});
export type NowQuery = z.infer<typeof NowQuerySchema>;

export const LeaderboardQuerySchema = NowQuerySchema.extend({
  metric: z.enum(LEADERBOARD_METRICS).default('collaboration'),
  window: z.enum(LEADERBOARD_WINDOWS).default('7d'),
});

export const DraftAnalyticsSchema = z.object({
  draftId: z.uuid(),
  /** Member opens, at most one per member per 30 minutes. */
  views: count,
  /** Fetches of the share card, public page or a preview link by people who are not members. */
  shares: count,
  /** Segments in the thread as of `now`: added minus deleted. */
  segments: count,
  edits: count,
  ringPasses: count,
  contributorsCount: count,
  /** Everyone who added a segment, in the order they first did (then by user id), with how many they added. */
  contributors: z.array(PersonSchema.extend({ segments: count })),
  lastActivityAt: instant.nullable(),
  generatedAt: instant,
});
export type DraftAnalytics = z.infer<typeof DraftAnalyticsSchema>;

export const UserAnalyticsSchema = z.object({
  userId: z.uuid(),
  draftsCreated: count,
  /** Drafts in which the user added at least one segment. */
  draftsContributed: count,
  segmentsWritten: count,
  segmentsEdited: count,
  /** Times the ring came to the user. */
  ringsHeld: count,
  /** Times the user handed the ring on. */
  ringsPassed: count,
  /** From receiving the ring (or creating the draft) to handing it on, over finished holds; null with none. */
  avgRingHoldMinutes: z.number().min(0).nullable(),
  lastActiveAt: instant.nullable(),
  generatedAt: instant,
});
export type UserAnalytics = z.infer<typeof UserAnalyticsSchema>;

export const LeaderboardEntrySchema = PersonSchema.extend({
  /** 1..10: the leaderboard never shows a place past 10. */
  rank: z.number().int().min(1).max(LEADERBOARD_SIZE),
  score: count,
  insight: z.string(),
  segments: count,
  ringsHeld: count,
  draftsCreated: count,
  draftsContributed: count,
});
export type LeaderboardEntry = z.infer<typeof LeaderboardEntrySchema>;

export const LeaderboardSchema = z.object({
  metric: z.enum(LEADERBOARD_METRICS),
  window: z.enum(LEADERBOARD_WINDOWS),
  /** A supportive line about the metric, the same for everyone. */
  message: z.string(),
  entries: z.array(LeaderboardEntrySchema).max(LEADERBOARD_SIZE),
  generatedAt: instant,
});
export type Leaderboard = z.infer<typeof LeaderboardSchema>;

export const MomentumDaySchema = z.object({
  date: day,
  segments: count,
  /** The momentum score as of the end of that day. */
  score: z.number().int().min(0).max(100),
});
export type MomentumDay = z.infer<typeof MomentumDaySchema>;

export const MomentumSchema = z.object({
  /** Consecutive UTC days with a segment written, ending today (or yesterday while today is still open). */
  streakDays: count,
  longestStreak: count,
  /** 0..100, linear over the last 30 days: recent days weigh more; 100 is a segment every day. */
  score: z.number().int().min(0).max(100),
  wroteToday: z.boolean(),
  /** The 30 UTC days ending today, oldest first. */
  last30Days: z.array(MomentumDaySchema).length(30),
  generatedAt: instant,
});
export type Momentum = z.infer<typeof MomentumSchema>;

export const ChallengeSchema = z.object({ id: z.string(), title: z.string(), prompt: z.string() });
export type Challenge = z.infer<typeof ChallengeSchema>;

export const SuggestionSchema = z.object({
  id: z.string(),
  text: z.string(),
  /** The draft the suggestion is about, when there is one. */
  draftId: z.uuid().nullable(),
});
export type Suggestion = z.infer<typeof SuggestionSchema>;

export const TodaySchema = z.object({
  date: day,
  streakDays: count,
  longestStreak: count,
  wroteToday: z.boolean(),
  /** A supportive line for the day. */
  message: z.string(),
  /** Chosen from the date alone: everyone has the same challenge on the same day. */
  challenge: ChallengeSchema,
  suggestions: z.array(SuggestionSchema),
  generatedAt: instant,
});
export type Today = z.infer<typeof TodaySchema>;

export const ArchetypeSchema = z.object({ id: z.enum(ARCHETYPES), name: z.string(), description: z.string() });
export type Archetype = z.infer<typeof ArchetypeSchema>;

/** What anyone may see of a user: no email, no drafts, no comparison with others. */
export const ProfileSchema = z.object({
  userId: z.uuid(),
  displayName: z.string(),
  archetype: ArchetypeSchema,
  momentum: MomentumSchema.omit({ generatedAt: true }),
  generatedAt: instant,
});
export type Profile = z.infer<typeof ProfileSchema>;

const CtaSchema = z.object({ label: z.string(), url: z.string() });
const ThemeSchema = z.object({ background: z.string(), accent: z.string() });

export const ShareCardSchema = z.object({
  draftId: z.uuid(),
  title: z.string(),
  subtitle: z.string(),
  topLine: z.string(),
  /** Owner first, then the rest by display name; at most 5 (the full count is in `metrics`). */
  contributors: z.array(PersonSchema).max(5),
  metrics: z.object({
    contributorsCount: count,
    ringPassesLast24h: count,
    /** Mean gap between consecutive ring passes up to `now`, whole minutes; null with fewer than two. */
    avgMinutesBetweenPasses: count.nullable(),
    segmentsCount: count,
  }),
  cta: CtaSchema,
  theme: ThemeSchema,
  /** The 1200×630 PNG of this card. */
  imageUrl: z.string(),
  generatedAt: instant,
});
export type ShareCard = z.infer<typeof ShareCardSchema>;

export const PersonalShareCardSchema = z.object({
  userId: z.uuid(),
  displayName: z.string(),
  archetype: ArchetypeSchema.pick({ id: true, name: true }),
  streakDays: count,
  momentumScore: z.number().int().min(0).max(100),
  cta: CtaSchema,
  theme: ThemeSchema,
  imageUrl: z.string(),
  generatedAt: instant,
});
export type PersonalShareCard = z.infer<typeof PersonalShareCardSchema>;

/** A secret read-only link to a draft in progress, as its owner sees it (the token only once, at creation). */
export const PreviewLinkSchema = z.object({
  id: z.uuid(),
  createdAt: instant,
  revokedAt: instant.nullable(),
  opens: count,
  lastOpenedAt: instant.nullable(),
});
export type PreviewLink = z.infer<typeof PreviewLinkSchema>;

export const CreatedPreviewLinkSchema = PreviewLinkSchema.extend({ token: z.string(), url: z.string() });
export type CreatedPreviewLink = z.infer<typeof CreatedPreviewLinkSchema>;

/** A draft as a preview link shows it: no ids of people, no emails, nothing to act on. */
export const PreviewDraftSchema = z.object({
  title: z.string(),
  platform: PlatformSchema,
  status: z.enum(['draft', 'published', 'archived']),
  contributors: z.array(z.string()),
  segments: z.array(z.object({ position: z.number().int(), content: z.string(), authorDisplay: z.string() })),
  updatedAt: instant,
});
export type PreviewDraft = z.infer<typeof PreviewDraftSchema>;
