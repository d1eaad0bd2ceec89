import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, expectNoSidewaysScroll, snap, useBrowserApp, VIEWPORTS } from './browser.js';

// Sam is an admin, so the admin console's pages are in the matrix too.
const SAM_EMAIL = 'samwise.gamgee@example.test';
const t = useBrowserApp({ env: { ADMIN_EMAILS: SAM_EMAIL } });
const PASSWORD = 'a page for every screen';

type Writer = { accessToken: string; user: { id: string }; email: string };

async function api<T>(method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(`${t.server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.ok, `${method} ${path}: ${res.status}`).toBe(true);
  return (await res.json()) as T;
}

async function writer(name: string, email = `${name.toLowerCase().replace(/\W/g, '')}${Date.now()}@example.test`): Promise<Writer> {
  const auth = await api<Omit<Writer, 'email'>>('POST', '/v1/auth/register', undefined, { email, password: PASSWORD, displayName: name });
  return { ...auth, email };
}

/** What every page shows once it has loaded what it needs. */
type Visit = { name: string; path: string; ready(page: Page): Promise<unknown> };

const heading = (text: string) => (page: Page) => page.getByRole('heading', { level: 1, name: text }).waitFor();

let sam: Writer;
let rosieId = '';
let draftId = '';
let inviteToken = '';
let mirrorId = '';

beforeAll(async () => {
  sam = await writer('Samwise Gamgee', SAM_EMAIL);
  const rosie = await writer('Rosie');
  rosieId = rosie.user.id;
  // An override on Rosie, so her admin page lists one and the audit log has a row.
  await api('POST', '/v1/admin/entitlements/overrides', sam.accessToken, { userId: rosie.user.id, key: 'drafts.max', value: 25 });
  const draft = await api<{ id: string }>('POST', '/v1/drafts', sam.accessToken, {
    title: 'Po-tay-toes: a thread about second breakfast and why it matters to hobbits everywhere',
    platform: 'x',
    initialSegment: 'Boil them, mash them, stick them in a stew.',
  });
  draftId = draft.id;
  await api('POST', `/v1/drafts/${draft.id}/segments`, sam.accessToken, { content: 'A thread on the humble potato, https://example.test/a-very-long-link-that-should-wrap-on-a-phone-screen-rather-than-widen-it' });
  const shared = await api<{ id: string }>('POST', '/v1/drafts', sam.accessToken, { title: 'Roads go ever on', platform: 'bluesky', initialSegment: 'The road goes ever on and on.' });
  const joining = await api<{ token: string }>('POST', `/v1/drafts/${shared.id}/invites`, sam.accessToken, {});
  await api('POST', '/v1/invites/accept', rosie.accessToken, { token: joining.token });
  await api('POST', `/v1/drafts/${shared.id}/ring/pass`, sam.accessToken, { toUserId: rosie.user.id });
  inviteToken = (await api<{ token: string }>('POST', `/v1/drafts/${draft.id}/invites`, sam.accessToken, {})).token;
  // A preview link, so the share dialog lists one.
  await api('POST', `/v1/drafts/${draft.id}/preview-links`, sam.accessToken, {});
  // The coach: a goal with an action for today (on the goals and today pages) and a Mirror conversation.
  const goal = await api<{ id: string }>('POST', '/v1/coach/goals', sam.accessToken, { title: 'Finish the potato thread', why: 'Second breakfast deserves it.', targetDay: '2030-01-01' });
  await api('POST', `/v1/coach/goals/${goal.id}/actions`, sam.accessToken, { title: 'Write the opening post' });
  await api('POST', '/v1/coach/turns', sam.accessToken, { text: 'Potatoes are the best part of any breakfast, second or otherwise.', platform: 'threads' });
  mirrorId = (await api<{ id: string }>('POST', '/v1/coach/mirror/sessions', sam.accessToken, { title: 'Why potatoes', draftId: draft.id })).id;
  await api('POST', `/v1/coach/mirror/sessions/${mirrorId}/messages`, sam.accessToken, { content: 'Is the opening too long for a thread about potatoes?' });
  // A second device, so the devices page has one to sign out.
  await api('POST', '/v1/auth/login', undefined, { email: sam.email, password: PASSWORD, device: { name: 'Sam’s phone', platform: 'android' } });
});

const SIGNED_OUT: Visit[] = [
  { name: 'home', path: '/', ready: heading('Write threads together, one ring at a time.') },
  { name: 'signup', path: '/signup', ready: heading('Create your account') },
  { name: 'login', path: '/login', ready: heading('Log in') },
  { name: 'reset-request', path: '/reset-password', ready: heading('Reset your password') },
  { name: 'reset-confirm', path: '/reset-password#token=not-a-real-token', ready: heading('Choose a new password') },
  { name: 'invite-signed-out', path: '/ref/:invite', ready: (page) => page.getByTestId('invite-preview').waitFor() },
  { name: 'not-found', path: '/no/such/page', ready: heading('Nothing here') },
  { name: 'profile-signed-out', path: '/u/:sam', ready: (page) => page.getByTestId('momentum-chart').waitFor() },
];

const SIGNED_IN: Visit[] = [
  { name: 'drafts', path: '/drafts', ready: (page) => expect.poll(() => page.getByTestId('draft-card').count()).toBe(2) },
  { name: 'draft', path: '/drafts/:draft', ready: (page) => expect.poll(() => page.getByTestId('live-status').textContent()).toContain('live') },
  { name: 'account', path: '/account', ready: (page) => page.getByTestId('account-email').waitFor() },
  { name: 'devices', path: '/sessions', ready: (page) => expect.poll(() => page.getByTestId('session').count()).toBeGreaterThanOrEqual(2) },
  { name: 'invite-signed-in', path: '/ref/:invite', ready: (page) => page.getByRole('button', { name: 'Join the draft' }).waitFor() },
  { name: 'import', path: '/drafts/import', ready: (page) => page.getByRole('heading', { name: 'Import a thread' }).waitFor() },
  { name: 'insights', path: '/insights', ready: (page) => expect.poll(() => page.getByTestId('leaderboard-entry').count()).toBeGreaterThan(0) },
  { name: 'insights-momentum-all', path: '/insights?metric=momentum&window=all', ready: (page) => page.getByTestId('leaderboard-message').waitFor() },
  { name: 'today', path: '/today', ready: (page) => expect.poll(() => page.getByTestId('day-action').count()).toBe(1) },
  { name: 'coach-goals', path: '/coach/goals', ready: (page) => expect.poll(() => page.getByTestId('goal-action').count()).toBe(1) },
  { name: 'coach-turn', path: '/coach/turn', ready: (page) => expect.poll(() => page.getByTestId('past-turn').count()).toBe(1) },
  { name: 'coach-mirror', path: '/coach/mirror', ready: (page) => expect.poll(() => page.getByTestId('mirror-session').count()).toBe(1) },
  { name: 'coach-mirror-session', path: '/coach/mirror/:mirror', ready: (page) => expect.poll(() => page.getByTestId('mirror-message').count()).toBe(2) },
  { name: 'profile', path: '/u/:sam', ready: (page) => page.getByTestId('momentum-chart').waitFor() },
  { name: 'plan', path: '/plan', ready: (page) => page.getByTestId('plan-table').waitFor() },
  { name: 'admin-users', path: '/admin', ready: (page) => expect.poll(() => page.getByTestId('admin-user').count()).toBe(2) },
  { name: 'admin-user', path: '/admin/users/:rosie', ready: (page) => expect.poll(() => page.getByTestId('override').count()).toBe(1) },
  { name: 'admin-plans', path: '/admin/plans', ready: (page) => expect.poll(() => page.getByTestId('admin-plan').count()).toBe(3) },
  { name: 'admin-audit', path: '/admin/audit', ready: (page) => expect.poll(() => page.getByTestId('audit-entry').count()).toBeGreaterThan(0) },
];

async function logIn(page: Page, who: Writer): Promise<void> {
  await page.goto(`${t.server.url}/login`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL('**/drafts');
}

/** Opens each page, waits for it, scans it with axe, checks it fits a phone and keeps a screenshot. */
async function visitAll(page: Page, visits: Visit[], suffix: string, phone: boolean): Promise<void> {
  for (const visit of visits) {
    await page.goto(`${t.server.url}${visit.path.replace(':invite', inviteToken).replace(':draft', draftId).replace(':sam', sam.user.id).replace(':rosie', rosieId).replace(':mirror', mirrorId)}`);
    await visit.ready(page);
    await page.waitForLoadState('networkidle');
    await expectAccessible(page, `${visit.name} (${suffix})`);
    if (phone) await expectNoSidewaysScroll(page, visit.name);
    await snap(page, `page-${visit.name}-${suffix}`);
  }
}

describe('every page, at desktop and phone width, in the light and dark themes', () => {
  for (const [size, device] of Object.entries(VIEWPORTS)) {
    for (const colorScheme of ['light', 'dark'] as const) {
      const suffix = `${size}-${colorScheme}`;
      it(`has no serious accessibility violation and no sideways scroll (${suffix})`, async () => {
        const context: BrowserContext = await t.browser.newContext({ ...device, colorScheme });
        const page = await context.newPage();
        const phone = size === 'phone';
        await visitAll(page, SIGNED_OUT, suffix, phone);
        await logIn(page, sam);
        await visitAll(page, SIGNED_IN, suffix, phone);

        // The dialogs too: creating a draft, and the confirmation before a one-way action.
        await page.goto(`${t.server.url}/drafts`);
        await page.getByRole('button', { name: 'New draft' }).click();
        await page.getByRole('dialog', { name: 'New draft' }).waitFor();
        await expectAccessible(page, `new draft dialog (${suffix})`);
        await snap(page, `page-new-draft-dialog-${suffix}`);
        await page.keyboard.press('Escape');
        await page.goto(`${t.server.url}/sessions`);
        await page.getByRole('button', { name: 'Log out everywhere' }).click();
        await page.getByRole('dialog', { name: 'Log out everywhere?' }).waitFor();
        await expectAccessible(page, `confirm dialog (${suffix})`);
        await snap(page, `page-confirm-dialog-${suffix}`);
        await page.keyboard.press('Escape');

        // The share dialog, with its card drawn and the owner's preview links.
        await page.goto(`${t.server.url}/drafts/${draftId}`);
        await page.getByRole('button', { name: 'Share' }).click();
        const share = page.getByRole('dialog', { name: /^Share/ });
        await share.getByTestId('share-card-image').waitFor();
        await expect.poll(() => share.getByTestId('preview-link').count()).toBeGreaterThan(0);
        await page.waitForLoadState('networkidle');
        await expectAccessible(page, `share dialog (${suffix})`);
        if (phone) await expectNoSidewaysScroll(page, 'share dialog');
        await snap(page, `page-share-dialog-${suffix}`, { screen: true });
        await context.close();
      });
    }
  }
});

describe('the theme toggle', () => {
  it('switches to the dark theme, remembers it across a reload, and back', async () => {
    const context = await t.browser.newContext({ ...VIEWPORTS.desktop, colorScheme: 'light' });
    const page = await context.newPage();
    await page.goto(`${t.server.url}/`);
    const toggle = page.getByRole('button', { name: 'Dark theme' });
    const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const light = await background();
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');

    await toggle.click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    const dark = await background();
    expect(dark).not.toBe(light);

    await page.reload();
    await toggle.waitFor();
    expect(await background()).toBe(dark);
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await expectAccessible(page, 'home, dark by the toggle');

    await toggle.click();
    expect(await background()).toBe(light);
    await context.close();
  });
});

describe('the confirmation dialog', () => {
  it('takes focus, keeps Tab inside, cancels on Escape and gives focus back to the button that opened it', async () => {
    const context = await t.browser.newContext(VIEWPORTS.desktop);
    const page = await context.newPage();
    await logIn(page, sam);
    await page.goto(`${t.server.url}/sessions`);
    await expect.poll(() => page.getByTestId('session').count()).toBeGreaterThan(1);
    const opener = page.getByRole('button', { name: 'Log out everywhere' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Log out everywhere?' });
    await dialog.waitFor();
    const focused = () => page.evaluate(() => document.activeElement?.textContent ?? '');
    expect(await focused()).toBe('Cancel');
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    }
    await page.keyboard.press('Shift+Tab');
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);

    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await focused()).toBe('Log out everywhere');
    // Nothing happened: still signed in, both devices listed.
    await page.reload();
    await expect.poll(() => page.getByTestId('session').count()).toBeGreaterThan(1);
    await context.close();
  });
});
