/**
 * The precheck's normaliser: turns text into a skeleton where spelling noise no longer matters, in one pass
 * over the characters (linear time, no regular expression backtracking).
 *
 * The skeleton is the text's letters only, lowercased, without diacritics, leetspeak and Cyrillic or Greek
 * look-alikes read back as Latin letters, and every run of one letter kept once ("worthlessssss" and "worthless" read the same). Spaces and
 * punctuation are dropped from it, so "w o r t h l e s s" and "w.o.r.t.h.l.e.s.s" read as "worthless"; where
 * they stood is kept aside as word boundaries, so a phrase can be required to start and end on one
 * ("spend it all" does not contain "end it all"). Apostrophes vanish without a boundary (I’m, I'm, Im).
 *
 * `i`, `l` and `1` read as one letter: leetspeak writes both `i` and `l` as `1` ("k1ll", "1ife"). The
 * phrases go through the same normaliser, so they still tell words apart by everything else.
 */

/** A text as the matcher reads it. */
export interface Skeleton {
  /** The letters, one per run. */
  readonly letters: string;
  /** Where a word may start: index into `letters`. */
  readonly starts: ReadonlySet<number>;
  /** Where a word may end: the index just past its last letter. */
  readonly ends: ReadonlySet<number>;
}

/** Leetspeak, and `l` read as `i` (see above). */
const LEET: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', l: 'i' };
/** Cyrillic and Greek letters that look like Latin ones ("wоrthless" with a Cyrillic о), read as those. */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ѕ: 's', ј: 'j', һ: 'h', к: 'k', м: 'm', т: 't', н: 'h', в: 'b',
  α: 'a', ε: 'e', ο: 'o', ι: 'i', κ: 'k', ν: 'v', τ: 't', ρ: 'p', υ: 'u',
};

/** Apostrophes and look-alikes, and invisible characters: dropped without making a word boundary. */
const IGNORED = new Set(["'", '’', '‘', 'ʼ', '`', '´', 'ʹ', '′', '\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff']);

const COMBINING_MARK = /\p{M}/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** The character `c` (lowercase) reads as in a skeleton: a letter, '' when ignored, or ' ' for a word boundary. */
function readAs(c: string): string {
  if (IGNORED.has(c) || COMBINING_MARK.test(c)) return '';
  const look = LOOK_ALIKES[c] ?? c;
  const leet = LEET[look];
  if (leet !== undefined) return leet;
  if (look !== c) return look;
  return LETTER_OR_DIGIT.test(c) ? c : ' ';
}

/** The skeleton of `text` (see the module's comment). */
export function skeletonOf(text: string): Skeleton {
  // NFKD splits "é" into "e" and a combining accent (dropped), and folds full-width and styled letters;
  // lowercasing after it drops the marks lowercasing adds (İ → i + dot).
  const folded = text.normalize('NFKD').toLowerCase();
  const letters: string[] = [];
  const starts = new Set<number>([0]);
  const ends = new Set<number>();
  let last = '';
  let atBoundary = true;
  for (const c of folded) {
    const read = readAs(c);
    if (read === '') continue;
    if (read === ' ') {
      if (!atBoundary) ends.add(letters.length);
      atBoundary = true;
    } else if (read === last) {
      // A repeat of the letter before is one letter. After a boundary ("hi i want"), the kept letter also
      // starts the new word.
      if (atBoundary) starts.add(letters.length - 1);
      atBoundary = false;
    } else {
      if (atBoundary) starts.add(letters.length);
      letters.push(read);
      last = read;
      atBoundary = false;
    }
  }
  ends.add(letters.length);
  return { letters: letters.join(''), starts, ends };
}
