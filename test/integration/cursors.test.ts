import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { call, createDraft, expectProblem, registerUser } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();

const LISTS = ['/v1/drafts', '/v1/auth/sessions', '/v1/coach/goals'] as const;
const ID = '01a200cb-3f70-74d5-8e75-7a0ac9ba7b91';
const raw = (text: string) => Buffer.from(text).toString('base64url');

describe('list cursors', () => {
  it.each(LISTS)('%s refuses crafted cursors with 400 invalid_cursor', async (list) => {
    const me = await registerUser(t.app);
    const crafted = [
      raw(`+275000-01-01T00:00:00.000Z|${ID}`),
      raw(`-005000-01-01T00:00:00.000Z|${ID}`),
      raw(`0000-12-31T23:59:59.999Z|${ID}`),
      raw(`2026-01-01T00:00:00.000Z|${'-'.repeat(36)}`),
      raw(`2026-01-01T00:00:00.000Z|${'z'.repeat(36)}`),
      'bogus',
    ];
    for (const cursor of crafted) {
      const res = await call(t.app, 'GET', `${list}?cursor=${encodeURIComponent(cursor)}`, { token: me.accessToken });
      expectProblem(res, 400, 'invalid_cursor');
    }
  });

  it.each(LISTS)('%s answers random cursors with a page or 400 invalid_cursor, never a server error', async (list) => {
    const me = await registerUser(t.app);
    await createDraft(t.app, me);
    const cursors = fc.oneof(
      fc.string({ maxLength: 120 }),
      fc.uint8Array({ maxLength: 80 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
      fc
        .tuple(
          fc.oneof(fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())), fc.string({ maxLength: 60 })),
          fc.oneof(fc.uuid(), fc.string({ minLength: 36, maxLength: 36 })),
        )
        .map(([at, id]) => raw(`${at}|${id}`)),
    );
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(cursors, async (cursor) => {
        const res = await call(t.app, 'GET', `${list}?limit=5&cursor=${encodeURIComponent(cursor)}`, { token: me.accessToken });
        statuses.add(res.statusCode);
        if (res.statusCode === 200) expect(res.json()).toMatchObject({ items: expect.any(Array) });
        else expect(res.json()).toMatchObject({ status: 400, code: 'invalid_cursor' });
      }),
      { numRuns: 300 },
    );
    expect(statuses.has(400)).toBe(true);
    expect(statuses.has(200)).toBe(true);
  });
});

describe('numbers in query strings', () => {
  it('takes limits written in decimal digits only', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const lists = [...LISTS, `/v1/drafts/${draft.id}/events`];
    for (const list of lists) {
      expect((await call(t.app, 'GET', `${list}?limit=16`, { token: owner.accessToken })).statusCode, list).toBe(200);
      for (const loose of ['0x10', '1e1', '%205', '5.0', '+5', '']) {
        expectProblem(await call(t.app, 'GET', `${list}?limit=${loose}`, { token: owner.accessToken }), 400, 'validation_failed');
      }
    }
  });
});
