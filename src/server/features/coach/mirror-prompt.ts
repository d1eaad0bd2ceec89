import type { AiEnvelope, AiMessage } from '../ai/gateway-types.js';
import { precheck } from '../safety/precheck.js';

/** A Mirror reply: reflective and unhurried, a few short paragraphs at most (the timeout: AI_TIMEOUT_MS). */
const MIRROR_CALL = { temperature: 0.7, maxTokens: 600 } as const;
/** How many earlier messages of the session a reply sees. */
export const MIRROR_CONTEXT_MESSAGES = 20;
/** How much of the session's draft a reply sees, in characters: its opening posts, then a note that it goes on. */
export const MIRROR_DRAFT_CHARS = 6000;

const SYSTEM_PROMPT = [
  'You are Mirror, a reflective writing coach. Help the writer notice what they mean, what they feel about their writing, and what they might try next.',
  'Ask at most one gentle question at a time, reflect their own words back, and keep answers short.',
  'Be warm and encouraging. Never judge, never compare them with anyone, never rank their writing.',
].join('\n');

/** The session's draft as context: its title and posts, cut at MIRROR_DRAFT_CHARS with a note saying so. */
export function draftContext(draft: { title: string; posts: string[] }): string {
  const header = `The writer's draft, "${draft.title}", post by post:`;
  let text = '';
  for (const [i, post] of draft.posts.entries()) {
    const next = `\n\n[${i + 1}] ${post}`;
    if (text.length + next.length > MIRROR_DRAFT_CHARS) {
      const room = MIRROR_DRAFT_CHARS - text.length;
      // Cut on a code point boundary: a lone surrogate half would be a broken character in the prompt.
      text += [...next].slice(0, Math.max(0, room)).join('');
      return `${header}${text}\n\n(The draft goes on: ${draft.posts.length - i - 1} more posts not shown.)`;
    }
    text += next;
  }
  return `${header}${text}`;
}

type Said = { role: string; content: string; safetyCategory: string | null };

/**
 * The earlier messages a reply sees: every exchange but those the safety precheck answered. Words that
 * were held back from a model then are not sent to one later as context.
 */
export function conversationOf(messages: readonly Said[]): Said[] {
  const kept: Said[] = [];
  for (const message of messages) {
    if (message.safetyCategory !== null) {
      if (kept.at(-1)?.role === 'user') kept.pop();
      continue;
    }
    kept.push(message);
  }
  return kept;
}

/**
 * The envelope of a Mirror reply: the system prompt, the draft (while the writer can still see it, and only
 * when the safety precheck passes its context: a draft that speaks of a crisis is left out whole, since the
 * gateway screens the new message only), the session's recent messages (see `conversationOf`), then the
 * new message last, where the gateway's precheck reads it.
 */
export function mirrorEnvelope(
  userId: string,
  model: string,
  input: { draft: { title: string; posts: string[] } | null; history: readonly Said[]; content: string },
): AiEnvelope {
  const messages: AiMessage[] = [{ role: 'system', content: SYSTEM_PROMPT }];
  const context = input.draft ? draftContext(input.draft) : null;
  if (context !== null && precheck(context) === null) messages.push({ role: 'system', content: context });
  for (const message of conversationOf(input.history)) messages.push({ role: message.role === 'coach' ? 'assistant' : 'user', content: message.content });
  messages.push({ role: 'user', content: input.content });
  return { feature: 'mirror', model, ...MIRROR_CALL, userId, messages };
}
