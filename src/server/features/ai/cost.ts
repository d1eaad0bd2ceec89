import type { AiMessage } from './gateway-types.js';

/**
 * Tokens a message costs beyond its text. OpenAI's own count (the cookbook's `num_tokens_from_messages`) is
 * 3 per message plus 3 to prime the reply, and 1 more for a `name`; 8 each leaves room for other
 * chat templates, which wrap messages in a few more special tokens.
 */
export const MESSAGE_OVERHEAD_TOKENS = 8;
export const REPLY_PRIMING_TOKENS = 8;

/**
 * An upper bound of a prompt's input tokens: its UTF-8 bytes plus the overheads. Byte-level BPE
 * tokenizers (tiktoken's cl100k/o200k, and the Llama/Mistral family with byte fallback) turn every token
 * into at least one byte, so a text never has more tokens than bytes.
 */
export function inputTokensBound(messages: readonly AiMessage[]): number {
  let bytes = 0;
  for (const message of messages) bytes += Buffer.byteLength(message.content, 'utf8') + MESSAGE_OVERHEAD_TOKENS;
  return bytes + REPLY_PRIMING_TOKENS;
}

/** A model's price per million tokens, in micro-dollars. */
export type Price = { inputMicrosPerMillion: number; outputMicrosPerMillion: number };

/** What tokens cost in whole micro-dollars, rounded up so a sum of costs never falls below what was spent. */
export function costMicros(price: Price, inputTokens: number, outputTokens: number): number {
  const scaled = inputTokens * price.inputMicrosPerMillion + outputTokens * price.outputMicrosPerMillion;
  return Math.ceil(scaled / 1_000_000);
}

/** The worst case of a call: every input token the bound allows and `maxTokens` of output. */
export function estimateMicros(price: Price, messages: readonly AiMessage[], maxTokens: number): number {
  return costMicros(price, inputTokensBound(messages), maxTokens);
}

/** The UTC day an instant falls on (`YYYY-MM-DD`), the key of the daily budgets. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Whole seconds from `at` to the next UTC midnight, when the daily budgets start again (at least 1). */
export function secondsUntilNextUtcDay(at: Date): number {
  const next = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1);
  return Math.max(1, Math.ceil((next - at.getTime()) / 1000));
}
