import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSse, SseParser, type SseEvent } from './sse.js';

const STREAM = [
  'event: message\ndata: {"id":"u1","content":"Hello"}\n\n',
  ': a comment the server sends to keep the line open\n\n',
  'event: delta\r\ndata: {"text":"Hé"}\r\n\r\n',
  'event: delta\rdata: {"text":"llo ✨ there"}\r\r',
  'data: first line\ndata:second line\n\n',
  'event: done\ndata: {"id":"c1"}\n\n',
].join('');

const EXPECTED: SseEvent[] = [
  { event: 'message', data: '{"id":"u1","content":"Hello"}' },
  { event: 'delta', data: '{"text":"Hé"}' },
  { event: 'delta', data: '{"text":"llo ✨ there"}' },
  { event: 'message', data: 'first line\nsecond line' },
  { event: 'done', data: '{"id":"c1"}' },
];

function parseInPieces(text: string, cuts: number[]): SseEvent[] {
  const parser = new SseParser();
  const events: SseEvent[] = [];
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    events.push(...parser.push(text.slice(from, cut)));
    from = cut;
  }
  return events;
}

/** A body that delivers the bytes in the pieces given, as a network would. */
function bodyOf(bytes: Uint8Array, cuts: number[]): ReadableStream<Uint8Array> {
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    pieces.push(bytes.slice(from, cut));
    from = cut;
  }
  return new ReadableStream({
    pull(controller) {
      const next = pieces.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
}

async function collect(body: ReadableStream<Uint8Array>): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const event of readSse(body)) events.push(event);
  return events;
}

describe('SseParser', () => {
  it('reads named events, comments, every line ending and multi-line data', () => {
    expect(parseInPieces(STREAM, [])).toEqual(EXPECTED);
  });

  it('reads the same events however the text is cut into chunks', () => {
    const cuts = fc.uniqueArray(fc.integer({ min: 0, max: STREAM.length }), { maxLength: 30 }).map((c) => c.sort((a, b) => a - b));
    fc.assert(
      fc.property(cuts, (c) => {
        expect(parseInPieces(STREAM, c)).toEqual(EXPECTED);
      }),
    );
  });

  it('treats a CR at the end of a chunk and an LF opening the next as one line end', () => {
    expect(parseInPieces('data: a\r\n\r\ndata: b\r\n\r\n', [8, 10, 18, 20])).toEqual([
      { event: 'message', data: 'a' },
      { event: 'message', data: 'b' },
    ]);
  });

  it('drops an event the stream did not finish with a blank line', () => {
    expect(parseInPieces('event: delta\ndata: {"text":"cut"}\n', [])).toEqual([]);
  });
});

describe('readSse', () => {
  it('decodes bytes cut anywhere, inside multi-byte characters too', async () => {
    const bytes = new TextEncoder().encode(STREAM);
    const cuts = fc.uniqueArray(fc.integer({ min: 0, max: bytes.length }), { maxLength: 30 }).map((c) => c.sort((a, b) => a - b));
    await fc.assert(
      fc.asyncProperty(cuts, async (c) => {
        expect(await collect(bodyOf(bytes, c))).toEqual(EXPECTED);
      }),
    );
  });

  it('gives each event as soon as its blank line arrives, before the stream ends', async () => {
    let push!: (text: string) => void;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (text) => controller.enqueue(new TextEncoder().encode(text));
      },
    });
    const events = readSse(body);
    push('event: delta\ndata: {"text":"Hel');
    const first = events.next();
    push('lo"}\n\n');
    expect((await first).value).toEqual({ event: 'delta', data: '{"text":"Hello"}' });
    await events.return(undefined);
  });
});
