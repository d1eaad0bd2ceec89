import { LEADERBOARD_METRICS, type ArchetypeId, type LeaderboardMetric } from '../../../contract/analytics.js';
import { CHALLENGE_IDS, type ChallengeId } from '../momentum/challenges.js';

/**
 * Every sentence the product shows about effort: supportive, about the user's own work, never a comparison
 * with anyone else. Each area has its own object; next to it, `<name>Samples` lists for every function the
 * arguments that cover each of its outcomes, so a test can scan every string the product can produce.
 */

/** For each function of a copy object, the argument lists that cover its outcomes. */
type SamplesOf<T> = {
  [K in keyof T as T[K] extends (...args: never[]) => string ? K : never]: T[K] extends (...args: infer A) => string ? ReadonlyArray<Readonly<A>> : never;
};

/** Streak lengths that cover the wording: one day, a few, a week, a month, a year. */
const STREAK_SAMPLES = [[1], [2], [7], [30], [365]] as const;

/** Streak and momentum wording, shared by the today page and the personal share card. */
export const momentumCopy = {
  /** "1-day streak", "12-day streak". */
  streak: (days: number) => `${days}-day streak`,
};

export const momentumCopySamples = {
  streak: STREAK_SAMPLES,
} satisfies SamplesOf<typeof momentumCopy>;

const CHALLENGES: Record<ChallengeId, { title: string; prompt: string }> = {
  'open-with-a-question': { title: 'Open with a question', prompt: 'Start a post with a question your reader will want answered.' },
  'one-sentence': { title: 'One sentence', prompt: 'Say one idea in a single sentence, and let it stand on its own.' },
  'lead-with-a-number': { title: 'Lead with a number', prompt: 'Begin with a number that matters to your story, then tell what it means.' },
  'tiny-story': { title: 'A tiny story', prompt: 'Tell a moment from your week in three short posts.' },
  'something-you-learned': { title: 'Something you learned', prompt: 'Share one thing you learned recently and where it came from.' },
  'pass-it-on': { title: 'Pass it on', prompt: 'Write a post, then hand the ring to a collaborator with a note on where to go next.' },
  'fresh-opening': { title: 'A fresh opening', prompt: 'Rewrite the first post of a draft in a new voice.' },
  'three-things': { title: 'Three things', prompt: 'List three things that helped you this month, one post each.' },
  'say-thanks': { title: 'Say thanks', prompt: 'Thank a person or a tool that made your work easier, and say why.' },
  'how-it-is-made': { title: 'How it is made', prompt: 'Show one step of how you make something you care about.' },
  'plain-words': { title: 'Plain words', prompt: 'Explain an idea from your field so a friend from outside it can follow along.' },
  'change-of-mind': { title: 'A change of mind', prompt: 'Write about something you see differently now, and what changed it.' },
  'strong-close': { title: 'A strong close', prompt: 'End a thread with a line that invites a reply.' },
  'paint-a-picture': { title: 'Paint a picture', prompt: 'Describe a place you love so the reader can see it.' },
  'ask-for-ideas': { title: 'Ask for ideas', prompt: 'Invite your readers to add their own tips on a topic you care about.' },
  'ten-minute-draft': { title: 'Ten-minute draft', prompt: 'Set a timer for ten minutes and write without editing; polish it tomorrow.' },
};

/** How the day looks for the user, for the message of the day. */
export type DayMood = 'wrote-today' | 'streak-open' | 'fresh-start' | 'first-steps';

/** The today page: challenges, the message of the day and coach suggestions. */
export const todayCopy = {
  challengeTitle: (id: ChallengeId) => CHALLENGES[id].title,
  challengePrompt: (id: ChallengeId) => CHALLENGES[id].prompt,
  message: (mood: DayMood) =>
    ({
      'wrote-today': 'You wrote today. Every post adds up.',
      'streak-open': 'Today is open: one post keeps your rhythm going.',
      'fresh-start': 'A fresh page today. Start wherever you are.',
      'first-steps': 'Welcome. Your first post is a great place to begin.',
    })[mood],
  yourTurn: 'You hold the ring on a shared draft: your collaborators look forward to your next post.',
  continueDraft: 'You hold the ring on this draft: add the next post when you are ready.',
  firstDraft: 'Start your first draft: a title and one post are enough.',
  newDraft: 'Start a new draft and give a fresh idea some room.',
  keepStreak: (days: number) => `Add a post today to carry your ${momentumCopy.streak(days)} into tomorrow.`,
  startStreak: 'One post today starts a new streak.',
  wroteToday: 'You have written today. Pass the ring when you want a collaborator to add their voice.',
  tryChallenge: "Today's challenge is a gentle way in if you want a prompt.",
};

export const todayCopySamples = {
  challengeTitle: CHALLENGE_IDS.map((id) => [id] as const),
  challengePrompt: CHALLENGE_IDS.map((id) => [id] as const),
  message: (['wrote-today', 'streak-open', 'fresh-start', 'first-steps'] as const).map((mood) => [mood] as const),
  keepStreak: STREAK_SAMPLES,
} satisfies SamplesOf<typeof todayCopy>;

/** The four archetypes: how a user tends to write, named warmly. */
export const archetypeCopy = {
  name: (id: ArchetypeId) =>
    ({ analytical: 'The Analyst', creative: 'The Creator', connector: 'The Connector', leader: 'The Leader' })[id],
  description: (id: ArchetypeId) =>
    ({
      analytical: 'You shape ideas with care: considered posts, revised until they say just what you mean.',
      creative: 'You bring new words to the page, one post after another. Every thread starts this way.',
      connector: 'You keep threads moving: you write alongside collaborators and pass the ring on.',
      leader: 'You start threads and bring people in, giving each one a clear direction.',
    })[id],
};

