import { confusablesMap } from 'confusables';

/**
 * The precheck's normaliser: turns text into a skeleton where spelling noise no longer matters, in one pass
 * over the characters (linear time, no regular expression backtracking).
 *
 * The skeleton is the text's letters only, lowercased, without diacritics, with leetspeak and look-alike
 * letters of other scripts read back as Latin ones (Unicode's confusables, from the `confusables` package,
 * and a few it lacks), and every run of one letter kept once ("worthlessssss" and "worthless" read the same).
 * Spaces and punctuation are dropped from it, so "w o r t h l e s s" and "w.o.r.t.h.l.e.s.s" read as
 * "worthless"; where they stood is kept aside as word boundaries, so a phrase can be required to start and
 * end on one ("spend it all" does not contain "end it all"). Apostrophes vanish without a boundary (I’m, I'm,
 * Im). A run of letters too long for one word ("iwanttodie", a hashtag) has a boundary at every letter.
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
  /** Where a clause ends: a word end followed by . , ; : ! ? … or a line break, and the end of the text. */
  readonly clauseEnds: ReadonlySet<number>;
}

/** Leetspeak ("2" as in "want 2 die"), and `l` read as `i` (see above). */
const LEET: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '2': 'to', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', l: 'i' };
/** Look-alikes the confusables table does not map to a Latin letter: Cyrillic and Greek lower case, Lisu. */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ѕ: 's', ј: 'j', һ: 'h', к: 'k', м: 'm', т: 't', н: 'h', в: 'b',
  α: 'a', ε: 'e', ο: 'o', ι: 'i', κ: 'k', ν: 'v', τ: 't', ρ: 'p', υ: 'u',
  ꓮ: 'a', ꓐ: 'b', ꓚ: 'c', ꓓ: 'd', ꓰ: 'e', ꓝ: 'f', ꓖ: 'g', ꓧ: 'h', ꓲ: 'i', ꓙ: 'j', ꓗ: 'k', ꓡ: 'l', ꓟ: 'm', ꓠ: 'n', ꓳ: 'o',
  ꓑ: 'p', ꓣ: 'r', ꓢ: 's', ꓔ: 't', ꓴ: 'u', ꓦ: 'v', ꓪ: 'w', ꓫ: 'x', ꓬ: 'y', ꓜ: 'z',
};

/** Apostrophes and look-alikes, and invisible characters: dropped without making a word boundary. */
const IGNORED = new Set(["'", '’', '‘', 'ʼ', '`', '´', 'ʹ', '′', '\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff']);
/** Letters that show as blank space (Hangul fillers, the blank Braille pattern): a word boundary, as a space. */
const BLANK_LETTERS = new Set(['\u115f', '\u1160', '\u3164', '\uffa0', '\u2800']);

/** A run of more letters than this, with no boundary in it, is read as words run together. */
const LONGEST_WORD = 8;

const COMBINING_MARK = /\p{M}/u;
const LETTER = /\p{L}/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const CLAUSE_END = new Set(['.', ',', ';', ':', '!', '?', '…', '\n', '\r']);

/** The letters `c` (lowercase) reads as in a skeleton, '' when ignored, or ' ' for a word boundary. */
function readAs(c: string): string {
  if (IGNORED.has(c) || COMBINING_MARK.test(c)) return '';
  if (BLANK_LETTERS.has(c)) return ' ';
  const look = LOOK_ALIKES[c] ?? c;
  const leet = LEET[look];
  if (leet !== undefined) return leet;
  if (look !== c) return look;
  return LETTER_OR_DIGIT.test(c) ? c : ' ';
}

/**
 * A character as the confusables table reads it, lowercased: before and after lowercasing, since the table
 * has some letters in one case only ("Ɪ" lowercases to "ɪ", which it reads as "I").
 */
function lookAlikeRead(c: string): string {
  // Letters only: the table also reads symbols as letters (| as l, € as e), which would glue a word to them.
  if (!LETTER.test(c)) return c;
  const lower = (confusablesMap.get(c) ?? c).toLowerCase();
  return lower.length === 1 ? (confusablesMap.get(lower) ?? lower).toLowerCase() : lower;
}

/** The skeleton of `text` (see the module's comment). */
export function skeletonOf(text: string): Skeleton {
  const letters: string[] = [];
  const starts = new Set<number>([0]);
  const ends = new Set<number>();
  const clauseEnds = new Set<number>();
  let last = '';
  let atBoundary = true;
  let wordStart = 0;
  const endWord = () => {
    ends.add(letters.length);
    // Words run together: any letter of the run may start or end one.
    if (letters.length - wordStart > LONGEST_WORD) {
      for (let i = wordStart + 1; i < letters.length; i++) {
        starts.add(i);
        ends.add(i);
      }
    }
  };
  // NFKD splits "é" into "e" and a combining accent (dropped), and folds full-width and styled letters;
  // the confusables table reads other scripts' look-alikes as Latin letters; lowercasing after both drops
  // the marks lowercasing adds (İ → i + dot).
  for (const original of text.normalize('NFKD')) {
    if (CLAUSE_END.has(original) && letters.length > 0) clauseEnds.add(letters.length);
    for (const c of lookAlikeRead(original)) {
      for (const read of readAs(c)) {
        if (read === ' ') {
          if (!atBoundary) endWord();
          atBoundary = true;
        } else if (read === last) {
          // A repeat of the letter before is one letter. After a boundary ("hi i want"), the kept letter also
          // starts the new word.
          if (atBoundary) {
            starts.add(letters.length - 1);
            wordStart = letters.length - 1;
          }
          atBoundary = false;
        } else {
          if (atBoundary) {
            starts.add(letters.length);
            wordStart = letters.length;
          }
          letters.push(read);
          last = read;
          atBoundary = false;
        }
      }
    }
  }
  endWord();
  clauseEnds.add(letters.length);
  return { letters: letters.join(''), starts, ends, clauseEnds };
}
