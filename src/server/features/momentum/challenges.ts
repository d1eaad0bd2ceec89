/**
 * The daily challenges, in rotation order (their words are in analytics/copy.ts). A day's challenge is its
 * day number modulo the list's length, so any change to the list moves the challenge of every day.
 */
export const CHALLENGE_IDS = [
  'open-with-a-question',
  'one-sentence',
  'lead-with-a-number',
  'tiny-story',
  'something-you-learned',
  'pass-it-on',
  'fresh-opening',
  'three-things',
  'say-thanks',
  'how-it-is-made',
  'plain-words',
  'change-of-mind',
  'strong-close',
  'paint-a-picture',
  'ask-for-ideas',
  'ten-minute-draft',
] as const;
export type ChallengeId = (typeof CHALLENGE_IDS)[number];
