/** One Server-Sent Event: its `event:` name (`message` when the server named none) and its `data:` lines. */
export type SseEvent = { event: string; data: string };

/**
 * Splits a text stream into Server-Sent Events as the HTML standard reads them: lines end with CRLF, LF or
 * CR, `field: value` (one space after the colon dropped), `data:` lines joined with newlines, a blank line
 * ends an event, a line starting with a colon is a comment. Network chunks may split anywhere — inside a
 * field, between CR and LF, inside a multi-byte character — so text waits in `pending` until its line ends.
 */
export class SseParser {
  private pending = '';
  private event = '';
  private data: string[] = [];
  /** Whether the last chunk ended on a CR, whose LF (if any) may open the next chunk. */
  private afterCr = false;

  /** Feeds decoded text; answers the events it completed. */
  push(text: string): SseEvent[] {
    let chunk = text;
    if (this.afterCr && chunk.startsWith('\n')) chunk = chunk.slice(1);
    this.afterCr = false;
    this.pending += chunk;
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < this.pending.length; i++) {
      const c = this.pending[i];
      if (c !== '\n' && c !== '\r') continue;
      const line = this.pending.slice(start, i);
      if (c === '\r') {
        if (i + 1 === this.pending.length) this.afterCr = true;
        else if (this.pending[i + 1] === '\n') i++;
      }
      start = i + 1;
      const done = this.line(line);
      if (done) events.push(done);
    }
    this.pending = this.pending.slice(start);
    return events;
  }

  private line(line: string): SseEvent | null {
    if (line === '') {
      const event = this.data.length > 0 ? { event: this.event || 'message', data: this.data.join('\n') } : null;
      this.event = '';
      this.data = [];
      return event;
    }
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    // `id` and `retry` steer EventSource's reconnection, which a POST answered once does not do.
    return null;
  }
}

/** Reads a response body as Server-Sent Events, each as soon as its blank line arrives. */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  // `stream: true` keeps the first bytes of a character cut between chunks until the rest arrives.
  const decoder = new TextDecoder();
  const parser = new SseParser();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        yield* parser.push(decoder.decode());
        return;
      }
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
  } finally {
    // Leaving early (the page closed, an error event) lets go of the connection.
    await reader.cancel().catch(() => undefined);
  }
}
