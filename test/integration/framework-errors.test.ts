import { connect, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { call, expectProblem } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

let releaseSlow = () => {};
let slowEntered = Promise.resolve();

const t = useTestApp({
  extend(app) {
    let entered = () => {};
    slowEntered = new Promise<void>((resolve) => (entered = resolve));
    const gate = new Promise<void>((resolve) => (releaseSlow = resolve));
    app.get('/test/slow', async () => {
      entered();
      await gate;
      return { done: true };
    });
  },
});

async function listening(app: FastifyInstance): Promise<{ host: string; port: number }> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { host: '127.0.0.1', port: (app.server.address() as { port: number }).port };
}

/** A raw HTTP/1.1 connection: what a client sends, byte for byte, and every byte it gets back. */
function rawConnection(address: { host: string; port: number }): { socket: Socket; received: () => string; closed: Promise<void> } {
  const socket = connect(address.port, address.host);
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString('utf8')));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  return { socket, received: () => received, closed };
}

/** Splits raw HTTP responses into status, headers and the JSON body. */
function parseResponses(raw: string): Array<{ status: number; headers: Record<string, string>; body: Record<string, unknown> }> {
  return raw
    .split(/(?=HTTP\/1\.1 )/)
    .filter((part) => part.length > 0)
    .map((part) => {
      const [head, body = ''] = part.split('\r\n\r\n');
      const [statusLine, ...lines] = head!.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      return { status: Number(statusLine!.split(' ')[1]), headers, body: JSON.parse(body) as Record<string, unknown> };
    });
}

describe('errors raised by the framework before our handlers', () => {
  it('answers a path parameter longer than the router takes 414 uri_too_long', async () => {
    const res = await call(t.app, 'GET', `/v1/drafts/${'a'.repeat(500)}`);
    expectProblem(res, 414, 'uri_too_long');
  });

  it('answers a path with broken percent-encoding 400 malformed_url', async () => {
    const res = await call(t.app, 'GET', '/v1/drafts/%E0%A4%A');
    expectProblem(res, 400, 'malformed_url');
  });

  it('answers headers larger than the server takes 431 headers_too_large', async () => {
    const address = await listening(t.app);
    const res = await fetch(`http://${address.host}:${address.port}/healthz`, { headers: { 'x-padding': 'x'.repeat(20_000) } });
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 431, code: 'headers_too_large', title: 'Request Header Fields Too Large' });
    expect(body.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('answers malformed HTTP 400 bad_request as problem+json', async () => {
    const connection = rawConnection(await listening(t.app));
    connection.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
    await connection.closed;
    const [res] = parseResponses(connection.received());
    expect(res).toMatchObject({ status: 400, body: { status: 400, code: 'bad_request' } });
    expect(res!.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers a request that arrives while the instance drains 503 shutting_down with Retry-After', async () => {
    const connection = rawConnection(await listening(t.app));
    connection.socket.write('GET /test/slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await slowEntered;
    const closing = t.app.close();
    // No new connections from here on; the busy one stays open until its response is out.
    await expect.poll(() => t.app.server.listening).toBe(false);
    releaseSlow();
    await expect.poll(() => connection.received()).toContain('{"done":true}');
    // The same keep-alive connection, while the server drains.
    connection.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await connection.closed;
    await closing;
    const [slow, refused] = parseResponses(connection.received());
    expect(slow!.status).toBe(200);
    expect(refused).toMatchObject({ status: 503, body: { status: 503, code: 'shutting_down' } });
    expect(refused!.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(refused!.headers['retry-after'])).toBeGreaterThan(0);
  });
});
