/** One Server-Sent Event as a client reads it: its name and its JSON data. */
export type SseEvent = { event: string; data: unknown };

/** Reads a response body as Server-Sent Events, one at a time as they arrive, like a browser's EventSource. */
export async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        yield parseEvent(block);
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/** Parses a whole event stream (a stored or replayed body). */
export function parseEvents(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.length > 0)
    .map(parseEvent);
}

function parseEvent(block: string): SseEvent {
  const lines = block.split('\n');
  const event = lines.find((l) => l.startsWith('event: '))?.slice('event: '.length) ?? 'message';
  const data = lines
    .filter((l) => l.startsWith('data: '))
    .map((l) => l.slice('data: '.length))
    .join('\n');
  return { event, data: JSON.parse(data) as unknown };
}
