import type { ShareCard } from '../../../contract/analytics.js';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "A, B and C": names joined as a sentence says them. */
function listOf(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * The share card's picture in words (its alt text): the title and the figures the image shows, with the
 * writers it names and how many more there are.
 */
export function shareCardAlt(card: ShareCard): string {
  const { contributorsCount, segmentsCount, ringPassesLast24h, avgMinutesBetweenPasses } = card.metrics;
  const shown = card.contributors.map((c) => c.displayName);
  const more = contributorsCount - shown.length;
  const writers = more > 0 ? listOf([...shown, plural(more, 'other', 'others')]) : listOf(shown);
  const figures = [
    plural(segmentsCount, 'post', 'posts'),
    plural(contributorsCount, 'writer', 'writers'),
    `${plural(ringPassesLast24h, 'ring pass', 'ring passes')} in the last 24 hours`,
    ...(avgMinutesBetweenPasses === null ? [] : [`${plural(avgMinutesBetweenPasses, 'minute', 'minutes')} between passes on average`]),
  ];
  return `Share card for “${card.title}”${writers ? ` by ${writers}` : ''}: ${figures.join(', ')}.`;
}

/** A file name for the card's image from the draft's title: `my-thread-share-card.png`. */
export function shareCardFilename(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `${slug || 'thread'}-share-card.png`;
}
