import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE } from '../../src/server/features/live/close-codes.js';
import { MemoryPresenceStore, type PresenceStore } from '../../src/server/features/live/presence.js';
import { addCollaborator, call, createDraft, expectProblem, login, registerUser } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';
import { lastPresence, LiveClient } from '../helpers/live.js';

const t = useTestApp();
const clients: LiveClient[] = [];
afterEach(() => clients.splice(0).forEach((c) => c.close()));

async function open(draftId: string, app = t.app, ip?: string) {
  const client = await LiveClient.open(app, draftId, ip);
  clients.push(client);
  return client;
}

const append = (token: string, draftId: string, content: string) =>
  call(t.app, 'POST', `/v1/drafts/${draftId}/segments`, { token, body: { content } });

describe('the live channel', () => {
  it('answers ready, replays the log after since, then streams new events', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner, { initialSegment: 'one' });
    await append(owner.accessToken, draft.id, 'two');
    const live = await open(draft.id);
    live.hello(owner.accessToken, 1);
    await expect.poll(() => live.seqs).toEqual([2, 3]);
    expect(live.frames[0]).toEqual({ type: 'ready', lastServerSeq: 3 });
    expect(live.frames.find((f) => f.type === 'event')).toMatchObject({ type: 'event', event: { serverSeq: 2, type: 'segment.appended', payload: { segment: { content: 'one' } } } });
    await append(owner.accessToken, draft.id, 'three');
    await expect.poll(() => live.seqs).toEqual([2, 3, 4]);
  });

  it('delivers every event exactly once, in order, when appends commit during the replay', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    for (let i = 0; i < 30; i++) await append(owner.accessToken, draft.id, `before ${i}`);
    const live = await open(draft.id);
    const during = Promise.all(Array.from({ length: 30 }, (_, i) => append(owner.accessToken, draft.id, `during ${i}`)));
    live.hello(owner.accessToken, 0);
    await during;
    await expect.poll(() => live.seqs.length, { timeout: 10_000 }).toBe(61);
    expect(live.seqs).toEqual(Array.from({ length: 61 }, (_, i) => i + 1));
  });

  it('gives many sockets, joining at different points while appends commit, every event exactly once', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    for (let i = 0; i < 40; i++) await append(owner.accessToken, draft.id, `before ${i}`);
    const sockets: LiveClient[] = [];
    const appends: Array<Promise<unknown>> = [];
    for (let i = 0; i < 20; i++) {
      const live = await open(draft.id);
      live.hello(owner.accessToken, (i * 7) % 41);
      sockets.push(live);
      appends.push(append(owner.accessToken, draft.id, `during ${i}`), append(owner.accessToken, draft.id, `and ${i}`));
    }
    await Promise.all(appends);
    for (let i = 0; i < 20; i++) await append(owner.accessToken, draft.id, `after ${i}`);
    const last = 1 + 40 + 40 + 20;
    for (const [i, live] of sockets.entries()) {
      const since = (i * 7) % 41;
      await expect.poll(() => live.seqs.length, { timeout: 10_000 }).toBe(last - since);
      expect(live.seqs).toEqual(Array.from({ length: last - since }, (_, n) => since + 1 + n));
    }
  });

  it('resumes after a reconnect from since, with nothing lost or repeated', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const first = await open(draft.id);
    first.hello(owner.accessToken, 0);
    await expect.poll(() => first.seqs).toEqual([1]);
    first.close();
    await append(owner.accessToken, draft.id, 'while away');
    const second = await open(draft.id);
    second.hello(owner.accessToken, 1);
    await expect.poll(() => second.seqs).toEqual([2]);
  });

  it('closes with 4401 for a bad token, 4404 for a draft the user may not see, 4400 for a bad first frame', async () => {
    const owner = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const bad = await open(draft.id);
    bad.hello('not-a-token');
    await expect.poll(() => bad.closed?.code).toBe(CLOSE.UNAUTHORIZED);
    const foreign = await open(draft.id);
    foreign.hello(stranger.accessToken);
    await expect.poll(() => foreign.closed?.code).toBe(CLOSE.NOT_FOUND);
    expect(foreign.frames).toEqual([]);
    const garbled = await open(draft.id);
    garbled.socket.send('hello?');
    await expect.poll(() => garbled.closed?.code).toBe(CLOSE.BAD_FRAME);
  });

  it('refuses a since ahead of the log with 4400 since_ahead, and takes one at its end', async () => {
    const owner = await registerUser(t.app);
    const sam = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    await addCollaborator(t.app, owner, draft.id, sam);
    const ahead = await open(draft.id);
    ahead.hello(sam.accessToken, 4);
    await expect.poll(() => ahead.closed).toEqual({ code: CLOSE.BAD_FRAME, reason: 'since_ahead' });
    expect(ahead.frames).toEqual([]);
    // At the end of the log the socket is served, so a removal that follows still cuts it off.
    const atEnd = await open(draft.id);
    atEnd.hello(sam.accessToken, 3);
    await expect.poll(() => atEnd.frames[0]).toEqual({ type: 'ready', lastServerSeq: 3 });
    await call(t.app, 'DELETE', `/v1/drafts/${draft.id}/collaborators/${sam.user.id}`, { token: owner.accessToken });
    await expect.poll(() => atEnd.closed?.code).toBe(CLOSE.FORBIDDEN);
    expect(atEnd.seqs).toEqual([4]);
  });

  it('answers a plain HTTP request on a live path with 426 websocket_required', async () => {
    for (const url of ['/v1/me/live', '/v1/drafts/01a20160-b0b9-7351-9a69-92d27af4518d/live', '/v1/drafts/not-a-uuid/live']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.headers.upgrade).toBe('websocket');
      expectProblem(res, 426, 'websocket_required');
    }
  });

  it('closes with 4408 when no hello comes in time', async () => {
    const { app } = await t.build({ live: { helloTimeoutMs: 100 } });
    const owner = await registerUser(app);
    const draft = await createDraft(app, owner);
    const silent = await open(draft.id, app);
    await expect.poll(() => silent.closed?.code).toBe(CLOSE.HELLO_TIMEOUT);
  });

  it('closes with 4403 when the user is removed while connected, after telling them', async () => {
    const owner = await registerUser(t.app);
    const sam = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    await addCollaborator(t.app, owner, draft.id, sam);
    const live = await open(draft.id);
    live.hello(sam.accessToken);
    await expect.poll(() => live.seqs).toEqual([1, 2, 3]);
    await call(t.app, 'DELETE', `/v1/drafts/${draft.id}/collaborators/${sam.user.id}`, { token: owner.accessToken });
    await expect.poll(() => live.closed?.code).toBe(CLOSE.FORBIDDEN);
    expect(live.seqs).toEqual([1, 2, 3, 4]);
  });

  it('closes with 4429 a client that sends too fast', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const live = await open(draft.id);
    live.hello(owner.accessToken);
    for (let i = 0; i < 30; i++) live.send({ type: 'ping' });
    await expect.poll(() => live.closed?.code).toBe(CLOSE.TOO_FAST);
  });
});

