import { describe, expect, it } from 'vitest';
import { COLD_OR_DISMISSIVE_WORDS, deniedWordsIn, LIMIT_BLAMING_WORDS } from './supportive-copy.js';

describe('the deny-list of words our copy never uses', () => {
  it('catches a denied word in any case, spacing or ending it lists, and names it', () => {
    expect(deniedWordsIn('You are behind.')).toEqual(['behind']);
    expect(deniedWordsIn('ONLY three')).toEqual(['only']);
    expect(deniedWordsIn('Ranked #4')).toEqual(['ranked']);
    expect(deniedWordsIn('better than most')).toEqual(['better', 'than']);
    expect(deniedWordsIn('you should  have written')).toEqual(['should have']);
    expect(deniedWordsIn('Slow week')).toEqual(['slow']);
    expect(deniedWordsIn('a ranking-free board')).toEqual(['ranking']);
  });

  it('leaves words that merely contain a denied one', () => {
    for (const fine of ['Thank you', 'a beautiful thread', 'lonely no more', 'frankly, lovely', 'a bestseller']) expect(deniedWordsIn(fine), fine).toEqual([]);
  });

  it('checks the list it is given', () => {
    expect(deniedWordsIn('Sorry, too many drafts', LIMIT_BLAMING_WORDS)).toEqual(['sorry', 'too many']);
    expect(deniedWordsIn('Sorry, too many drafts')).toEqual([]);
    expect(deniedWordsIn('Please calm down.', COLD_OR_DISMISSIVE_WORDS)).toEqual(['calm down']);
  });
});
