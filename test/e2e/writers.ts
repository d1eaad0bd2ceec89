import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectAccessible, expectNoSidewaysScroll, snap } from './browser.js';

/** Setting up through the API what a browser test does not itself exercise: people, drafts, invites. */
export const PASSWORD = 'we write together now';

export type Writer = { accessToken: string; user: { id: string }; email: string; name: string };

/** Calls the API of the server at `baseUrl` and answers its JSON; any failure fails the test. */
export async function call<T>(baseUrl: string, method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.ok, `${method} ${path}: ${res.status} ${res.ok ? '' : await res.text()}`).toBe(true);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

let made = 0;
export async function registerWriter(baseUrl: string, name: string): Promise<Writer> {
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}-${Date.now()}-${++made}@example.test`;
  const auth = await call<Omit<Writer, 'email' | 'name'>>(baseUrl, 'POST', '/v1/auth/register', undefined, { email, password: PASSWORD, displayName: name });
  return { ...auth, email, name };
}

/** `guest` joins `owner`'s draft through an invite, as the web flow does. */
export async function join(baseUrl: string, draftId: string, owner: Writer, guest: Writer): Promise<void> {
  const invite = await call<{ token: string }>(baseUrl, 'POST', `/v1/drafts/${draftId}/invites`, owner.accessToken, {});
  await call(baseUrl, 'POST', '/v1/invites/accept', guest.accessToken, { token: invite.token });
}

export async function logIn(page: Page, baseUrl: string, who: Writer): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL('**/drafts');
}

/** A signed-in page of its own (own cookies and storage) at a desktop size unless told. */
export async function openAs(
  newContext: () => Promise<BrowserContext>,
  baseUrl: string,
  who: Writer,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext();
  const page = await context.newPage();
  await logIn(page, baseUrl, who);
  return { context, page };
}

/** The texts of the thread's posts as the page shows them, in order. */
export async function postTexts(page: Page): Promise<string[]> {
  return page.getByTestId('segment-text').allInnerTexts();
}

/** Waits until the draft page is open and following the draft live. */
export async function openDraft(page: Page, baseUrl: string, draftId: string): Promise<void> {
  await page.goto(`${baseUrl}/drafts/${draftId}`);
  // A long thread takes a while to lay out on a busy machine; the channel opens once it is shown.
  await expect.poll(() => page.getByTestId('live-status').textContent(), { timeout: 20_000 }).toContain('live');
}

/** One state of a page, checked as a user would meet it: no serious accessibility violation, no sideways scroll, and a screenshot. */
export async function lookAt(page: Page, name: string): Promise<void> {
  await expectAccessible(page, name);
  await expectNoSidewaysScroll(page, name);
  await snap(page, name);
}
