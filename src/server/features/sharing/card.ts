import { createHash } from 'node:crypto';
import type { ShareCard } from '../../../contract/analytics.js';
import type { Platform } from '../../../contract/constants.js';
import type { Person } from '../../../contract/drafts.js';
import { shareCopy } from '../analytics/copy.js';

/** A card shows at most this many contributors; `metrics.contributorsCount` has them all. */
export const CARD_CONTRIBUTORS_SHOWN = 5;
export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;

const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

export type DraftStatus = 'draft' | 'published' | 'archived';

/** A member of the draft with the name everyone sees. */
export type CardMember = Person & { role: string };

/** The ring moves of a draft up to `now`, as the database sums them (see `ringStats` in repo.ts). */
export type RingStats = {
  /** Moves at or before `now`. */
  count: number;
  first: Date | null;
  last: Date | null;
  /** Moves in the 24 hours up to `now`: after `now − 24 h`, at or before `now`. */
  inLast24h: number;
};

export type CardInput = {
  draft: { id: string; title: string; platform: Platform; status: DraftStatus; segmentCount: number };
  members: CardMember[];
  ring: RingStats;
  now: Date;
  publicUrl: string;
};

const byName = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** The owner first, then everyone else by display name (ties by user id, so the order never depends on the database's). */
export function orderContributors(members: readonly CardMember[]): Person[] {
  const rank = (m: CardMember) => (m.role === 'owner' ? 0 : 1);
  return [...members]
    .sort((a, b) => rank(a) - rank(b) || byName.compare(a.displayName, b.displayName) || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0))
    .map(({ userId, displayName }) => ({ userId, displayName }));
}

/**
 * The mean gap between consecutive ring moves in whole minutes: the gaps add up to last − first, so their mean
 * is that span over (count − 1). Null with fewer than two moves.
 */
export function avgMinutesBetween(ring: RingStats): number | null {
  if (ring.count < 2 || !ring.first || !ring.last) return null;
  return Math.round((ring.last.getTime() - ring.first.getTime()) / (ring.count - 1) / MINUTE_MS);
}

/** The window `ringPassesLast24h` counts: after this instant, up to `now`. */
export const last24hStart = (now: Date) => new Date(now.getTime() - DAY_MS);

/** Card colours per platform: a dark background with white text, and an accent. */
const THEMES: Record<Platform, ShareCard['theme']> = {
  x: { background: '#0f172a', accent: '#38bdf8' },
  threads: { background: '#1c1917', accent: '#fb923c' },
  bluesky: { background: '#0b1f3a', accent: '#60a5fa' },
  linkedin: { background: '#0b2e4f', accent: '#34d399' },
  instagram: { background: '#3b0764', accent: '#f472b6' },
};

/** Where a card's call to action leads: the public page of a published thread, else the draft in the app. */
function ctaUrl(input: CardInput): string {
  const { draft, publicUrl } = input;
  return draft.status === 'published' ? `${publicUrl}/p/${draft.id}` : `${publicUrl}/drafts/${draft.id}`;
}

/** Everything the PNG shows, and nothing else: the image and its hash depend on this alone. */
export type CardImageModel = {
  topLine: string;
  title: string;
  subtitle: string;
  contributors: string[];
  moreContributors: string | null;
  metrics: Array<{ value: string; label: string }>;
  theme: ShareCard['theme'];
  brand: string;
};

/** Bumped whenever the card component draws differently, so no cached image or ETag outlives a redesign. */
const IMAGE_VERSION = 'share-card/1';

/** The content hash of an image model: its ETag and its cache key. */
export function imageHash(model: CardImageModel): string {
  return createHash('sha256').update(IMAGE_VERSION).update('\n').update(JSON.stringify(model)).digest('hex').slice(0, 32);
}

export function cardImageModel(card: Omit<ShareCard, 'imageUrl' | 'generatedAt'>): CardImageModel {
  const { metrics } = card;
  const hidden = metrics.contributorsCount - card.contributors.length;
  return {
    topLine: card.topLine,
    title: card.title,
    subtitle: card.subtitle,
    contributors: card.contributors.map((c) => c.displayName),
    moreContributors: hidden > 0 ? shareCopy.moreContributors(hidden) : null,
    metrics: [
      { value: String(metrics.contributorsCount), label: shareCopy.metricWriters },
      { value: String(metrics.ringPassesLast24h), label: shareCopy.metricRingPasses },
      { value: metrics.avgMinutesBetweenPasses === null ? shareCopy.metricNone : String(metrics.avgMinutesBetweenPasses), label: shareCopy.metricMinutesBetweenPasses },
      { value: String(metrics.segmentsCount), label: shareCopy.metricPosts },
    ],
    theme: card.theme,
    brand: shareCopy.brand,
  };
}

/** The URL of a card's PNG; `v` changes with what the image shows, so link previews that cache by URL refresh. */
export function cardImageUrl(publicUrl: string, draftId: string, hash: string): string {
  return `${publicUrl}/v1/drafts/${draftId}/share-card.png?v=${hash.slice(0, 12)}`;
}

/** A draft's share card at `now`, and the model and hash of its image. */
export function buildShareCard(input: CardInput): { card: ShareCard; image: CardImageModel; hash: string } {
  const { draft, members, ring, now } = input;
  const contributors = orderContributors(members);
  const ringPassesLast24h = ring.inLast24h;
  const card = {
    draftId: draft.id,
    title: draft.title,
    subtitle: shareCopy.subtitle(contributors.length, ringPassesLast24h),
    topLine: shareCopy.topLine(draft.status),
    contributors: contributors.slice(0, CARD_CONTRIBUTORS_SHOWN),
    metrics: {
      contributorsCount: contributors.length,
      ringPassesLast24h,
      avgMinutesBetweenPasses: avgMinutesBetween(ring),
      segmentsCount: draft.segmentCount,
    },
    cta: { label: shareCopy.ctaLabel(draft.status), url: ctaUrl(input) },
    theme: THEMES[draft.platform],
  };
  const image = cardImageModel(card);
  const hash = imageHash(image);
  return { card: { ...card, imageUrl: cardImageUrl(input.publicUrl, draft.id, hash), generatedAt: now.toISOString() }, image, hash };
}
