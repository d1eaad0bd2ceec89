import { SAFETY_CATEGORIES, type SafetyCategory } from '../../../contract/coach.js';
import { skeletonOf } from './normalize.js';
import { BENIGN_PHRASES, SAFETY_RULES, type SafetyRule } from './rules.js';

/**
 * The safety precheck: does a text a user sends the coach speak of suicide, self-harm or harmful self-talk?
 * Deterministic and data-driven (rules.ts); it reads the text's skeleton (normalize.ts) against a trie of
 * every phrase the rules spell, from each word start, so it runs in time linear in the text's length
 * (times the longest phrase, a constant) whatever the input.
 */

/** Expands a template's `(a|b|)` groups (which may nest) into every phrase it spells. */
export function expandTemplate(template: string): string[] {
  let at = 0;
  // A sequence of words and groups, up to a `|` or `)` of the group around it.
  const sequence = (): string[] => {
    let phrases = [''];
    while (at < template.length && template[at] !== '|' && template[at] !== ')') {
      let options: string[];
      if (template[at] === '(') {
        at++;
        options = sequence();
        while (template[at] === '|') {
          at++;
          options = options.concat(sequence());
        }
        if (template[at] !== ')') throw new Error(`Unclosed group in safety template: ${template}`);
        at++;
      } else {
        const word = /^[^()|]+/.exec(template.slice(at))![0];
        at += word.length;
        options = [word];
      }
      phrases = phrases.flatMap((phrase) => options.map((option) => phrase + option));
    }
    return phrases;
  };
  const phrases = sequence();
  if (at !== template.length) throw new Error(`Unbalanced group in safety template: ${template}`);
  return phrases;
}

interface TrieNode {
  readonly next: Map<string, TrieNode>;
  /** The rule a phrase ending here belongs to (the first rule, if two spell the same letters). */
  rule?: SafetyRule;
  /** The rule a phrase that counts only at a clause's end (`closing`) belongs to. */
  closingRule?: SafetyRule;
  /** A benign figure of speech ends here. */
  benign?: true;
}

const newNode = (): TrieNode => ({ next: new Map() });

function insert(root: TrieNode, template: string, mark: (node: TrieNode) => void): number {
  let longest = 0;
  for (const phrase of expandTemplate(template)) {
    const letters = skeletonOf(phrase).letters;
    longest = Math.max(longest, letters.length);
    let node = root;
    for (const letter of letters) {
      let child = node.next.get(letter);
      if (child === undefined) {
        child = newNode();
        node.next.set(letter, child);
      }
      node = child;
    }
    mark(node);
  }
  return longest;
}

const ROOT = newNode();
for (const rule of SAFETY_RULES) {
  for (const template of rule.phrases) insert(ROOT, template, (node) => (node.rule ??= rule));
  for (const template of rule.closing ?? []) insert(ROOT, template, (node) => (node.closingRule ??= rule));
}
/** The longest benign phrase, in skeleton letters: how far back a benign span covering a hit can start. */
const LONGEST_BENIGN = Math.max(0, ...BENIGN_PHRASES.map((template) => insert(ROOT, template, (node) => (node.benign = true))));

/** SAFETY_CATEGORIES lists the most serious first. */
const SEVERITY: Readonly<Record<SafetyCategory, number>> = Object.fromEntries(SAFETY_CATEGORIES.map((category, i) => [category, i])) as Record<SafetyCategory, number>;

/**
 * What the precheck found in `text`: the most serious category matched (crisis, then self-harm, then
 * harmful self-talk) and the rule that matched first in the text; null when nothing did.
 */
export function precheck(text: string): { category: SafetyCategory; ruleId: string } | null {
  const { letters, starts, ends, clauseEnds } = skeletonOf(text);
  const hits: Array<{ start: number; end: number; rule: SafetyRule }> = [];
  // The furthest end of a benign phrase starting at each start.
  const benignEnd = new Map<number, number>();
  for (const start of starts) {
    let node: TrieNode | undefined = ROOT;
    for (let at = start; at < letters.length; at++) {
      node = node.next.get(letters[at]!);
      if (node === undefined) break;
      if (!ends.has(at + 1)) continue;
      const rule = node.rule ?? (clauseEnds.has(at + 1) ? node.closingRule : undefined);
      if (rule !== undefined) hits.push({ start, end: at + 1, rule });
      if (node.benign) benignEnd.set(start, at + 1);
    }
  }
  const counted = hits.filter((hit) => !coveredByBenign(hit, benignEnd));
  if (counted.length === 0) return null;
  // Most serious first; then the earliest in the text (starts were visited in order, and sort is stable).
  counted.sort((a, b) => SEVERITY[a.rule.category] - SEVERITY[b.rule.category]);
  const found = counted[0]!.rule;
  return { category: found.category, ruleId: found.id };
}

/** Whether a benign phrase spans the hit: only one starting at most LONGEST_BENIGN letters before it can. */
function coveredByBenign(hit: { start: number; end: number }, benignEnd: ReadonlyMap<number, number>): boolean {
  for (let start = hit.start; start >= 0 && start >= hit.start - LONGEST_BENIGN; start--) {
    if ((benignEnd.get(start) ?? -1) >= hit.end) return true;
  }
  return false;
}
