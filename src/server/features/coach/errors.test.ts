import { describe, expect, it } from 'vitest';
import { MIRROR_MAX_MESSAGES } from '../../../contract/coach.js';
import { COLD_OR_DISMISSIVE_WORDS, COMPARING_OR_SHAMING_WORDS, deniedWordsIn, LIMIT_BLAMING_WORDS } from '../../../contract/supportive-copy.js';
import { coachUnavailable, sessionFull, sessionNotFound, turnNotFound } from './errors.js';

describe("the coach's refusals", () => {
  it('use supportive words: no comparing, no blame, no orders', () => {
    const denied = [...COMPARING_OR_SHAMING_WORDS, ...LIMIT_BLAMING_WORDS, ...COLD_OR_DISMISSIVE_WORDS];
    for (const error of [coachUnavailable(), sessionFull(MIRROR_MAX_MESSAGES), sessionNotFound(), turnNotFound()]) {
      expect(deniedWordsIn(error.detail, denied), error.code).toEqual([]);
    }
  });
});
