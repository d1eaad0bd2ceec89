import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, snap, useBrowserApp } from './browser.js';
import { CuttableProxy } from './proxy.js';

const t = useBrowserApp();
let proxy: CuttableProxy;
beforeAll(async () => {
  proxy = await CuttableProxy.start(new URL(t.server.url));
});
afterAll(() => proxy?.stop());

const PASSWORD = 'we write together now';
type Writer = { accessToken: string; user: { id: string }; email: string };

async function api<T>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const res = await fetch(`${t.server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.ok, `${method} ${path}: ${res.status}`).toBe(true);
  return (await res.json()) as T;
}

async function writer(name: string): Promise<Writer> {
  const email = `${name.toLowerCase()}-${Date.now()}@example.test`;
  const auth = await api<Omit<Writer, 'email'>>('POST', '/v1/auth/register', undefined, { email, password: PASSWORD, displayName: name });
  return { ...auth, email };
}

async function logIn(page: Page, baseUrl: string, who: Writer): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL('**/drafts');
}

/** Everything the draft page shows that comes from the log: posts, comments, ring history, writers. */
async function timeline(page: Page): Promise<string[]> {
  const parts = ['ol.timeline', '[aria-labelledby=comments-title]', '[aria-labelledby=ring-history-title]'];
  const texts = await Promise.all(parts.map((selector) => page.locator(selector).innerText()));
  return [...texts, ...(await page.getByTestId('collaborator').allInnerTexts())];
}

describe('live updates in the browser', () => {
  it('keeps the drafts list current, and a page whose connection was cut catches up to what a reload shows', async () => {
    const [bilbo, thorin] = [await writer('Bilbo'), await writer('Thorin')];
    const first = await api<{ id: string }>('POST', '/v1/drafts', bilbo.accessToken, { title: 'There and back', platform: 'x', initialSegment: 'A long-expected party.' });
    const invite = await api<{ token: string }>('POST', `/v1/drafts/${first.id}/invites`, bilbo.accessToken, {});
    await api('POST', '/v1/invites/accept', thorin.accessToken, { token: invite.token });

    const context = await t.browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    await logIn(page, proxy.url, thorin);
    await expect.poll(() => page.getByTestId('draft-card').count()).toBe(1);
    await expect.poll(() => page.getByTestId('live-status').textContent()).toContain('live');

    // A draft Thorin is added to elsewhere (directly: they already write together) appears in his open list.
    const second = await api<{ id: string }>('POST', '/v1/drafts', bilbo.accessToken, { title: 'Riddles in the dark', platform: 'x' });
    await api('POST', `/v1/drafts/${second.id}/collaborators`, bilbo.accessToken, { userId: thorin.user.id });
    await expect.poll(() => page.getByTestId('draft-card').count()).toBe(2);
    expect(await page.getByTestId('draft-card').first().textContent()).toContain('Riddles in the dark');
    await expectAccessible(page, '20-drafts-list-live');
    await snap(page, '20-drafts-list-live');

    await page.getByRole('link', { name: 'There and back' }).click();
    await page.waitForURL(`**/drafts/${first.id}`);
    await expect.poll(() => page.getByTestId('live-status').textContent()).toContain('live');
    // Nothing in flight, so that only the live channel can bring what happens during the cut.
    await page.waitForLoadState('networkidle');

    // No screenshot until the page caught up: taking one focuses the page, and refetching on focus would
    // hide a catch-up that did not happen.
    proxy.cut();
    await expect.poll(() => page.getByTestId('live-status').textContent()).toContain('offline');
    await api('POST', `/v1/drafts/${first.id}/segments`, bilbo.accessToken, { content: 'Roast mutton.' });
    await api('POST', `/v1/drafts/${first.id}/events`, bilbo.accessToken, {
      type: 'comment.added',
      clientId: 'e2e',
      clientSeq: 1,
      payload: { text: 'Mind the trolls', position: 1 },
    });
    await api('POST', `/v1/drafts/${first.id}/segments`, bilbo.accessToken, { content: 'Inside information.' });
    await api('POST', `/v1/drafts/${first.id}/ring/pass`, bilbo.accessToken, { toUserId: thorin.user.id });
    proxy.restore();

    await expect.poll(() => page.getByTestId('live-status').textContent(), { timeout: 15_000 }).toContain('live');
    await expect.poll(() => page.getByTestId('segment').count()).toBe(3);
    await expect.poll(() => page.getByLabel('Next post').count()).toBe(1);
    await expect.poll(() => page.getByTestId('comment').count()).toBe(1);
    await expect.poll(() => page.locator('[aria-labelledby=ring-history-title] li').count()).toBe(1);
    const caughtUp = await timeline(page);
    await expectAccessible(page, '21-caught-up-after-cut');
    await snap(page, '21-caught-up-after-cut');
    await page.reload();
    await expect.poll(() => timeline(page)).toEqual(caughtUp);
    await context.close();
  });
});
