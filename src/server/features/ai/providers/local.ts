import { createHash } from 'node:crypto';
import { formatTurnAnswer, withoutSeparators } from '../../coach/turn-format.js';
import type { AiMessage } from '../gateway-types.js';
import type { Completion, Provider, ProviderRequest, StreamEvent } from './provider.js';

/** The model name the offline provider answers as (its price is `local` / `*`: free). */
export const LOCAL_MODEL = 'onering-local';

/**
 * The offline provider: supportive, template-based answers composed from the user's own words. It is the
 * provider when no AI_BASE_URL is set and the fallback when the configured one fails. Deterministic: the same
 * words get the same answer (templates are picked by a hash of the text, never at random or by the time).
 */
export function createLocalProvider(): Provider {
  return {
    name: 'local',
    async complete(request, signal) {
      signal.throwIfAborted();
      return answer(request);
    },
    async *stream(request, signal): AsyncGenerator<StreamEvent> {
      const { text, finishReason, usage } = answer(request);
      for (const word of text.split(/(?<=\s)/)) {
        signal.throwIfAborted();
        yield { type: 'delta', text: word };
      }
      yield { type: 'end', finishReason, usage };
    },
  };
}

/** UTF-8 bytes a token stands for, in this provider's stand-in for a tokenizer. */
const BYTES_PER_TOKEN = 4;

/** Tokens as a quarter of the UTF-8 bytes, rounded up: a simple, deterministic stand-in for a tokenizer. */
export function localTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, 'utf8') / BYTES_PER_TOKEN);
}

function answer(request: ProviderRequest): Completion {
  const said = lastUserText(request.messages);
  const { text, truncated } = request.feature === 'turn' ? wholeRewritesWithin(turnRewrites(said), request.maxTokens) : withinTokens(mirrorAnswer(said), request.maxTokens);
  const inputTokens = request.messages.reduce((sum, m) => sum + localTokens(m.content), 0);
  return { text, finishReason: truncated ? 'length' : 'stop', usage: { inputTokens, outputTokens: localTokens(text) } };
}

function lastUserText(messages: readonly AiMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === 'user') return messages[i]!.content.trim();
  return '';
}

/** A number from the text's hash, so each choice is stable for the same words. */
function pick<T>(options: readonly T[], text: string, salt: string): T {
  const digest = createHash('sha256').update(salt).update('\0').update(text).digest();
  return options[digest.readUInt32BE(0) % options.length]!;
}

/**
 * Whole words up to `maxTokens`, as a model would stop at its limit; a first word longer than that alone is
 * cut inside, at a whole character.
 */
function withinTokens(text: string, maxTokens: number): { text: string; truncated: boolean } {
  if (localTokens(text) <= maxTokens) return { text, truncated: false };
  const maxBytes = maxTokens * BYTES_PER_TOKEN;
  const byWords = keptWhile(text.split(/(?<=\s)/), maxBytes).trimEnd();
  return { text: byWords.length > 0 ? byWords : keptWhile(Array.from(text), maxBytes), truncated: true };
}

/** The first `parts` joined, as many as fit in `maxBytes` of UTF-8. */
function keptWhile(parts: readonly string[], maxBytes: number): string {
  let kept = '';
  let bytes = 0;
  for (const part of parts) {
    bytes += Buffer.byteLength(part, 'utf8');
    if (bytes > maxBytes) break;
    kept += part;
  }
  return kept;
}

// ---------------------------------------------------------------------------------------------------------
// Turn: up to three rewrites of the post

const FILLERS = [
  'just', 'really', 'very', 'actually', 'basically', 'literally', 'honestly', 'simply', 'totally', 'definitely',
  'kind of', 'sort of', 'i think that', 'i think', 'i feel like', 'in my opinion', 'you know',
];
const FILLER_PATTERN = new RegExp(`\\b(?:${FILLERS.map((f) => f.replace(/ /g, '\\s+')).join('|')})\\b,?\\s*`, 'giu');

