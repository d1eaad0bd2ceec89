import { describe, expect, it } from 'vitest';
import { useBrowserApp, VIEWPORTS } from './browser.js';
import { call, join, lookAt, openAs, openDraft, registerWriter } from './writers.js';

const t = useBrowserApp();
const desktop = () => t.browser.newContext(VIEWPORTS.desktop);
const phone = () => t.browser.newContext(VIEWPORTS.phone);

describe('the owner of a draft', () => {
  it('sees an accepted invite leave the pending list, takes the ring back, removes a writer and publishes, each one-way step asked first', async () => {
    const [bilbo, thorin] = [await registerWriter(t.server.url, 'Bilbo'), await registerWriter(t.server.url, 'Thorin')];
    const draft = await call<{ id: string }>(t.server.url, 'POST', '/v1/drafts', bilbo.accessToken, { title: 'The lonely mountain', platform: 'x', initialSegment: 'Far over the misty mountains.' });
    const owner = await openAs(desktop, t.server.url, bilbo);
    await openDraft(owner.page, t.server.url, draft.id);

    await owner.page.getByRole('button', { name: 'Create invite link' }).click();
    await expect.poll(() => owner.page.getByTestId('invite').count()).toBe(1);
    const url = await owner.page.getByTestId('invite-link').inputValue();
    await call(t.server.url, 'POST', '/v1/invites/accept', thorin.accessToken, { token: url.split('/ref/')[1] });
    await expect.poll(() => owner.page.getByTestId('collaborator').count()).toBe(2);
    await expect.poll(() => owner.page.getByTestId('invite').count()).toBe(0);

    const guest = await openAs(desktop, t.server.url, thorin);
    await openDraft(guest.page, t.server.url, draft.id);
    await owner.page.getByLabel('Pass the ring to').selectOption({ label: 'Thorin' });
    await owner.page.getByRole('button', { name: 'Pass the ring' }).click();
    await guest.page.getByLabel('Next post').waitFor();

    await owner.page.getByRole('button', { name: 'Take the ring' }).click();
    await lookAt(owner.page, '50-draft-take-ring-confirm');
    await owner.page.getByRole('dialog').getByRole('button', { name: 'Take the ring' }).click();
    await expect.poll(() => guest.page.getByTestId('waiting-for-ring').textContent()).toContain('The ring is with Bilbo');
    expect(await guest.page.getByLabel('Next post').count()).toBe(0);
    await expect.poll(() => owner.page.locator('ol[aria-labelledby=ring-history-title] li').allInnerTexts()).toEqual([
      expect.stringContaining('Bilbo took the ring back'),
      expect.stringContaining('Bilbo passed the ring to Thorin'),
    ]);

    // Cancelling changes nothing; confirming removes.
    await owner.page.getByRole('button', { name: 'Remove Thorin' }).click();
    await owner.page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect(await owner.page.getByTestId('collaborator').count()).toBe(2);
    await owner.page.getByRole('button', { name: 'Remove Thorin' }).click();
    await owner.page.getByRole('dialog').getByRole('button', { name: 'Remove Thorin' }).click();
    await expect.poll(() => owner.page.getByTestId('collaborator').count()).toBe(1);
    await expect.poll(() => guest.page.getByRole('heading', { level: 1 }).textContent()).toBe('This draft is not open to you');
    await lookAt(guest.page, '50b-draft-removed-writer');

    await owner.page.getByRole('link', { name: 'Settings' }).click();
    await owner.page.getByRole('button', { name: 'Publish' }).click();
    await lookAt(owner.page, '51-draft-publish-confirm');
    await owner.page.getByRole('dialog').getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => owner.page.getByRole('status').filter({ hasText: 'This draft is published' }).count()).toBe(1);
    expect(await owner.page.getByRole('button', { name: 'Edit post 1' }).count()).toBe(0);
    expect(await owner.page.getByLabel('Next post').count()).toBe(0);
    await lookAt(owner.page, '52-draft-published');
    await owner.context.close();
    await guest.context.close();
  });
});

describe('the draft page, as a writer sees it', () => {
  const long = `${'A tale of hobbits, dwarves and a dragon who sleeps on gold. '.repeat(6)}The end.`;

  it('previews the thread on each platform, measuring every post again on each switch', async () => {
    const frodo = await registerWriter(t.server.url, 'Frodo Baggins');
    const draft = await call<{ id: string }>(t.server.url, 'POST', '/v1/drafts/import', frodo.accessToken, {
      title: 'There and back again',
      platform: 'linkedin',
      text: [long, 'Short and sweet.', 'More at https://example.com/the/red/book/of/westmarch/chapter-one'].join('\n\n'),
    });
    const { context, page } = await openAs(desktop, t.server.url, frodo);
    await openDraft(page, t.server.url, draft.id);
    const summary = page.getByTestId('preview-summary');
    expect(await summary.textContent()).toBe('All 3 posts fit on LinkedIn.');
    await page.getByRole('radio', { name: 'X' }).check();
    await expect.poll(() => summary.textContent()).toBe('Post 1 is too long for X.');
    expect(await page.getByTestId('preview-post').first().textContent()).toContain('too long for X');
    expect(await page.getByTestId('preview-post').nth(2).textContent()).toContain('31 / 280');
    await lookAt(page, '53-draft-preview-on-x');
    await page.getByRole('radio', { name: 'Threads' }).check();
    await expect.poll(() => summary.textContent()).toBe('All 3 posts fit on Threads.');
    await context.close();
  });

  it('stacks on a phone: the thread, the composer, then the ring, preview, writers and settings', async () => {
    const sam = await registerWriter(t.server.url, 'Samwise Gamgee');
    const rosie = await registerWriter(t.server.url, 'Rosie Cotton');
    const draft = await call<{ id: string }>(t.server.url, 'POST', '/v1/drafts/import', sam.accessToken, {
      title: 'Po-tay-toes: a thread about second breakfast and why it matters to hobbits everywhere',
      platform: 'threads',
      text: ['Boil them, mash them, stick them in a stew.', long, 'https://example.test/a-very-long-link-that-should-wrap-on-a-phone-screen-rather-than-widen-it'].join('\n\n'),
    });
    await join(t.server.url, draft.id, sam, rosie);
    await call(t.server.url, 'POST', `/v1/drafts/${draft.id}/events`, rosie.accessToken, { type: 'comment.added', clientId: 'e2e', clientSeq: 1, payload: { text: 'Lovely!', position: 0 } });
    const { context, page } = await openAs(phone, t.server.url, sam);
    await openDraft(page, t.server.url, draft.id);
    await page.getByLabel('Next post').fill('And a pinch of salt 🧂');
    await page.getByTestId('comments-toggle').first().click();
    await expect.poll(() => page.getByTestId('comment').count()).toBe(1);
    await lookAt(page, '54-draft-phone');
    const order = await page.evaluate(() =>
      ['ol.thread', '#composer', '#ring-title', '#preview-title', '#people-title', '#settings-title'].map((s) => document.querySelector(s)!.getBoundingClientRect().top),
    );
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    await page.getByRole('button', { name: 'Edit post 2' }).click();
    await lookAt(page, '55-draft-phone-editing');
    await context.close();
  });
});
