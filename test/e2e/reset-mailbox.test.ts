import { describe, expect, it } from 'vitest';
import { expectAccessible, snap, useBrowserApp } from './browser.js';

const t = useBrowserApp();

const VIEWPORTS = [
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
] as const;

describe('password reset through the development mailbox', () => {
  for (const { name, ...device } of VIEWPORTS) {
    it(`requests a reset, opens the mail at /dev/mailbox, follows the link and logs in with the new password (${name})`, async () => {
      const email = `pippin-${name}-${Date.now()}@example.test`;
      const registered = await fetch(`${t.server.url}/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'a fool of a took am i' }),
      });
      expect(registered.status).toBe(201);
      const context = await t.browser.newContext(device);
      const page = await context.newPage();

      await page.goto(`${t.server.url}/reset-password`);
      await page.getByLabel('Email').fill(email);
      await page.getByRole('button', { name: 'Send reset link' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toMatch(/reset link/);

      // The mail is written after the answer; the page shows it once it is there.
      await expect
        .poll(async () => {
          await page.goto(`${t.server.url}/dev/mailbox`);
          return page.getByRole('article').filter({ hasText: email }).count();
        })
        .toBe(1);
      await expectAccessible(page, `20-dev-mailbox-${name}`);
      await snap(page, `20-dev-mailbox-${name}`);
      await page.getByRole('article').filter({ hasText: email }).getByRole('link', { name: /reset-password#token=/ }).click();
      await page.waitForURL('**/reset-password#token=*');

      const newPassword = page.getByLabel('New password', { exact: true });
      await newPassword.fill('password123');
      await expect.poll(() => page.getByText('This is a commonly used password.').count()).toBe(1);
      await page.getByRole('button', { name: 'Set new password' }).click();
      await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/commonly used password/);
      await expectAccessible(page, `21-reset-weak-password-${name}`);
      await snap(page, `21-reset-weak-password-${name}`);

      await newPassword.fill('second breakfast at eleven');
      await expect.poll(() => page.getByText('Strong enough.').count()).toBe(1);
      await page.getByRole('button', { name: 'Set new password' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toMatch(/password is changed/);
      await expectAccessible(page, `22-reset-done-${name}`);
      await snap(page, `22-reset-done-${name}`);

      await page.getByRole('link', { name: 'Log in' }).first().click();
      await page.waitForURL('**/login**');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill('second breakfast at eleven');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL('**/drafts');
      await expectAccessible(page, `23-logged-in-after-reset-${name}`);
      await snap(page, `23-logged-in-after-reset-${name}`);
      await context.close();
    });
  }
});
