import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { useBrowserApp } from './browser.js';
import { call, lookAt, openAs, openDraft, postTexts, registerWriter } from './writers.js';

const t = useBrowserApp();
const desktop = () => t.browser.newContext({ viewport: { width: 1280, height: 800 }, permissions: ['clipboard-read', 'clipboard-write'] });

describe('getting a thread in and out', () => {
  it('imports pasted text, each part counted before it is sent, and opens the new draft', async () => {
    const frodo = await registerWriter(t.server.url, 'Frodo');
    const { context, page } = await openAs(desktop, t.server.url, frodo);
    await page.getByRole('link', { name: 'Import a thread' }).click();
    await page.waitForURL('**/drafts/import');
    await page.getByLabel('Title').fill('The road goes ever on');
    await page.getByLabel('Platform').selectOption('bluesky');
    await page.getByLabel('Thread').fill(`The road goes ever on and on.\n\n${'Down from the door where it began. '.repeat(10)}\n\nNow far ahead the road has gone.`);
    await expect.poll(() => page.getByTestId('import-part').count()).toBe(3);
    expect(await page.getByTestId('import-verdict').innerText()).toContain('1 of 3 posts are too long for Bluesky (2)');
    expect(await page.getByRole('button', { name: /^Import/ }).isDisabled()).toBe(true);
    await lookAt(page, '40-import-part-too-long');

    await page.getByLabel('Thread').fill('The road goes ever on and on.\n---\nDown from the door\n\nwhere it began.\n---\nNow far ahead the road has gone.');
    await expect.poll(() => page.getByTestId('import-verdict').innerText()).toContain('3 posts, all within');
    await lookAt(page, '40b-import-ready');
    await page.getByRole('button', { name: 'Import 3 posts' }).click();
    await page.waitForURL(/\/drafts\/[0-9a-f-]{36}$/);
    await expect.poll(() => postTexts(page)).toEqual(['The road goes ever on and on.', 'Down from the door\n\nwhere it began.', 'Now far ahead the road has gone.']);
    expect(await page.getByTestId('draft-title').textContent()).toBe('The road goes ever on');
    await context.close();
  });

  it('copies the thread, numbered or not, and downloads it as text, Markdown and JSON', async () => {
    const sam = await registerWriter(t.server.url, 'Sam');
    const draft = await call<{ id: string }>(t.server.url, 'POST', '/v1/drafts/import', sam.accessToken, {
      title: 'Po-tay-toes',
      platform: 'x',
      text: 'Boil them.\n\nMash them.\n\nStick them in a stew.',
    });
    const { context, page } = await openAs(desktop, t.server.url, sam);
    await openDraft(page, t.server.url, draft.id);

    await page.getByRole('button', { name: 'Copy thread' }).click();
    await expect.poll(() => page.getByTestId('copy-status').textContent()).toBe('Copied 3 posts.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('Boil them.\n\nMash them.\n\nStick them in a stew.');
    await page.getByLabel('Number the posts').check();
    await page.getByRole('button', { name: 'Copy thread' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('1/3 Boil them.\n\n2/3 Mash them.\n\n3/3 Stick them in a stew.');
    await lookAt(page, '42-draft-thread-copied');

    const downloads: Record<string, string> = {};
    for (const format of ['Text', 'Markdown', 'JSON']) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `Download as ${format}` }).click()]);
      downloads[download.suggestedFilename()] = await readFile((await download.path())!, 'utf8');
    }
    expect(Object.keys(downloads)).toEqual(['po-tay-toes.txt', 'po-tay-toes.md', 'po-tay-toes.json']);
    expect(downloads['po-tay-toes.txt']).toBe('1/3 Boil them.\n\n2/3 Mash them.\n\n3/3 Stick them in a stew.\n');
    expect(downloads['po-tay-toes.md']).toContain('# Po-tay-toes');
    expect(downloads['po-tay-toes.md']).toContain('2/3 Mash them.');
    expect(JSON.parse(downloads['po-tay-toes.json']!)).toMatchObject({ title: 'Po-tay-toes' });
    await context.close();
  });
});

describe('the composer', () => {
  it('counts a link as X does, 23 characters whatever its length', async () => {
    const pippin = await registerWriter(t.server.url, 'Pippin');
    const draft = await call<{ id: string }>(t.server.url, 'POST', '/v1/drafts', pippin.accessToken, { title: 'Second breakfast', platform: 'x' });
    const { context, page } = await openAs(desktop, t.server.url, pippin);
    await openDraft(page, t.server.url, draft.id);
    await page.getByLabel('Next post').fill('Menu: https://example.com/the/shire/green-dragon/menus/second-breakfast?with=mushrooms');
    await expect.poll(() => page.locator('#composer-count').textContent()).toBe('29 / 280 characters on X');
    await page.getByLabel('Next post').press('Control+Enter');
    await expect.poll(() => page.getByTestId('segment').count()).toBe(1);
    expect(await page.getByTestId('segment').getByTestId('post-count').textContent()).toBe('29 / 280');
    // The field is empty and ready for the next post.
    expect(await page.getByLabel('Next post').inputValue()).toBe('');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('composer');
    await context.close();
  });

  it('keeps unsent text across a reload, and asks before leaving with it', async () => {
    const merry = await registerWriter(t.server.url, 'Merry');
    const draft = await call<{ id: string }>(t.server.url, 'POST', '/v1/drafts', merry.accessToken, { title: 'Buckland', platform: 'threads', initialSegment: 'The ferry.' });
    const { context, page } = await openAs(desktop, t.server.url, merry);
    await openDraft(page, t.server.url, draft.id);
    await page.getByLabel('Next post').fill('Fog on the Barrow-downs');
    await page.getByRole('button', { name: 'Edit post 1' }).click();
    await page.getByLabel('Text of post 1').fill('The Bucklebury ferry.');

    await page.reload();
    await expect.poll(() => page.getByLabel('Next post').inputValue()).toBe('Fog on the Barrow-downs');
    expect(await page.getByLabel('Text of post 1').inputValue()).toBe('The Bucklebury ferry.');
    await lookAt(page, '41-draft-restored-after-reload');

    // Leaving inside the app asks first; staying keeps everything.
    await page.getByRole('link', { name: 'Drafts', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByRole('heading').textContent()).toBe('Leave with unsent text?');
    await lookAt(page, '41b-draft-leave-with-unsent-text');
    await dialog.getByRole('button', { name: 'Stay' }).click();
    expect(page.url()).toContain(`/drafts/${draft.id}`);
    // Closing the tab asks too (the browser's own prompt).
    const prompt = new Promise<string>((resolve) => page.once('dialog', (d) => void d.dismiss().then(() => resolve(d.type()))));
    await page.close({ runBeforeUnload: true });
    expect(await prompt).toBe('beforeunload');

    // Sent, the text is gone from the device and leaving no longer asks.
    const again = await context.newPage();
    await openDraft(again, t.server.url, draft.id);
    await again.getByRole('button', { name: 'Save', exact: true }).click();
    await again.getByRole('button', { name: 'Add post' }).click();
    await expect.poll(() => postTexts(again)).toEqual(['The Bucklebury ferry.', 'Fog on the Barrow-downs']);
    await again.getByRole('link', { name: 'Drafts', exact: true }).click();
    await again.waitForURL('**/drafts');
    expect(await again.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('onering.unsent')))).toEqual([]);
    await context.close();
  });
});
