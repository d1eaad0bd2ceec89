import { describe, expect, it } from 'vitest';
import { useBrowserApp } from './browser.js';
import { call, join, lookAt, openAs, openDraft, postTexts, registerWriter } from './writers.js';

const t = useBrowserApp();
const desktop = () => t.browser.newContext({ viewport: { width: 1280, height: 800 } });

type Draft = { id: string; segments: Array<{ id: string; revision: number; content: string }> };

async function threadOf(owner: { accessToken: string }, title: string, posts: string[]): Promise<Draft> {
  return call<Draft>(t.server.url, 'POST', '/v1/drafts/import', owner.accessToken, { title, platform: 'x', text: posts.join('\n\n') });
}

describe('the thread, changed by its ring holder', () => {
  it('an edit, a delete, a keyboard move and a drag are seen live by the second writer', async () => {
    const [bilbo, thorin] = [await registerWriter(t.server.url, 'Bilbo'), await registerWriter(t.server.url, 'Thorin')];
    const draft = await threadOf(bilbo, 'Riddles in the dark', ['What has roots?', 'Thirty white horses.', 'Voiceless it cries.', 'An eye in a blue face.']);
    await join(t.server.url, draft.id, bilbo, thorin);
    const owner = await openAs(desktop, t.server.url, bilbo);
    const guest = await openAs(desktop, t.server.url, thorin);
    await openDraft(owner.page, t.server.url, draft.id);
    await openDraft(guest.page, t.server.url, draft.id);
    expect(await postTexts(guest.page)).toEqual(['What has roots?', 'Thirty white horses.', 'Voiceless it cries.', 'An eye in a blue face.']);
    // Only the ring holder gets the tools.
    expect(await guest.page.getByRole('button', { name: 'Edit post 1' }).count()).toBe(0);

    await owner.page.getByRole('button', { name: 'Edit post 2' }).click();
    const editor = owner.page.getByLabel('Text of post 2');
    expect(await editor.evaluate((el) => el === document.activeElement)).toBe(true);
    await editor.fill('Thirty white horses on a red hill.');
    await lookAt(owner.page, '30-draft-editing-post');
    await editor.press('Control+Enter');
    await expect.poll(() => postTexts(guest.page)).toContain('Thirty white horses on a red hill.');
    expect(await guest.page.getByTestId('segment').nth(1).getByTestId('edited').count()).toBe(1);

    await owner.page.getByRole('button', { name: 'Delete post 3' }).click();
    await owner.page.getByRole('dialog').waitFor();
    await lookAt(owner.page, '30b-draft-delete-confirm');
    await owner.page.getByRole('dialog').getByRole('button', { name: 'Delete post' }).click();
    await expect.poll(() => postTexts(guest.page)).toEqual(['What has roots?', 'Thirty white horses on a red hill.', 'An eye in a blue face.']);

    // By keyboard: focus stays on the moved post's button, so pressing again moves it further.
    await owner.page.getByRole('button', { name: 'Move post 1 down' }).focus();
    await owner.page.keyboard.press('Enter');
    await expect.poll(() => postTexts(guest.page)).toEqual(['Thirty white horses on a red hill.', 'What has roots?', 'An eye in a blue face.']);
    await expect.poll(() => owner.page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Move post 2 down');
    await owner.page.keyboard.press('Enter');
    await expect.poll(() => postTexts(guest.page)).toEqual(['Thirty white horses on a red hill.', 'An eye in a blue face.', 'What has roots?']);

    // By dragging the last post onto the first.
    await owner.page.getByTestId('drag-handle').nth(2).dragTo(owner.page.getByTestId('segment').nth(0));
    await expect.poll(() => postTexts(guest.page)).toEqual(['What has roots?', 'Thirty white horses on a red hill.', 'An eye in a blue face.']);
    expect(await postTexts(owner.page)).toEqual(await postTexts(guest.page));
    await lookAt(guest.page, '31-draft-guest-sees-changes');

    // The history of the edited post keeps both versions.
    await guest.page.getByRole('button', { name: 'History of post 2' }).click();
    await expect.poll(() => guest.page.getByTestId('post-history').locator('li').count()).toBe(2);
    expect(await guest.page.getByTestId('post-history').innerText()).toContain('Thirty white horses.');
    await lookAt(guest.page, '31b-draft-post-history');

    // What both pages show is what a fresh read shows.
    await guest.page.reload();
    await expect.poll(() => postTexts(guest.page)).toEqual(await postTexts(owner.page));
    await owner.context.close();
    await guest.context.close();
  });

  it('an edit made on a stale revision shows the other text and keeps what was typed', async () => {
    const bilbo = await registerWriter(t.server.url, 'Bilbo');
    const draft = await threadOf(bilbo, 'Two devices', ['In a hole in the ground.', 'There lived a hobbit.']);
    const { context, page } = await openAs(desktop, t.server.url, bilbo);
    await openDraft(page, t.server.url, draft.id);

    await page.getByRole('button', { name: 'Edit post 1' }).click();
    await page.getByLabel('Text of post 1').fill('In a hole in the ground, not a nasty one.');
    // Meanwhile the same post is changed elsewhere (another device).
    const first = draft.segments[0]!;
    await call(t.server.url, 'PATCH', `/v1/drafts/${draft.id}/segments/${first.id}`, bilbo.accessToken, { content: 'In a hole, in the ground.' }, { 'if-match': `"${first.revision}"` });
    await expect.poll(() => page.getByText('Someone changed this post since you started editing').count()).toBe(1);

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByTestId('edit-conflict').count()).toBe(1);
    expect(await page.getByTestId('conflict-current').innerText()).toBe('In a hole, in the ground.');
    expect(await page.getByLabel('Text of post 1').inputValue()).toBe('In a hole in the ground, not a nasty one.');
    await lookAt(page, '32-draft-edit-conflict');

    await page.getByRole('button', { name: 'Save mine over theirs' }).click();
    await expect.poll(() => postTexts(page)).toEqual(['In a hole in the ground, not a nasty one.', 'There lived a hobbit.']);
    await page.reload();
    await expect.poll(() => postTexts(page)).toEqual(['In a hole in the ground, not a nasty one.', 'There lived a hobbit.']);
    await context.close();
  });
});
