import { describe, expect, it } from 'vitest';
import { skeletonOf } from './normalize.js';

const sorted = (set: ReadonlySet<number>) => [...set].sort((a, b) => a - b);

describe('the precheck normaliser', () => {
  it('keeps letters once per run, lowercased, without accents, leetspeak read back, i and l as one', () => {
    expect(skeletonOf('WÖRTHLESSSSS').letters).toBe('worthies');
    expect(skeletonOf('w0r7h13$$').letters).toBe('worthies');
    expect(skeletonOf('Ｋｉｌｌ').letters).toBe('ki');
    expect(skeletonOf('I’m').letters).toBe(skeletonOf("Im").letters);
    expect(skeletonOf('kil\u200Bl').letters).toBe('ki');
  });

  it('drops spaces and punctuation from the letters and keeps them as word boundaries', () => {
    const spaced = skeletonOf('w o r t h');
    expect(spaced.letters).toBe('worth');
    expect(sorted(spaced.starts)).toEqual([0, 1, 2, 3, 4]);
    const words = skeletonOf('end it, all!');
    expect(words.letters).toBe('enditai');
    expect(sorted(words.starts)).toEqual([0, 3, 5]);
    expect(sorted(words.ends)).toEqual([3, 5, 7]);
  });

  it('lets a letter shared across a boundary start the next word ("hi i want")', () => {
    const shared = skeletonOf('hi i want');
    expect(shared.letters).toBe('hiwant');
    expect(shared.starts.has(1)).toBe(true);
    expect(shared.ends.has(2)).toBe(true);
  });

  it('reads look-alike letters of other scripts, "2" as "to", and blank-looking letters as spaces', () => {
    expect(skeletonOf('ԁіе').letters).toBe('die');
    expect(skeletonOf('ᴅɪᴇ').letters).toBe('die');
    expect(skeletonOf('ꓲ').letters).toBe('i');
    expect(skeletonOf('want 2 go').letters).toBe(skeletonOf('want to go').letters);
    expect(skeletonOf('a\u3164b').starts.has(1)).toBe(true);
  });

  it('lets any letter start or end a word in a run too long for one word, and only there', () => {
    const run = skeletonOf('iwanttokillmyself');
    expect(sorted(run.starts)).toEqual([...run.letters].map((_, i) => i));
    const words = skeletonOf('spend it all');
    expect(words.starts.has(2)).toBe(false);
  });

  it('marks where a clause ends: at punctuation that closes one, a line break, and the end', () => {
    // Letters: "gon" (o once), "then", "go", "now".
    expect(sorted(skeletonOf('go on. then, go\nnow').clauseEnds)).toEqual([3, 7, 9, 12]);
    expect(sorted(skeletonOf('go on Friday').clauseEnds)).toEqual([9]);
  });

  it('reads symbols the confusables table maps to letters as boundaries, not letters', () => {
    expect(skeletonOf('die|').letters).toBe('die');
    expect(skeletonOf('die€').letters).toBe('die');
  });

  it('reads an empty or letterless text as nothing', () => {
    expect(skeletonOf('').letters).toBe('');
    expect(skeletonOf(' ... !!! ').letters).toBe('');
  });
});
