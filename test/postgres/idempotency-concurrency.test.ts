import { describe, expect, it } from 'vitest';
import { call, createDraft, registerUser } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();
const N = 12;

describe('parallel requests with one Idempotency-Key', () => {
  it('write once; every other one is told 409 in progress or gets the first answer', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const responses = await Promise.all(
      Array.from({ length: N }, () =>
        call(t.app, 'POST', `/v1/drafts/${draft.id}/segments`, {
          token: owner.accessToken,
          body: { content: 'only once' },
          headers: { 'idempotency-key': 'burst' },
        }),
      ),
    );
    const created = responses.filter((r) => r.statusCode === 201);
    const busy = responses.filter((r) => r.statusCode === 409);
    expect(created.length + busy.length, responses.map((r) => r.body).join('\n')).toBe(N);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body)).size).toBe(1);
    for (const res of busy) expect(res.json().code).toBe('idempotency_in_progress');

    const view = await call(t.app, 'GET', `/v1/drafts/${draft.id}`, { token: owner.accessToken });
    expect(view.json().segments).toEqual([created[0]!.json()]);
    const log = await call(t.app, 'GET', `/v1/drafts/${draft.id}/events?since=0`, { token: owner.accessToken });
    expect(log.json().events.filter((e: { type: string }) => e.type === 'segment.appended')).toHaveLength(1);
  });

  it('create one draft however many arrive together', async () => {
    const owner = await registerUser(t.app);
    const responses = await Promise.all(
      Array.from({ length: N }, () =>
        call(t.app, 'POST', '/v1/drafts', { token: owner.accessToken, body: { title: 'Once', platform: 'x' }, headers: { 'idempotency-key': 'burst' } }),
      ),
    );
    expect(responses.every((r) => r.statusCode === 201 || r.statusCode === 409)).toBe(true);
    expect(new Set(responses.filter((r) => r.statusCode === 201).map((r) => r.body)).size).toBe(1);
    const list = await call(t.app, 'GET', '/v1/drafts', { token: owner.accessToken });
    expect(list.json().items).toHaveLength(1);
  });
});
