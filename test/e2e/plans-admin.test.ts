import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { MyEntitlements } from '../../src/contract/plans.js';
import { expectAccessible, expectNoSidewaysScroll, snap, useBrowserApp, VIEWPORTS } from './browser.js';
import { call, join, lookAt, openAs, openDraft, PASSWORD, registerWriter, type Writer } from './writers.js';

const ADMIN_EMAIL = 'gandalf.admin@example.test';
const t = useBrowserApp({ env: { ADMIN_EMAILS: ADMIN_EMAIL } });
const desktop = () => t.browser.newContext(VIEWPORTS.desktop);
const phone = () => t.browser.newContext(VIEWPORTS.phone);

/** One state of a dialog, checked as a page is and kept as the screen shows it. */
async function lookAtDialog(page: Page, name: string): Promise<void> {
  await expectAccessible(page, name);
  await expectNoSidewaysScroll(page, name);
  await snap(page, name, { screen: true });
}

/** Opens the new-draft dialog and asks for a draft with this title. */
async function createInBrowser(page: Page, title: string) {
  await page.getByRole('button', { name: 'New draft' }).click();
  const dialog = page.getByRole('dialog', { name: 'New draft' });
  await dialog.getByLabel('Title').fill(title);
  await dialog.getByRole('button', { name: 'Create draft' }).click();
  return dialog;
}

