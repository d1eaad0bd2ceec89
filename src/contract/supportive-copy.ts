/**
 * Words our copy never uses (SPEC principles: never compare, never shame). One list for every test that
 * checks copy: the analytics copy, the plan-limit words and the coach's safety notices.
 */

/** Words and phrases that compare a reader with others or shame them. */
export const COMPARING_OR_SHAMING_WORDS: readonly string[] = [
  'behind', 'only', 'worst', 'worse', 'fail', 'failed', 'failing', 'failure', 'lazy', 'lowest', 'lower', 'bottom', 'lose', 'losing',
  'loser', 'losers', 'slow', 'slower', 'slowest', 'weak', 'weaker', 'weakest', 'should have', "should've", 'rank', 'ranked', 'ranking',
  'beat', 'beaten', 'compare', 'compared', 'comparison', 'than', 'last place', 'fall short', 'falling short', 'disappointing',
  'not enough', 'better', 'best', 'least',
];

/** Words that make a limit sound like the reader's fault. */
export const LIMIT_BLAMING_WORDS: readonly string[] = ['exceeded', 'violation', 'blocked', 'denied', 'too many', 'sorry', 'unfortunately'];

/** Words that turn support into a diagnosis, a dismissal or an order. */
export const COLD_OR_DISMISSIVE_WORDS: readonly string[] = [
  'patient', 'disorder', 'symptom', 'symptoms', 'diagnosis', 'mentally ill', 'dramatic', 'overreacting', 'attention', 'selfish',
  'calm down', 'cheer up', 'get over', 'snap out', 'just relax', 'should', 'must', 'violates', 'policy', 'inappropriate',
];

const patterns = new Map<readonly string[], RegExp>();

/** One alternation of whole words (any case, any spacing between the words of a phrase): no nested quantifier. */
function patternFor(words: readonly string[]): RegExp {
  let pattern = patterns.get(words);
  if (pattern === undefined) {
    const alternatives = words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+')).join('|');
    pattern = new RegExp(`(?:^|[^\\p{L}'’])(${alternatives})(?=$|[^\\p{L}])`, 'giu');
    patterns.set(words, pattern);
  }
  return pattern;
}

/**
 * The denied words `text` uses, as whole words in any case (lowercased, in order of appearance); empty when
 * it uses none. Words that merely contain one ("lonely", "frankly") do not count.
 */
export function deniedWordsIn(text: string, words: readonly string[] = COMPARING_OR_SHAMING_WORDS): string[] {
  return [...text.matchAll(patternFor(words))].map((match) => match[1]!.toLowerCase().replace(/\s+/g, ' '));
}
