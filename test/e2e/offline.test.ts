import { describe, expect, it } from 'vitest';
import { useBrowserApp } from './browser.js';
import { openAs, registerWriter } from './writers.js';

const t = useBrowserApp();

describe('a page whose reads fail while the connection is down', () => {
  it('keeps showing what it showed, instead of an error in its place', async () => {
    const sam = await registerWriter(t.server.url, 'Sam');
    const { context, page } = await openAs(() => t.browser.newContext({ viewport: { width: 1280, height: 800 } }), t.server.url, sam);
    await page.goto(`${t.server.url}/today`);
    const message = await page.getByTestId('today-message').textContent();
    await page.waitForLoadState('networkidle');

    // Every read of the day fails from now on, as a request does while the network is gone.
    let failedReads = 0;
    await page.route('**/v1/today*', async (route) => {
      failedReads++;
      await route.abort('internetdisconnected');
    });
    // Coming back to the tab reads the page's data again, retried twice before the read gives up.
    await page.evaluate(() => window.dispatchEvent(new Event('visibilitychange')));
    await expect.poll(() => failedReads, { timeout: 20_000 }).toBe(3);
    // Two animation frames: the failed read has been rendered.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

    expect(await page.getByTestId('today-message').textContent()).toBe(message);
    expect(await page.getByRole('alert').count()).toBe(0);
    await context.close();
  });
});

describe('signing in again while the server cannot be reached', () => {
  it('keeps the user signed in and picks up where they were once it answers again', async () => {
    const sam = await registerWriter(t.server.url, 'Sam');
    const { context, page } = await openAs(() => t.browser.newContext({ viewport: { width: 1280, height: 800 } }), t.server.url, sam);
    await page.goto(`${t.server.url}/today`);
    await expect.poll(() => page.getByTestId('today-message').isVisible()).toBe(true);

    // The page is opened again while the refresh cannot reach the server, as when the network is down.
    let failedRefreshes = 0;
    await page.route('**/v1/auth/refresh', async (route) => {
      failedRefreshes++;
      await route.abort('internetdisconnected');
    });
    await page.reload();
    await expect.poll(() => failedRefreshes, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    // Not sent to the sign-in page: who is signed in is not known until the server answers.
    expect(new URL(page.url()).pathname).toBe('/today');
    expect(await page.getByText('Loading…').isVisible()).toBe(true);

    await page.unroute('**/v1/auth/refresh');
    await expect.poll(() => page.getByTestId('today-message').isVisible(), { timeout: 20_000 }).toBe(true);
    await context.close();
  });
});
