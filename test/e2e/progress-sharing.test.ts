import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible, expectNoSidewaysScroll, snap, useBrowserApp, VIEWPORTS } from './browser.js';
import { call, join, lookAt, openAs, openDraft, registerWriter } from './writers.js';

const t = useBrowserApp();
const desktop = () => t.browser.newContext(VIEWPORTS.desktop);
/** A card is drawn on first request (satori and resvg): seconds on a busy machine. */
const IMAGE_WAIT = { timeout: 20_000 };

/** One state of a dialog, checked as a page is and kept as the screen shows it. */
async function lookAtDialog(page: Page, name: string): Promise<void> {
  await expectAccessible(page, name);
  await expectNoSidewaysScroll(page, name);
  await snap(page, name, { screen: true });
}

/** How many different colours a sample of the image's pixels has, drawn to a canvas in the page. */
function distinctColours(page: Page): Promise<number> {
  return page.getByTestId('share-card-image').evaluate((img: HTMLImageElement) => {
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const context = canvas.getContext('2d')!;
    context.drawImage(img, 0, 0);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    const seen = new Set<number>();
    // Every 97th pixel: spread over the whole card, not one stripe of it.
    for (let i = 0; i < data.length; i += 4 * 97) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    return seen.size;
  });
}

describe('insights, today, the profile, the activity panel and sharing', () => {
  it('follow what a writer does, and a preview link opens signed out, counts the open and is gone once revoked', async () => {
    const url = t.server.url;
    const [bilbo, thorin] = [await registerWriter(url, 'Bilbo Baggins'), await registerWriter(url, 'Thorin')];
    const draft = await call<{ id: string }>(url, 'POST', '/v1/drafts', bilbo.accessToken, { title: 'There and back again', platform: 'x' });
    await join(url, draft.id, bilbo, thorin);
    const { context, page } = await openAs(desktop, url, bilbo);

    // Before these two write, the board shows what others did, or (on a fresh database) invites writing.
    await page.getByRole('link', { name: 'Insights' }).click();
    await page.getByTestId('leaderboard-empty').or(page.getByTestId('leaderboard-entry').first()).waitFor();
    await lookAt(page, '60-insights-empty');

    // Two posts and a ring pass, in the browser.
    await openDraft(page, url, draft.id);
    for (const text of ['In a hole in the ground there lived a hobbit.', 'Not a nasty, dirty, wet hole.']) {
      await page.getByLabel('Next post').fill(text);
      await page.getByRole('button', { name: 'Add post' }).click();
      await expect.poll(() => page.getByTestId('segment-text').allInnerTexts()).toContain(text);
    }
    await page.getByLabel('Pass the ring to').selectOption({ label: 'Thorin' });
    await page.getByRole('button', { name: 'Pass the ring' }).click();
    await page.getByTestId('waiting-for-ring').waitFor();
    await expect.poll(() => page.getByTestId('analytics-ring-passes').textContent()).toBe('1');

    // Thorin writes elsewhere: the panel reads the figures again once, from the event, without polling.
    await page.waitForLoadState('networkidle');
    const reads: string[] = [];
    page.on('request', (r) => r.url().endsWith(`/v1/drafts/${draft.id}/analytics`) && reads.push(r.url()));
    await call(url, 'POST', `/v1/drafts/${draft.id}/segments`, thorin.accessToken, { content: 'It was a hobbit-hole, and that means comfort.' });
    await expect.poll(() => page.getByTestId('analytics-posts').textContent()).toBe('3');
    await page.waitForLoadState('networkidle');
    expect(reads).toHaveLength(1);
    expect(await page.getByTestId('analytics-views').textContent()).toBe('1');
    expect(await page.getByTestId('analytics-edits').textContent()).toBe('0');
    expect(await page.getByTestId('analytics-contributor').allInnerTexts()).toEqual([
      expect.stringMatching(/Bilbo Baggins\s*2 posts/),
      expect.stringMatching(/Thorin\s*1 post$/),
    ]);
    expect(await page.getByTestId('analytics-last-activity').textContent()).toMatch(/^Last activity/);
    await lookAt(page, '61-draft-activity');

    // Insights: both writers, Bilbo marked as the reader, no place past 10 and no "you are #n".
    await page.getByRole('link', { name: 'Insights' }).click();
    await expect.poll(() => page.getByTestId('leaderboard-entry').count()).toBe(2);
    const mine = page.locator('[data-testid=leaderboard-entry].mine');
    expect(await mine.count()).toBe(1);
    expect(await mine.textContent()).toContain('Bilbo Baggins');
    expect(await page.locator('main').textContent()).not.toMatch(/#\d|you are/i);
    await page.getByRole('radio', { name: 'Momentum' }).check();
    await page.getByRole('radio', { name: 'All time' }).check();
    await expect.poll(() => page.url()).toContain('metric=momentum&window=all');
    await page.getByTestId('leaderboard-message').waitFor();
    await lookAt(page, '62-insights-momentum-all-time');

    // Today: a one-day streak, today counted.
    await page.getByRole('link', { name: 'Today' }).click();
    await expect.poll(() => page.getByTestId('streak-days').textContent()).toBe('1 day');
    expect(await page.getByTestId('wrote-today').textContent()).toContain('You wrote today');
    await lookAt(page, '63-today');

    // The profile: the chart, named, with its words and its numbers.
    await page.getByRole('link', { name: 'Profile' }).click();
    const chart = page.getByRole('img', { name: 'Momentum over the last 30 days' });
    await chart.waitFor();
    expect(await chart.locator('rect.bar').count()).toBe(1);
    expect(await page.getByTestId('momentum-summary').textContent()).toContain('2 posts on 1 day');
    expect(await page.getByTestId('momentum-table').locator('tbody tr').count()).toBe(30);
    expect(await page.getByTestId('profile-streak').textContent()).toBe('1 day');
    const personalCard = page.getByTestId('personal-card-image');
    await personalCard.scrollIntoViewIfNeeded();
    await expect.poll(() => personalCard.evaluate((img: HTMLImageElement) => (img.complete ? [img.naturalWidth, img.naturalHeight] : [])), IMAGE_WAIT).toEqual([1200, 630]);
    expect(await personalCard.getAttribute('alt')).toContain('Bilbo Baggins');
    await page.getByText('Show the numbers').click();
    await lookAt(page, '64-profile');

    // The share dialog: the card's image is the real 1200×630 PNG, with something on it.
    await openDraft(page, url, draft.id);
    await page.getByRole('button', { name: 'Share' }).click();
    const dialog = page.getByRole('dialog', { name: 'Share “There and back again”' });
    const image = dialog.getByTestId('share-card-image');
    await image.waitFor({ timeout: IMAGE_WAIT.timeout });
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => (img.complete ? [img.naturalWidth, img.naturalHeight] : [])), IMAGE_WAIT).toEqual([1200, 630]);
    expect(await distinctColours(page)).toBeGreaterThanOrEqual(8);
    expect(await image.getAttribute('alt')).toMatch(/^Share card for “There and back again” by .*: 3 posts, 2 writers, 1 ring pass in the last 24 hours/);
    expect(await dialog.getByTestId('no-public-link').textContent()).toContain('no public page yet');
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download PNG' }).click()]);
    expect(download.suggestedFilename()).toBe('there-and-back-again-share-card.png');

    // A preview link, shown once; opened by someone with no account.
    await dialog.getByRole('button', { name: 'Create preview link' }).click();
    const link = await dialog.getByLabel('New preview link').inputValue();
    const token = link.split('/s/')[1]!;
    expect(token.length).toBeGreaterThan(10);
    await expect.poll(() => dialog.getByTestId('preview-link').count()).toBe(1);
    await lookAtDialog(page, '65-share-dialog-new-preview-link');
    const reader = await t.browser.newContext(VIEWPORTS.phone);
    const readerPage = await reader.newPage();
    const opened = await readerPage.goto(`${url}/s/${token}`);
    expect(opened?.status()).toBe(200);
    await readerPage.getByText('In a hole in the ground there lived a hobbit.').waitFor();
    expect(await readerPage.getByText('It was a hobbit-hole, and that means comfort.').count()).toBe(1);
    expect(await readerPage.locator('textarea, input, form').count()).toBe(0);
    await lookAt(readerPage, '66-preview-link-signed-out');

    // Back in the dialog (opened again, so it reads the list again): one open, then revoked.
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await page.getByRole('button', { name: 'Share' }).click();
    await expect.poll(() => dialog.getByTestId('preview-link-opens').textContent()).toMatch(/^Opened 1 time, last/);
    expect(await dialog.getByLabel('New preview link').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke this preview link?' });
    await lookAtDialog(page, '67-revoke-preview-link-confirm');
    await confirm.getByRole('button', { name: 'Revoke link' }).click();
    await expect.poll(() => dialog.getByTestId('preview-link').count()).toBe(0);
    const gone = await readerPage.goto(`${url}/s/${token}`);
    expect([404, 410]).toContain(gone?.status());
    expect(await readerPage.getByText('In a hole in the ground there lived a hobbit.').count()).toBe(0);
    await snap(readerPage, '68-preview-link-revoked');
    await page.keyboard.press('Escape');

    // The open by someone outside the draft is one share.
    await openDraft(page, url, draft.id);
    await expect.poll(() => page.getByTestId('analytics-shares').textContent()).toBe('1');

    // Published, the draft has a public page, and the dialog offers its link.
    await call(url, 'POST', `/v1/drafts/${draft.id}/publish`, bilbo.accessToken);
    await page.getByRole('status').filter({ hasText: 'This draft is published' }).waitFor();
    await page.getByRole('button', { name: 'Share' }).click();
    const publicLink = await dialog.getByTestId('public-link').inputValue();
    expect(publicLink).toBe(`${url}/p/${draft.id}`);
    const publicPage = await readerPage.goto(publicLink);
    expect(publicPage?.status()).toBe(200);
    await readerPage.getByText('Not a nasty, dirty, wet hole.').waitFor();
    await lookAtDialog(page, '69-share-dialog-published');
    await reader.close();
    await context.close();
  });
});