const ARCHETYPE_SAMPLES = (['analytical', 'creative', 'connector', 'leader'] as const).map((id) => [id] as const);

export const archetypeCopySamples = {
  name: ARCHETYPE_SAMPLES,
  description: ARCHETYPE_SAMPLES,
} satisfies SamplesOf<typeof archetypeCopy>;

/** Draft states a share card or page can show. */
type ShareStatus = 'draft' | 'published' | 'archived';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Share cards (JSON and PNG), the public page of a published draft and the preview-link page. */
export const shareCopy = {
  /** The small line above a card's title. */
  topLine: (status: ShareStatus): string =>
    ({ draft: 'A thread being written together', published: 'A thread written together', archived: 'A thread written together' })[status],
  /** Under the title: who wrote it and how the ring is moving. */
  subtitle: (writers: number, ringPassesLast24h: number): string =>
    ringPassesLast24h === 0
      ? `${plural(writers, 'writer', 'writers')} on OneRing`
      : `${plural(writers, 'writer', 'writers')} · ${plural(ringPassesLast24h, 'ring pass', 'ring passes')} in the past 24 hours`,
  /** The card's call to action: read a published thread, or open the draft (its members' link). */
  ctaLabel: (status: ShareStatus): string => (status === 'published' ? 'Read the thread' : 'Open the draft'),
  /** After the contributors a card shows, when there are more. */
  moreContributors: (n: number): string => `+${n} more`,
  metricWriters: 'writers',
  metricRingPasses: 'ring passes, 24 h',
  metricMinutesBetweenPasses: 'minutes per pass',
  metricPosts: 'posts',
  /** Where a metric has no value yet (the average gap needs two passes). */
  metricNone: '–',
  brand: 'OneRing',
  pageWrittenBy: 'Written together by',
  pageSignUp: 'Write threads together on OneRing',
  pageOpenApp: 'Open OneRing',
  previewNotice: 'A preview of a draft in progress, shared with you by its owner. It may still change.',
  notFoundTitle: 'Nothing to see here',
  notFoundBody: 'This link does not lead to a public thread. It may not be published yet, or the link was withdrawn.',
  /** The personal card: the small line above the name. */
  personalTopLine: 'Writing threads together',
  /** After a display name in a profile's title and link preview ("Sam on OneRing"). */
  personalOnBrand: 'on OneRing',
  /** The personal card's call to action: the public profile. */
  personalCtaLabel: 'See the profile',
  personalMetricStreak: 'day streak',
  personalMetricMomentum: 'momentum, past 30 days',
  /** Streak and momentum in a line, for a profile's link preview (after the archetype's name). */
  personalSummary: (streakDays: number, momentumScore: number): string =>
    streakDays === 0 ? `Momentum ${momentumScore}/100` : `${momentumCopy.streak(streakDays)} · momentum ${momentumScore}/100`,
};

export const shareCopySamples: { [K in keyof typeof shareCopy]?: ReadonlyArray<readonly unknown[]> } = {
  topLine: [['draft'], ['published'], ['archived']],
  subtitle: [
    [1, 0],
    [1, 1],
    [2, 0],
    [2, 1],
    [5, 2],
    [12, 40],
  ],
  ctaLabel: [['draft'], ['published'], ['archived']],
  moreContributors: [[1], [7]],
  personalSummary: [
    [0, 0],
    [0, 12],
    ...STREAK_SAMPLES.map(([days]) => [days, 64] as const),
    [30, 100],
  ],
};

/**
 * How an entry's insight is chosen: `spotlight` for the first entry, else by the score it earned in the
 * window (see `insightBand` in model.ts).
 */
export const INSIGHT_BANDS = ['spotlight', 'strong', 'steady', 'rising'] as const;
export type InsightBand = (typeof INSIGHT_BANDS)[number];

const INSIGHTS: Record<LeaderboardMetric, Record<InsightBand, string>> = {
  collaboration: {
    spotlight: 'Your segments and ring passes kept many threads moving.',
    strong: 'Generous with the ring and steady with your writing: that is collaboration.',
    steady: 'Each segment you add and each ring you pass helps a thread grow.',
    rising: 'Your first contributions are already helping threads take shape.',
  },
  momentum: {
    spotlight: 'A remarkable run of writing: your drafts keep growing.',
    strong: 'Segment after segment, your drafts are picking up real momentum.',
    steady: 'Regular writing builds momentum, and you are building it.',
    rising: 'Every segment adds momentum. A lovely start.',
  },
  consistency: {
    spotlight: 'You keep showing up for your drafts, again and again.',
    strong: 'New drafts and fresh contributions keep arriving from you.',
    steady: 'A good writing rhythm is forming.',
    rising: 'Starting drafts and joining threads: a rhythm is on its way.',
  },
};

const MESSAGES: Record<LeaderboardMetric, string> = {
  collaboration: 'Collaboration celebrates writing together: segments added, rings held and drafts joined.',
  momentum: 'Momentum celebrates writing that keeps going: segments added and drafts started.',
  consistency: 'Consistency celebrates coming back: drafts started and drafts joined.',
};

/** The leaderboard's words: a line per metric, and an insight per entry. */
export const leaderboardCopy = {
  message: (metric: LeaderboardMetric): string => MESSAGES[metric],
  insight: (metric: LeaderboardMetric, band: InsightBand): string => INSIGHTS[metric][band],
};

export const leaderboardCopySamples: { [K in keyof typeof leaderboardCopy]: Array<Parameters<(typeof leaderboardCopy)[K]>> } = {
  message: LEADERBOARD_METRICS.map((metric) => [metric]),
  insight: LEADERBOARD_METRICS.flatMap((metric) => INSIGHT_BANDS.map((band) => [metric, band] as [LeaderboardMetric, InsightBand])),
};