describe('open sockets', () => {
  it('are capped per user across both channels: one more gets 4429, and a closed one frees its place', async () => {
    const { app } = await t.build({ config: { liveMaxSocketsPerUser: 3 } });
    const owner = await registerUser(app);
    const sam = await registerUser(app);
    const draft = await createDraft(app, owner);
    await addCollaborator(app, owner, draft.id, sam);
    const opened = [await open(draft.id, app), await open(draft.id, app), await LiveClient.openList(app)];
    clients.push(opened[2]!);
    for (const c of opened) c.hello(owner.accessToken);
    for (const c of opened) expect(await c.settled()).toBe('ready');
    const onceMore = await LiveClient.openList(app);
    clients.push(onceMore);
    onceMore.hello(owner.accessToken);
    expect(await onceMore.settled()).toBe(CLOSE.TOO_FAST);
    expect(onceMore.frames).toEqual([]);
    const samsOwn = await open(draft.id, app);
    samsOwn.hello(sam.accessToken);
    expect(await samsOwn.settled()).toBe('ready');
    opened[0]!.close();
    // The server hears of the close a moment later; until then a newcomer is still refused.
    await expect.poll(async () => {
      const next = await open(draft.id, app);
      next.hello(owner.accessToken);
      return next.settled();
    }).toBe('ready');
    expect(opened.slice(1).map((c) => c.closed)).toEqual([null, null]);
  });

  it('are capped per address, counted from the upgrade on, whoever signs in', async () => {
    const { app } = await t.build({ live: { maxSocketsPerIp: 2 } });
    const owner = await registerUser(app);
    const draft = await createDraft(app, owner);
    const first = await open(draft.id, app, '203.0.113.7');
    await open(draft.id, app, '203.0.113.7');
    const third = await open(draft.id, app, '203.0.113.7');
    expect(await third.settled()).toBe(CLOSE.TOO_FAST);
    const elsewhere = await open(draft.id, app, '198.51.100.2');
    elsewhere.hello(owner.accessToken);
    expect(await elsewhere.settled()).toBe('ready');
    first.close();
    await expect.poll(async () => {
      const next = await open(draft.id, app, '203.0.113.7');
      next.hello(owner.accessToken);
      return next.settled();
    }).toBe('ready');
  });
});

