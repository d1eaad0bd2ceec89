import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAi } from '../helpers/fake-openai.js';
import { useBrowserApp, VIEWPORTS } from './browser.js';
import { call, lookAt, openAs, registerWriter } from './writers.js';

/**
 * The coach on a configured AI provider (a fake OpenAI server), where the provider's behaviour is what the
 * page meets: answers reporting a great many tokens, so the next call meets `429 ai_budget_exhausted`
 * through the real gateway and ledger; a reply held half-way while its session goes.
 */
const fake = new FakeOpenAi();
const env: Record<string, string> = { AI_MODEL: 'gpt-4o-mini' };
// Before the app's own beforeAll (hooks run in order), so the server starts with the fake's address.
beforeAll(async () => {
  await fake.start();
  env.AI_BASE_URL = fake.baseUrl;
});
afterAll(() => fake.stop());
const t = useBrowserApp({ env });
const phone = () => t.browser.newContext(VIEWPORTS.phone);

/** Two million output tokens of gpt-4o-mini: 1.20 USD, past a user's daily Mirror budget (1 USD) and Turn budget (0.50 USD). */
const COSTLY = { usage: { prompt: 100, completion: 2_000_000 } };

describe('The day’s AI budget', () => {
  it('says kindly when today’s coaching is used, keeps the message in the composer, and refuses a Turn the same way', async () => {
    const bilbo = await registerWriter(t.server.url, 'Bilbo Baggins');
    const session = await call<{ id: string }>(t.server.url, 'POST', '/v1/coach/mirror/sessions', bilbo.accessToken, { title: 'A long-expected party' });
    fake.then({ text: 'What part of the speech matters most to you?', ...COSTLY }, { text: 'Short and sweet.\n---\nBrief, and kind.', ...COSTLY });
    const { context, page } = await openAs(phone, t.server.url, bilbo);

    await page.goto(`${t.server.url}/coach/mirror/${session.id}`);
    await page.getByLabel('Your message').fill('My speech is too long.');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByTestId('mirror-message').count()).toBe(2);
    // Answered by the configured provider: no offline note.
    expect(await page.getByTestId('offline-coach').count()).toBe(0);

    const words = 'And what about the fireworks?';
    await page.getByLabel('Your message').fill(words);
    await page.getByRole('button', { name: 'Send' }).click();
    const budget = page.getByTestId('ai-budget');
    await budget.waitFor();
    expect(await budget.innerText()).toContain('You have had all of today’s coaching.');
    expect(await page.getByLabel('Your message').inputValue()).toBe(words);
    expect(await page.getByTestId('mirror-message').count()).toBe(2);
    await lookAt(page, 'coach-mirror-budget-phone');

    await page.goto(`${t.server.url}/coach/turn`);
    await page.getByLabel('Your thought').fill('I shall leave the Shire quietly.');
    await page.getByRole('button', { name: 'Ask for a Turn' }).click();
    await expect.poll(() => page.locator('.turn-result').getByTestId('turn-suggestion').count()).toBe(2);
    await page.getByRole('button', { name: 'Ask for a Turn' }).click();
    await page.getByTestId('ai-budget').waitFor();
    expect(await page.getByTestId('ai-budget').innerText()).toContain('Everything you wrote is kept');
    await lookAt(page, 'coach-turn-budget-phone');
    await context.close();
  });
});

describe('A reply that fails after the message was sent', () => {
  it('ends the reply in progress and says the session is gone when it was deleted meanwhile', async () => {
    const sam = await registerWriter(t.server.url, 'Samwise');
    const session = await call<{ id: string }>(t.server.url, 'POST', '/v1/coach/mirror/sessions', sam.accessToken, { title: 'Ropes' });
    // The reply stops after its first words until the session is deleted (from another tab, say): then the
    // server cannot store it, and the stream it already answered 200 ends with an error event.
    let resume!: () => void;
    fake.then({ text: 'You could end on the rope itself.', holdAfterChunks: 3, resumeWhen: new Promise<void>((resolve) => (resume = resolve)) });
    const { context, page } = await openAs(() => t.browser.newContext(VIEWPORTS.desktop), t.server.url, sam);
    await page.goto(`${t.server.url}/coach/mirror/${session.id}`);
    await page.getByLabel('Your message').fill('What if the ending of my thread is too long?');
    await page.getByRole('button', { name: 'Send' }).click();
    // The first words are on the page: the message is stored and the reply's stream has begun.
    await expect.poll(() => page.getByTestId('mirror-streaming').textContent()).toContain('You could');
    expect((await fetch(`${t.server.url}/v1/coach/mirror/sessions/${session.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${sam.accessToken}` } })).status).toBe(204);
    resume();

    // The stream ends with the server's error (the reply had nowhere to go); the page reads the session
    // again and says it is gone, instead of a reply that was never stored.
    await page.getByRole('heading', { name: 'This session is not here' }).waitFor();
    expect(await page.getByTestId('mirror-streaming').count()).toBe(0);
    expect(await page.getByTestId('mirror-message').count()).toBe(0);
    await lookAt(page, 'coach-mirror-gone-midway');
    await context.close();
  });
});
