import { createHash } from 'node:crypto';
import type { ArchetypeId, PersonalShareCard, Profile } from '../../../contract/analytics.js';
import { shareCopy } from '../analytics/copy.js';

/** Card colours per archetype: a dark background with white text, and an accent. */
const THEMES: Record<ArchetypeId, PersonalShareCard['theme']> = {
  analytical: { background: '#0f172a', accent: '#38bdf8' },
  creative: { background: '#3b0764', accent: '#f472b6' },
  connector: { background: '#052e2b', accent: '#34d399' },
  leader: { background: '#1c1917', accent: '#fbbf24' },
};

/** Everything the personal PNG shows, and nothing else: the image and its hash depend on this alone. */
export type PersonalImageModel = {
  topLine: string;
  displayName: string;
  archetype: string;
  metrics: Array<{ value: string; label: string }>;
  /** 0..100: how full the momentum bar is drawn. */
  momentumScore: number;
  theme: PersonalShareCard['theme'];
  brand: string;
};

/** Bumped whenever the personal card component draws differently; also keeps its hashes apart from draft cards'. */
const IMAGE_VERSION = 'personal-card/1';

export function personalImageHash(model: PersonalImageModel): string {
  return createHash('sha256').update(IMAGE_VERSION).update('\n').update(JSON.stringify(model)).digest('hex').slice(0, 32);
}

/** The public profile page of a user, where the card's call to action leads. */
export const profilePageUrl = (publicUrl: string, userId: string) => `${publicUrl}/u/${userId}`;

/**
 * A user's personal share card, built from their public profile alone, so it can say nothing the profile does
 * not (no email, no comparison with anyone): name, archetype, streak and momentum.
 */
export function buildPersonalShareCard(profile: Profile, publicUrl: string): { card: PersonalShareCard; image: PersonalImageModel; hash: string } {
  const { userId, displayName, archetype, momentum } = profile;
  const theme = THEMES[archetype.id];
  const image: PersonalImageModel = {
    topLine: shareCopy.personalTopLine,
    displayName,
    archetype: archetype.name,
    metrics: [
      { value: String(momentum.streakDays), label: shareCopy.personalMetricStreak },
      { value: String(momentum.score), label: shareCopy.personalMetricMomentum },
    ],
    momentumScore: momentum.score,
    theme,
    brand: shareCopy.brand,
  };
  const hash = personalImageHash(image);
  const card: PersonalShareCard = {
    userId,
    displayName,
    archetype: { id: archetype.id, name: archetype.name },
    streakDays: momentum.streakDays,
    momentumScore: momentum.score,
    cta: { label: shareCopy.personalCtaLabel, url: profilePageUrl(publicUrl, userId) },
    theme,
    // `v` changes with what the image shows, so link previews that cache by URL refresh.
    imageUrl: `${publicUrl}/v1/users/${userId}/share-card.png?v=${hash.slice(0, 12)}`,
    generatedAt: profile.generatedAt,
  };
  return { card, image, hash };
}

/** What a link preview of the profile says under its title: the archetype, then streak and momentum. */
export function personalSummary(card: PersonalShareCard): string {
  return `${card.archetype.name} · ${shareCopy.personalSummary(card.streakDays, card.momentumScore)}`;
}
