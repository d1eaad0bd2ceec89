import { describe, expect, it } from 'vitest';
import { expectAccessible, snap, useBrowserApp } from './browser.js';

const t = useBrowserApp();

describe('account journey in a real browser', () => {
  it('signs up, sees the account page, logs out, logs in again and signs out another device', async () => {
    const email = `frodo-${Date.now()}@example.test`;
    const password = 'there and back again';
    const context = await t.browser.newContext({ viewport: { width: 1024, height: 720 } });
    const page = await context.newPage();

    await page.goto(`${t.server.url}/signup`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/at least 10/i);
    await expectAccessible(page, '01-signup-error');
    await snap(page, '01-signup-error');

    await page.getByLabel('Password').fill(password);
    await page.getByLabel('Display name (optional)').fill('Frodo');
    await expectAccessible(page, '02-signup');
    await snap(page, '02-signup');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL('**/drafts');
    await page.getByRole('link', { name: 'Account' }).click();
    await page.waitForURL('**/account');
    await expect.poll(() => page.getByTestId('account-email').textContent()).toBe(email);
    expect(await page.getByTestId('signed-in-as').textContent()).toBe('Frodo');
    await expectAccessible(page, '03-account');
    await snap(page, '03-account');

    const cookies = await context.cookies();
    const refreshCookie = cookies.find((c) => c.name === 'onering_rt');
    expect(refreshCookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/v1/auth' });
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    expect(stored).toBe('{}{}');

    await page.reload();
    await expect.poll(() => page.getByTestId('account-email').textContent()).toBe(email);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/login**');
    await expectAccessible(page, '04-login');
    await snap(page, '04-login');

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('wrong password entirely');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/incorrect/i);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((url) => url.pathname === '/drafts' || url.pathname === '/account');

    const phone = await fetch(`${t.server.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password, device: { name: 'Test phone', platform: 'ios' } }),
    });
    expect(phone.status).toBe(200);
    const phoneToken = ((await phone.json()) as { accessToken: string }).accessToken;

    await page.getByRole('link', { name: 'Devices' }).click();
    await page.waitForURL('**/sessions');
    await expect.poll(() => page.getByTestId('session').count()).toBe(2);
    await expectAccessible(page, '05-sessions');
    await snap(page, '05-sessions');

    await page.getByRole('button', { name: 'Sign out Test phone' }).click();
    const confirm = page.getByRole('dialog', { name: 'Sign out this device?' });
    expect(await confirm.textContent()).toContain('“Test phone” will need your password to get back in.');
    await expectAccessible(page, '05b-sessions-confirm-revoke');
    await snap(page, '05b-sessions-confirm-revoke');
    await confirm.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.getByTestId('session').count()).toBe(1);
    expect(await page.getByTestId('session').textContent()).toContain('This device');
    await expectAccessible(page, '06-sessions-after-revoke');
    await snap(page, '06-sessions-after-revoke');

    const me = await fetch(`${t.server.url}/v1/me`, { headers: { authorization: `Bearer ${phoneToken}` } });
    expect(me.status).toBe(401);
    await context.close();
  });

  it('walks the password reset pages', async () => {
    const page = await t.browser.newPage();
    await page.goto(`${t.server.url}/login`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email').fill('someone@example.test');
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/reset link/);
    await expectAccessible(page, '07-reset-request');
    await snap(page, '07-reset-request');
    await page.goto(`${t.server.url}/reset-password#token=not-a-real-token`);
    await page.getByLabel('New password', { exact: true }).fill('a whole new phrase here');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/invalid, used or expired/);
    await expectAccessible(page, '08-reset-confirm-error');
    await snap(page, '08-reset-confirm-error');
    await page.close();
  });
});