const OPENERS = ['The short version: ', 'Here is the point: ', 'Plainly put: '];
const INVITATIONS = ['What would you add?', 'Has this been true for you too?', 'How do you see it?', 'What has worked for you?'];

/** The first letter upper-cased, unless the first word is a name, an acronym, a link, a handle or a tag. */
function capitalised(text: string): string {
  const first = text.split(/\s/, 1)[0]!;
  if (/\p{Lu}/u.test(first.slice(1)) || /[/@#.:]/.test(first)) return text;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The text without filler words, spaces tidied; again until none is left ("I just think" hides "I think"). */
function tighter(text: string): string {
  let cut = text;
  for (let before = ''; before !== cut; ) {
    before = cut;
    cut = cut.replace(FILLER_PATTERN, '');
  }
  cut = cut.replace(/\s+([,.!?;:])/g, '$1').replace(/[ \t]{2,}/g, ' ').trim();
  return cut.length > 0 ? capitalised(cut) : text;
}

function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+/).filter((s) => s.length > 0);
}

/** The point first: the closing sentence (where a post usually lands) moved up, or a short lead-in. */
function pointFirst(text: string): string {
  const parts = sentences(text);
  if (parts.length >= 2) return [parts[parts.length - 1]!, ...parts.slice(0, -1)].join(' ');
  return pick(OPENERS, text, 'opener') + continuing(text);
}

/**
 * The text as it reads after a lead-in: its first letter lower-cased, unless the word is "I" or has a capital
 * inside (an acronym, "OneRing", "iPhone"). A plain name ("Anna") cannot be told from any first word and is
 * lower-cased too.
 */
function continuing(text: string): string {
  const first = text.split(/\s/, 1)[0]!;
  const keepsCapital = /^I\b/u.test(first) || /\p{Lu}/u.test(first.slice(1));
  return keepsCapital ? text : text.charAt(0).toLowerCase() + text.slice(1);
}

/** Ends with an open question, so readers have a way in. */
function invitingReply(text: string): string {
  const ending = /[.!?]$/.test(text) ? '' : '.';
  return `${text}${ending} ${pick(INVITATIONS, text, 'invitation')}`;
}

function turnRewrites(said: string): string[] {
  // A line of dashes in the post would read as the separator between rewrites.
  const post = withoutSeparators(said);
  if (post.length === 0) return [];
  const tight = tighter(post);
  const rewrites = [tight, pointFirst(tight), invitingReply(tight)];
  return rewrites.filter((r, i) => r !== post && rewrites.indexOf(r) === i);
}

export function turnAnswer(post: string): string {
  return formatTurnAnswer(turnRewrites(post));
}

/**
 * As many whole rewrites as fit in `maxTokens`: one cut short would end mid-thought ("The short version:").
 * When even the first does not fit, it is cut.
 */
function wholeRewritesWithin(rewrites: readonly string[], maxTokens: number): { text: string; truncated: boolean } {
  const kept: string[] = [];
  for (const rewrite of rewrites) {
    if (localTokens(formatTurnAnswer([...kept, rewrite])) > maxTokens) break;
    kept.push(rewrite);
  }
  if (kept.length === 0 && rewrites.length > 0) return withinTokens(rewrites[0]!, maxTokens);
  return { text: formatTurnAnswer(kept), truncated: kept.length < rewrites.length };
}

// ---------------------------------------------------------------------------------------------------------
// Mirror: a warm observation and one open question

const OBSERVATIONS = [
  'There is real care in how you put this.',
  'It sounds like this matters to you, and that comes through.',
  'You are giving this honest thought, which is a good place to write from.',
  'I can hear what you are working toward in these words.',
  'You named something many people feel and few put into words.',
];
const QUESTIONS = [
  'What feels most important to say first?',
  'What would you like a reader to take away?',
  'Which part of this feels most like you?',
  'If you said this to a friend, how would it sound?',
  'What would make this feel finished to you?',
];

export function mirrorAnswer(said: string): string {
  return `${pick(OBSERVATIONS, said, 'observation')} ${pick(QUESTIONS, said, 'question')}`;
}
