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
