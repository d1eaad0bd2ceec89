import { MAX_TURN_SUGGESTIONS } from '../../../contract/coach.js';
import { PLATFORM_LIMITS, type Platform } from '../../../contract/constants.js';
import { PLATFORM_NAMES } from '../../../contract/platform-text.js';
import type { AiEnvelope } from '../ai/gateway-types.js';
import { TURN_SEPARATOR } from './turn-format.js';

/** A Turn's model call: a few short rewrites, warm but steady (the timeout: AI_TIMEOUT_MS). */
const TURN_CALL = { temperature: 0.7, maxTokens: 700 } as const;

/**
 * The Turn system prompt: supportive and specific to the platform, asking for the answer format that
 * `parseTurnAnswer` reads. The user's text goes in its own message, so the safety precheck reads their
 * words alone.
 */
export function turnSystemPrompt(platform: Platform): string {
  const name = PLATFORM_NAMES[platform];
  const limit = PLATFORM_LIMITS[platform];
  return [
    `You are a warm, encouraging writing coach helping someone write a post for ${name}.`,
    `Offer up to ${MAX_TURN_SUGGESTIONS} rewrites of their text that keep its meaning and their voice and read clearly and kindly.`,
    `Each rewrite must fit ${name}'s limit of ${limit} characters.`,
    'Never judge the writer or compare them with anyone; if the text is hard on the writer, reframe it with care.',
    `Answer with the rewrites only, no introductions or notes, each on its own, separated by a line holding only ${TURN_SEPARATOR}.`,
  ].join('\n');
}

/** The envelope of a Turn: the configured model, the system prompt, then the text to reframe. */
export function turnEnvelope(userId: string, model: string, platform: Platform, text: string): AiEnvelope {
  return {
    feature: 'turn',
    model,
    ...TURN_CALL,
    userId,
    messages: [
      { role: 'system', content: turnSystemPrompt(platform) },
      { role: 'user', content: text },
    ],
  };
}