describe('frames a client may send', () => {
  it('survives random frames: ignored, or closed with 4400 (or 4401 for a bad token), never a server error', async () => {
    let state = 7;
    const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)]!;
    const values: unknown[] = [null, 0, -1, 1.5, 2 ** 53, 'typing', '', 'x'.repeat(5000), [], {}, true, { nested: { deep: [1, 2] } }];
    const frame = () =>
      pick([
        () => JSON.stringify(pick(values)),
        () => JSON.stringify({ type: pick(['presence', 'auth', 'hello', 'event', 'ping', ...values]), state: pick(['viewing', 'typing', ...values]), position: pick(values), accessToken: pick(values), since: pick(values) }),
        () => pick(['{', '}', '\u0000', '{"type":', 'null', '[[[[', '"presence"']),
      ])();
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const closes = new Set<number | null>();
    for (let round = 0; round < 30; round++) {
      const live = await open(draft.id);
      live.hello(owner.accessToken);
      await expect.poll(() => live.seqs.length).toBe(round + 1);
      for (let i = 0; i < 10 && !live.closed; i++) {
        live.socket.send(frame());
        t.clock.advance(100);
      }
      // The event of this append arrives after every frame above was handled, unless one closed the socket.
      await append(owner.accessToken, draft.id, `round ${round}`);
      await expect.poll(() => live.closed !== null || live.seqs.length === round + 2).toBe(true);
      closes.add(live.closed?.code ?? null);
      // Its place under the per-user socket cap is given back for the rounds to come.
      live.close();
    }
    expect([...closes].every((c) => c === null || c === CLOSE.BAD_FRAME || c === CLOSE.UNAUTHORIZED)).toBe(true);
    expect(closes.has(null) && closes.has(CLOSE.BAD_FRAME)).toBe(true);
    expect(t.logs.records.filter((r) => (r.level as number) >= 50)).toEqual([]);
    const res = await append(owner.accessToken, draft.id, 'still serving');
    expect(res.statusCode).toBe(201);
  });
});

describe('frames sent before ready', () => {
  it('are queued up to maxFramesBeforeReady; one more closes the socket with 4429', async () => {
    // The store holds the first presence write, so the connection stays short of ready while frames arrive.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const store = new MemoryPresenceStore();
    const presence: PresenceStore = {
      set: async (...args) => (await held, store.set(...args)),
      remove: (draftId, connectionId) => store.remove(draftId, connectionId),
      entries: (draftId, now) => store.entries(draftId, now),
    };
    const { app } = await t.build({ presence, live: { maxFramesBeforeReady: 3 } });
    const owner = await registerUser(app);
    const draft = await createDraft(app, owner);
    const live = await open(draft.id, app);
    live.hello(owner.accessToken);
    await expect.poll(() => live.frames[0]?.type).toBe('ready');
    for (let i = 0; i < 4; i++) live.send({ type: 'presence', state: 'viewing' });
    await expect.poll(() => live.closed?.code).toBe(CLOSE.TOO_FAST);
    release();
  });
});

