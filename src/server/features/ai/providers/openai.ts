import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { Clock } from '../../../platform/clock.js';
import { inputTokensBound } from '../cost.js';
import { ProviderError, parseRetryAfter, type Completion, type FinishReason, type Provider, type ProviderRequest, type StreamEvent } from './provider.js';

/**
 * The client's own timeout, off in effect (the largest a timer takes): cockatiel's timeout aborts each
 * attempt through its signal, and the client's retries are off (`maxRetries: 0`) for the same reason.
 */
const CLIENT_TIMEOUT_MS = 2 ** 31 - 1;

export type OpenAiOptions = { baseUrl: string; apiKey: string | undefined; clock: Clock };

/** Any server speaking OpenAI's chat completions API, through the official client. */
export function createOpenAiProvider(options: OpenAiOptions): Provider {
  const client = new OpenAI({
    baseURL: options.baseUrl,
    // The client insists on a key; local servers (vLLM, Ollama) take any.
    apiKey: options.apiKey ?? 'unused',
    maxRetries: 0,
    timeout: CLIENT_TIMEOUT_MS,
    // Its debug lines would print requests (the user's words) to the console, past our logger's rules.
    logLevel: 'off',
  });
  const failure = (error: unknown) => providerError(error, options.clock);

  return {
    name: 'openai',
    async complete(request, signal) {
      try {
        const answer = await client.chat.completions.create(
          { model: request.model, messages: messagesOf(request), temperature: request.temperature, max_tokens: request.maxTokens },
          { signal },
        );
        const choice = answer.choices[0];
        const text = choice?.message.content ?? '';
        const usage = answer.usage
          ? { inputTokens: answer.usage.prompt_tokens, outputTokens: answer.usage.completion_tokens }
          : boundedUsage(request, text);
        return { text, finishReason: finishReasonOf(choice?.finish_reason), usage } satisfies Completion;
      } catch (error) {
        throw failure(error);
      }
    },
    async *stream(request, signal): AsyncGenerator<StreamEvent> {
      let text = '';
      let finish: FinishReason | null = null;
      let usage: Completion['usage'] | null = null;
      try {
        const chunks = await client.chat.completions.create(
          {
            model: request.model,
            messages: messagesOf(request),
            temperature: request.temperature,
            max_tokens: request.maxTokens,
            stream: true,
            stream_options: { include_usage: true },
          },
          { signal },
        );
        for await (const chunk of chunks) {
          const choice = chunk.choices[0];
          const delta = choice?.delta.content;
          if (delta) {
            text += delta;
            yield { type: 'delta', text: delta };
          }
          if (choice?.finish_reason) finish = finishReasonOf(choice.finish_reason);
          if (chunk.usage) usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
        }
      } catch (error) {
        throw failure(error);
      }
      // A stream that ends without a finish reason was cut by the server side, even if the socket closed cleanly.
      yield { type: 'end', finishReason: finish ?? 'cut', usage: usage ?? boundedUsage(request, text) };
    },
  };
}

function messagesOf(request: ProviderRequest): ChatCompletionMessageParam[] {
  return request.messages.map((m) => ({ role: m.role, content: m.content }));
}

/** When a server reports no usage: the upper bounds (bytes), so budgets are never under-charged. */
function boundedUsage(request: ProviderRequest, text: string): Completion['usage'] {
  return { inputTokens: inputTokensBound(request.messages), outputTokens: Math.min(request.maxTokens, Buffer.byteLength(text, 'utf8')) };
}

function finishReasonOf(reason: string | null | undefined): FinishReason {
  if (reason === 'length') return 'length';
  if (reason === 'content_filter') return 'content_filter';
  return 'stop';
}

/** The client's errors as the policies judge them; an abort stays an abort (the attempt's signal says why). */
function providerError(error: unknown, clock: Clock): unknown {
  if (error instanceof APIUserAbortError) return error;
  if (error instanceof APIConnectionError) return new ProviderError(error.message, null, true, null);
  if (error instanceof APIError) {
    const retryAfter = parseRetryAfter(error.headers?.get('retry-after'), clock.now());
    return new ProviderError(error.message, error.status ?? null, false, retryAfter);
  }
  // A socket cut in the middle of a stream surfaces as the body stream's own error.
  if (error instanceof Error) return new ProviderError(error.message, null, true, null);
  return error;
}