describe('plans, limits and the admin console', () => {
  it('a writer meets the drafts limit and is told what would make room; an admin grants more; the writer goes on; the audit log shows it', async () => {
    const url = t.server.url;
    const frodo = await registerWriter(url, 'Frodo Baggins');
    const gandalfAuth = await call<Omit<Writer, 'email' | 'name'>>(url, 'POST', '/v1/auth/register', undefined, { email: ADMIN_EMAIL, password: PASSWORD, displayName: 'Gandalf' });
    const gandalf: Writer = { ...gandalfAuth, email: ADMIN_EMAIL, name: 'Gandalf' };

    // Drafts up to the limit and through the plan's extra room, through the API.
    const before = await call<MyEntitlements>(url, 'GET', '/v1/me/entitlements', frodo.accessToken);
    const drafts = before.entitlements.find((e) => e.key === 'drafts.max')!;
    expect(before.plan).toBe('free');
    expect(drafts.limit).not.toBeNull();
    const room = drafts.limit! + drafts.graceLeft;
    for (let i = 1; i <= room; i++) await call(url, 'POST', '/v1/drafts', frodo.accessToken, { title: `Journal, part ${i}`, platform: 'x' });

    // The next one, in the browser: held back, with which limit and what would make room.
    const writer = await openAs(desktop, url, frodo);
    const dialog = await createInBrowser(writer.page, 'There and back again');
    const notice = dialog.getByTestId('quota-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain(`You have ${room} drafts: the Free plan includes ${drafts.limit}`);
    expect(await notice.textContent()).toContain('Archive a draft you have finished');
    expect(await notice.textContent()).toContain('An admin can give you more room');
    expect(await notice.getByRole('link', { name: 'See what your plan includes' }).getAttribute('href')).toBe('/plan');
    await lookAtDialog(writer.page, '70-new-draft-at-the-limit');
    await writer.page.keyboard.press('Escape');

    // The plan page says the same in figures: the bar is full.
    await writer.page.getByRole('link', { name: 'Plan', exact: true }).click();
    const bar = writer.page.getByRole('progressbar', { name: 'Drafts' });
    await bar.waitFor();
    expect(await bar.getAttribute('aria-valuenow')).toBe(String(drafts.limit));
    expect(await bar.getAttribute('aria-valuemax')).toBe(String(drafts.limit));
    expect(await writer.page.locator('[data-key="drafts.max"]').textContent()).toContain('Full for now');
    await writer.page.getByTestId('plan-table').waitFor();
    expect(await writer.page.getByTestId('plan-name').textContent()).toBe('Free');
    expect(await writer.page.getByRole('button', { name: /buy|upgrade|checkout/i }).count()).toBe(0);
    await lookAt(writer.page, '71-plan-at-the-limit');

    // On a phone too.
    const small = await openAs(phone, url, frodo);
    await createInBrowser(small.page, 'There and back again');
    await small.page.getByTestId('quota-notice').waitFor();
    await lookAtDialog(small.page, '72-new-draft-at-the-limit-phone');
    await small.page.goto(`${url}/plan`);
    await small.page.getByTestId('plan-table').waitFor();
    await lookAt(small.page, '73-plan-at-the-limit-phone');
    await small.context.close();

    // The console is not there for a writer: no link, and the address is the not-found page.
    expect(await writer.page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    await writer.page.goto(`${url}/admin`);
    await writer.page.getByRole('heading', { level: 1, name: 'Nothing here' }).waitFor();
    await writer.page.goto(`${url}/admin/audit`);
    await writer.page.getByRole('heading', { level: 1, name: 'Nothing here' }).waitFor();

    // The admin finds the writer and grants twenty drafts.
    const admin = await openAs(desktop, url, gandalf);
    await admin.page.getByRole('link', { name: 'Admin' }).click();
    await admin.page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await expect.poll(() => admin.page.getByTestId('admin-user').count()).toBe(2);
    await admin.page.getByLabel('Email or name').fill('frodo');
    await admin.page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => admin.page.getByTestId('admin-user').count()).toBe(1);
    await lookAt(admin.page, '74-admin-users-search');
    await admin.page.getByRole('link', { name: 'Frodo Baggins' }).click();
    await admin.page.getByTestId('admin-user-email').waitFor();
    expect(await admin.page.getByTestId('admin-user-email').textContent()).toBe(frodo.email);
    expect(await admin.page.getByTestId('admin-user-plan').textContent()).toBe('Free');
    await admin.page.getByLabel('Entitlement').selectOption({ label: 'Drafts' });
    await admin.page.getByLabel('Value', { exact: true }).fill('20');
    await admin.page.getByRole('button', { name: 'Set override' }).click();
    await expect.poll(() => admin.page.getByTestId('override').count()).toBe(1);
    expect(await admin.page.getByTestId('override').textContent()).toMatch(/Drafts: 20/);
    await lookAt(admin.page, '75-admin-user-override');

    // The writer creates again, in the browser, and it goes through.
    await writer.page.goto(`${url}/drafts`);
    await createInBrowser(writer.page, 'There and back again');
    await writer.page.waitForURL(/\/drafts\/[0-9a-f-]{36}$/);
    await writer.page.getByRole('heading', { level: 1, name: 'There and back again' }).waitFor();
    await writer.page.goto(`${url}/plan`);
    await expect.poll(() => writer.page.locator('[data-key="drafts.max"]').textContent()).toContain(`${room + 1} of 20`);
    expect(await writer.page.getByTestId('usage-override').first().textContent()).toContain('Set for you by an admin');

    // The audit log shows the override, and its filter finds it.
    await admin.page.getByRole('link', { name: 'Audit log' }).click();
    const overrideRow = admin.page.locator('[data-testid="audit-entry"][data-action="entitlement.override_set"]');
    await overrideRow.first().waitFor();
    expect(await overrideRow.first().textContent()).toContain('Override set');
    expect(await overrideRow.first().textContent()).toContain(ADMIN_EMAIL);
    expect(await overrideRow.first().textContent()).toContain('drafts.max');
    await admin.page.getByLabel('Action').selectOption({ label: 'Override set' });
    await admin.page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => admin.page.url()).toContain('action=entitlement.override_set');
    await expect.poll(async () => new Set(await admin.page.getByTestId('audit-entry').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action'))))).toEqual(
      new Set(['entitlement.override_set']),
    );
    await lookAt(admin.page, '76-admin-audit-override');

    // The plans, with their enforcement switches.
    await admin.page.getByRole('link', { name: 'Plans' }).click();
    await expect.poll(() => admin.page.getByTestId('admin-plan').count()).toBe(3);
    await lookAt(admin.page, '77-admin-plans');
    await writer.context.close();
    await admin.context.close();
  });

  it('says the same where joining a draft or its activity figures are held back by a plan', async () => {
    const url = t.server.url;
    const sam = await registerWriter(url, 'Samwise');
    const admin = await call<{ accessToken: string }>(url, 'POST', '/v1/auth/login', undefined, { email: ADMIN_EMAIL, password: PASSWORD });
    const draft = await call<{ id: string }>(url, 'POST', '/v1/drafts', sam.accessToken, { title: 'Po-tay-toes', platform: 'x' });

    // Sam's draft takes collaborators up to his plan's limit and its extra room.
    const mine = await call<MyEntitlements>(url, 'GET', '/v1/me/entitlements', sam.accessToken);
    const collaborators = mine.entitlements.find((e) => e.key === 'collaborators.max')!;
    const room = collaborators.limit! + collaborators.graceLeft;
    for (let i = 1; i <= room; i++) await join(url, draft.id, sam, await registerWriter(url, `Gaffer ${i}`));

    // One more, invited, opens the link on a phone: told it is the owner's plan, and what would make room.
    const invite = await call<{ token: string }>(url, 'POST', `/v1/drafts/${draft.id}/invites`, sam.accessToken, {});
    const rosie = await registerWriter(url, 'Rosie Cotton');
    const guest = await openAs(phone, url, rosie);
    await guest.page.goto(`${url}/ref/${invite.token}`);
    await guest.page.getByRole('button', { name: 'Join the draft' }).click();
    const notice = guest.page.getByTestId('quota-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain(`This draft has ${room} collaborators: its owner’s Free plan includes ${collaborators.limit}`);
    expect(await notice.textContent()).toContain('Ask the draft’s owner');
    await lookAt(guest.page, '78-invite-at-the-owners-limit-phone');
    await guest.context.close();

    // An admin turns Sam's activity figures off: the draft's panel says so, kindly.
    await call(url, 'POST', '/v1/admin/entitlements/overrides', admin.accessToken, { userId: sam.user.id, key: 'analytics.enabled', value: 0 }, { 'idempotency-key': 'analytics-off' });
    const owner = await openAs(desktop, url, sam);
    await openDraft(owner.page, url, draft.id);
    const panel = owner.page.getByRole('region', { name: 'Activity' });
    await panel.getByTestId('quota-notice').waitFor();
    expect(await panel.getByTestId('quota-notice').textContent()).toContain('Activity figures are turned off for your account right now.');
    expect(await panel.getByTestId('quota-notice').textContent()).toContain('An admin can turn them back on');
    await lookAt(owner.page, '79-draft-activity-not-included');
    await owner.context.close();
  });
});