describe('a slow consumer', () => {
  it('is closed with 4429 once its buffer is full, without delaying others, and resumes by since', async () => {
    const { app } = await t.build({ live: { maxBufferedBytes: 16 * 1024 } });
    const owner = await registerUser(app);
    const sam = await registerUser(app);
    const draft = await createDraft(app, owner, { platform: 'linkedin' });
    await addCollaborator(app, owner, draft.id, sam);
    const slow = await open(draft.id, app);
    const brisk = await open(draft.id, app);
    slow.hello(sam.accessToken);
    brisk.hello(owner.accessToken);
    await expect.poll(() => [slow.seqs, brisk.seqs, lastPresence(brisk)?.length]).toEqual([[1, 2, 3], [1, 2, 3], 2]);
    slow.socket.pause();
    // Whatever the pipe between them holds (stream buffers grew from 16 to 64 KiB in Node 22), the paused
    // reader's backlog passes the limit at some point: append until the others see it leave, well before 1 MB.
    const samLeft = () => lastPresence(brisk)?.every((u) => u.userId !== sam.user.id) === true;
    let appended = 0;
    while (!samLeft() && appended < 400) {
      const res = await call(app, 'POST', `/v1/drafts/${draft.id}/segments`, { token: owner.accessToken, body: { content: `${appended} `.padEnd(2500, 'x') } });
      expect(res.statusCode).toBe(201);
      appended++;
    }
    await expect.poll(samLeft).toBe(true);
    // What commits after the close reaches the slow reader only by resuming.
    for (const after of ['after 1', 'after 2']) await call(app, 'POST', `/v1/drafts/${draft.id}/segments`, { token: owner.accessToken, body: { content: after } });
    appended += 2;
    const all = Array.from({ length: appended + 3 }, (_, i) => i + 1);
    await expect.poll(() => brisk.seqs).toEqual(all);
    expect(brisk.closed).toBeNull();
    slow.socket.resume();
    await expect.poll(() => slow.closed?.code).toBe(CLOSE.TOO_FAST);
    const received = slow.seqs;
    expect(received.length).toBeLessThan(all.length);
    expect(received).toEqual(all.slice(0, received.length));
    const resumed = await open(draft.id, app);
    resumed.hello(sam.accessToken, received.at(-1));
    await expect.poll(() => [...received, ...resumed.seqs]).toEqual(all);
  });
});

describe('a failing store', () => {
  it('closes the connection with 1011 and logs it, leaving the app serving', async () => {
    const failing: PresenceStore = {
      set: () => Promise.reject(new Error('presence store down')),
      remove: () => Promise.reject(new Error('presence store down')),
      entries: () => Promise.reject(new Error('presence store down')),
    };
    const { app, logs } = await t.build({ presence: failing });
    const owner = await registerUser(app);
    const draft = await createDraft(app, owner);
    const live = await open(draft.id, app);
    live.hello(owner.accessToken);
    await expect.poll(() => live.closed?.code).toBe(CLOSE.INTERNAL_ERROR);
    expect(logs.records.some((r) => r.level === 50 && r.msg === 'live connection failed')).toBe(true);
    const res = await call(app, 'POST', `/v1/drafts/${draft.id}/segments`, { token: owner.accessToken, body: { content: 'still here' } });
    expect(res.statusCode).toBe(201);
  });
});

describe('a session that ends while connected', () => {
  it('closes both channels with 4401 at once, not at token expiry; other sessions stay', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const other = (await login(t.app, owner.email, owner.password)).json() as { accessToken: string };
    const live = await open(draft.id);
    const list = await LiveClient.openList(t.app);
    const stays = await open(draft.id);
    clients.push(list);
    live.hello(owner.accessToken);
    list.hello(owner.accessToken);
    stays.hello(other.accessToken);
    await expect.poll(() => [live.seqs, stays.seqs, list.frames.length]).toEqual([[1], [1], 1]);
    const res = await call(t.app, 'POST', '/v1/auth/logout', { token: owner.accessToken, body: { refreshToken: owner.refreshToken } });
    expect(res.statusCode).toBe(204);
    await expect.poll(() => [live.closed?.code, list.closed?.code]).toEqual([CLOSE.UNAUTHORIZED, CLOSE.UNAUTHORIZED]);
    await append(other.accessToken, draft.id, 'still here');
    await expect.poll(() => stays.seqs).toEqual([1, 2]);
    expect(stays.closed).toBeNull();
  });
});

describe('access token expiry on a long connection', () => {
  it('closes with 4401 at expiry unless a fresh token arrives in an auth frame', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    // The tokens below expire a second after the connections check them: real time, as the socket's timer runs.
    t.clock.advance(15 * 60 * 1000 - 1000);
    const renewed = (await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: owner.refreshToken } })).json();
    const keeps = await open(draft.id);
    const lapses = await open(draft.id);
    // The renewal goes right behind the hello (held until ready), so only the server's set-up has to fit in the second.
    keeps.hello(owner.accessToken);
    keeps.send({ type: 'auth', accessToken: renewed.accessToken });
    lapses.hello(owner.accessToken);
    await expect.poll(() => lapses.closed?.code, { timeout: 5_000 }).toBe(CLOSE.UNAUTHORIZED);
    await expect.poll(() => keeps.seqs).toEqual([1]);
    expect(keeps.closed).toBeNull();
  });
});
