import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowserApp } from './browser.js';
import { CuttableProxy } from './proxy.js';
import { call, openAs, openDraft, registerWriter } from './writers.js';

const t = useBrowserApp();
let proxy: CuttableProxy;
beforeAll(async () => {
  proxy = await CuttableProxy.start(new URL(t.server.url));
});
afterAll(() => proxy?.stop());
const desktop = () => t.browser.newContext({ viewport: { width: 1280, height: 800 } });

/** Every API request the page makes from now on (the live WebSocket is not one). */
function recordApiRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/v1/') && request.resourceType() !== 'websocket') seen.push(`${request.method()} ${url.pathname}${url.search}`);
  });
  return seen;
}

describe('a draft page keeps itself current from events', () => {
  it('opens a draft of 300 posts with at most 6 API requests', async () => {
    const gandalf = await registerWriter(t.server.url, 'Gandalf');
    const posts = Array.from({ length: 300 }, (_, i) => `Post ${i + 1}: all we have to decide is what to do with the time that is given us.`);
    const draft = await call<{ id: string }>(t.server.url, 'POST', '/v1/drafts/import', gandalf.accessToken, { title: 'Long', platform: 'x', text: posts.join('\n\n') });
    const { context, page } = await openAs(desktop, t.server.url, gandalf);
    // The drafts list the log-in lands on reads its own page; only what opening the draft asks for counts.
    await page.waitForLoadState('networkidle');

    const requests = recordApiRequests(page);
    await openDraft(page, t.server.url, draft.id);
    await expect.poll(() => page.getByTestId('segment').count()).toBe(300);
    await page.waitForLoadState('networkidle');
    // The session, the draft, its ring history, comments, invites (for its owner) and activity figures.
    expect(requests.length, requests.join('\n')).toBeLessThanOrEqual(6);
    expect(requests.filter((r) => r === `GET /v1/drafts/${draft.id}`)).toHaveLength(1);
    await context.close();
  });

  it('a page that missed 50 events catches up from the live replay without reading the draft again', async () => {
    const [aragorn, legolas] = [await registerWriter(t.server.url, 'Aragorn'), await registerWriter(t.server.url, 'Legolas')];
    const draft = await call<{ id: string }>(t.server.url, 'POST', '/v1/drafts', aragorn.accessToken, { title: 'The hunt', platform: 'x', initialSegment: 'Three days.' });
    const invite = await call<{ token: string }>(t.server.url, 'POST', `/v1/drafts/${draft.id}/invites`, aragorn.accessToken, {});
    await call(t.server.url, 'POST', '/v1/invites/accept', legolas.accessToken, { token: invite.token });
    const { context, page } = await openAs(desktop, proxy.url, legolas);
    await openDraft(page, proxy.url, draft.id);
    await page.waitForLoadState('networkidle');

    const requests = recordApiRequests(page);
    proxy.cut();
    await expect.poll(() => page.getByTestId('live-status').textContent()).toContain('offline');
    for (let i = 1; i <= 48; i++) await call(t.server.url, 'POST', `/v1/drafts/${draft.id}/segments`, aragorn.accessToken, { content: `Tracks, mile ${i}.` });
    await call(t.server.url, 'POST', `/v1/drafts/${draft.id}/events`, aragorn.accessToken, { type: 'comment.added', clientId: 'e2e', clientSeq: 1, payload: { text: 'Orcs ahead', position: 2 } });
    await call(t.server.url, 'POST', `/v1/drafts/${draft.id}/ring/pass`, aragorn.accessToken, { toUserId: legolas.user.id });
    proxy.restore();

    await expect.poll(() => page.getByTestId('live-status').textContent(), { timeout: 15_000 }).toContain('live');
    await expect.poll(() => page.getByTestId('segment').count()).toBe(49);
    await expect.poll(() => page.getByLabel('Next post').count()).toBe(1);
    expect(await page.getByTestId('segment').nth(2).getByTestId('comments-toggle').textContent()).toBe('1 comment');
    expect(await page.getByTestId('segment-text').last().textContent()).toBe('Tracks, mile 48.');
    // The activity figures are the server's count: read again after the replay (once per burst of events).
    await expect.poll(() => page.getByTestId('analytics-posts').textContent()).toBe('49');
    await page.waitForLoadState('networkidle');
    // Not the draft, nor its comments or ring history: the replayed events brought all of it.
    expect(new Set(requests)).toEqual(new Set([`GET /v1/drafts/${draft.id}/analytics`]));
    await context.close();
  });
});
