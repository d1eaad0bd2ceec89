import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible, snap, useBrowserApp } from './browser.js';

const t = useBrowserApp();

async function signUp(page: Page, email: string, name: string, startAt = '/signup') {
  if (startAt) await page.goto(`${t.server.url}${startAt}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('we write together now');
  await page.getByLabel('Display name (optional)').fill(name);
  await page.getByRole('button', { name: 'Sign up' }).click();
}

describe('two writers in two browsers', () => {
  it('invite, accept through sign-up, pass the ring, append, and see each other live', async () => {
    const stamp = Date.now();
    const ownerContext = await t.browser.newContext({ viewport: { width: 1100, height: 900 } });
    const guestContext = await t.browser.newContext({ viewport: { width: 1100, height: 900 } });
    const owner = await ownerContext.newPage();
    const guest = await guestContext.newPage();

    await signUp(owner, `owner-${stamp}@example.test`, 'Bilbo');
    await owner.waitForURL('**/drafts');
    await owner.getByRole('button', { name: 'New draft' }).click();
    await owner.getByLabel('Title').fill('An unexpected thread');
    await owner.getByLabel('Platform').selectOption('bluesky');
    await owner.getByLabel('First post (optional)').fill('In a hole in the ground there lived a hobbit.');
    await expectAccessible(owner, '10-create-draft-dialog');
    await snap(owner, '10-create-draft-dialog');
    await owner.getByRole('button', { name: 'Create draft' }).click();
    await owner.waitForURL('**/drafts/*');
    await expect.poll(() => owner.getByTestId('draft-title').textContent()).toBe('An unexpected thread');

    await owner.getByRole('button', { name: 'Create invite link' }).click();
    const link = await owner.getByTestId('invite-link').inputValue();
    expect(link).toMatch(/\/ref\/[\w-]+$/);
    await expectAccessible(owner, '11-draft-owner-with-invite');
    await snap(owner, '11-draft-owner-with-invite');

    await guest.goto(link.replace(/^https?:\/\/[^/]+/, t.server.url));
    await expect.poll(() => guest.getByTestId('invite-preview').textContent()).toContain('An unexpected thread');
    await expectAccessible(guest, '12-invite-preview-signed-out');
    await snap(guest, '12-invite-preview-signed-out');
    await guest.getByRole('link', { name: 'Sign up to join' }).click();
    await signUp(guest, `guest-${stamp}@example.test`, 'Thorin', '');
    await guest.waitForURL('**/ref/**');
    await guest.getByRole('button', { name: 'Join the draft' }).click();
    await guest.waitForURL('**/drafts/*');
    await expect.poll(() => guest.getByTestId('ring-holder').textContent()).toContain('Bilbo');

    // The owner's page learns of the new writer live, without a reload.
    await expect.poll(() => owner.getByTestId('live-status').textContent()).toContain('live');
    await expect.poll(() => owner.getByTestId('collaborator').count()).toBe(2);
    await owner.getByLabel('Pass the ring to').selectOption({ label: 'Thorin' });
    await owner.getByRole('button', { name: 'Pass the ring' }).click();
    await expect.poll(() => owner.getByTestId('ring-holder').textContent()).toContain('Thorin');

    const composer = guest.getByLabel('Next post');
    await composer.waitFor();
    await composer.fill('Far over the misty mountains cold 🏔️');
    await expect.poll(() => guest.locator('#composer-count').textContent()).toBe('35 / 300 characters on Bluesky');
    // Without reloading, the owner sees who is here and that Thorin is typing the next post.
    await expect.poll(() => owner.getByTestId('typing').textContent()).toContain('Thorin is typing post 2');
    expect(await owner.getByTestId('here').textContent()).toContain('Thorin');
    await expectAccessible(owner, '13b-owner-sees-typing');
    await snap(owner, '13b-owner-sees-typing');
    await expectAccessible(guest, '13-guest-composer');
    await snap(guest, '13-guest-composer');
    await guest.getByRole('button', { name: 'Add post' }).click();
    await expect.poll(() => guest.getByTestId('segment').count()).toBe(2);

    await expect.poll(() => owner.getByTestId('segment').count()).toBe(2);
    await owner.reload();
    await expect.poll(() => owner.getByTestId('segment').count()).toBe(2);
    expect(await owner.getByTestId('segment').nth(1).textContent()).toContain('Far over the misty mountains cold');
    expect(await owner.getByTestId('segment').nth(1).textContent()).toContain('Thorin');

    await owner.getByLabel('Comment on post 2').fill('Lovely line');
    await owner.getByRole('button', { name: 'Comment' }).nth(1).click();
    await expect.poll(() => owner.getByTestId('comment').count()).toBe(1);
    await expectAccessible(owner, '14-owner-sees-guest-post');
    await snap(owner, '14-owner-sees-guest-post');

    await owner.goto(`${t.server.url}/drafts`);
    await expect.poll(() => owner.getByTestId('draft-card').count()).toBe(1);
    const card = owner.getByTestId('draft-card');
    expect(await card.textContent()).toContain('In a hole in the ground there lived a hobbit.');
    expect(await card.textContent()).toContain('Bluesky · 2 posts · 2 writers · ring with Thorin');
    await expectAccessible(owner, '15-drafts-list');
    await snap(owner, '15-drafts-list');
    await owner.setViewportSize({ width: 390, height: 844 });
    const overflow = await owner.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, 'nothing wider than a phone screen').toBe(0);
    await expectAccessible(owner, '15b-drafts-list-phone');
    await snap(owner, '15b-drafts-list-phone');
    await guest.goto(`${t.server.url}/drafts`);
    await expect.poll(() => guest.getByTestId('draft-card').first().textContent()).toContain('Your turn');
    await ownerContext.close();
    await guestContext.close();
  });
});
