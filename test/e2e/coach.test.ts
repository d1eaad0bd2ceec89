import { describe, expect, it } from 'vitest';
import { useBrowserApp, VIEWPORTS } from './browser.js';
import { call, logIn, lookAt, openAs, openDraft, PASSWORD, postTexts, registerWriter, type Writer } from './writers.js';

const ADMIN_EMAIL = 'gandalf.the.grey@example.test';
const t = useBrowserApp({ env: { ADMIN_EMAILS: ADMIN_EMAIL } });
const desktop = () => t.browser.newContext(VIEWPORTS.desktop);
const phone = () => t.browser.newContext(VIEWPORTS.phone);

/** The admin's access token: registered by the first test that needs it, logged in after. */
async function adminToken(): Promise<string> {
  const body = { email: ADMIN_EMAIL, password: PASSWORD };
  const login = await fetch(`${t.server.url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (login.ok) return ((await login.json()) as Writer).accessToken;
  return (await call<Writer>(t.server.url, 'POST', '/v1/auth/register', undefined, { ...body, displayName: 'Gandalf' })).accessToken;
}

type Segment = { id: string; revision: number };
type Draft = { id: string; segments: Segment[] };

describe('Turn beside a draft', () => {
  it('offers rewrites of a post within the limit, and using one edits the post; a post changed since is kept', async () => {
    const frodo = await registerWriter(t.server.url, 'Frodo');
    const draft = await call<Draft>(t.server.url, 'POST', '/v1/drafts', frodo.accessToken, {
      title: 'There and back again',
      platform: 'x',
      initialSegment: 'I finally finished the first chapter of my book today and honestly it was a lot of work but worth it.',
    });
    const { context, page } = await openAs(desktop, t.server.url, frodo);
    await openDraft(page, t.server.url, draft.id);

    await page.getByRole('button', { name: 'Turn this post (post 1)' }).click();
    const panel = page.getByTestId('coach-panel');
    await panel.getByRole('button', { name: 'Ask for a Turn' }).click();
    await expect.poll(() => panel.getByTestId('turn-suggestion').count()).toBeGreaterThan(0);
    expect(await panel.getByTestId('turn-suggestion').count()).toBeLessThanOrEqual(3);
    // The offline coach answers by default, and says so.
    await panel.getByTestId('offline-coach').waitFor();
    for (const count of await panel.getByTestId('turn-suggestion').locator('.post-count').allInnerTexts()) {
      const [length, limit] = count.split(/\s*\/\s*/).map((n) => Number.parseInt(n, 10));
      expect(length).toBeLessThanOrEqual(limit!);
    }
    await lookAt(page, 'coach-turn-suggestions');

    const chosen = (await panel.getByTestId('turn-suggestion').first().locator('.suggestion-text').innerText()).trim();
    await panel.getByRole('button', { name: 'Use suggestion 1 for post 1' }).click();
    await panel.getByTestId('turn-applied').waitFor();
    // The button pressed keeps the focus, marked as the one in use.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Use suggestion 1 for post 1');
    expect(await panel.getByRole('button', { name: 'Use suggestion 1 for post 1' }).getAttribute('aria-disabled')).toBe('true');
    await expect.poll(() => postTexts(page)).toEqual([chosen]);
    await page.getByTestId('segment').first().getByTestId('edited').waitFor();

    // Asked again: the last answer and its notice go while the coach thinks, and the new suggestions come.
    await panel.getByRole('button', { name: 'Ask for a Turn' }).click();
    await expect.poll(() => panel.getByTestId('turn-applied').count()).toBe(0);
    await panel.getByRole('button', { name: 'Ask for a Turn' }).waitFor();
    await panel.getByTestId('turn-answer').getByRole('button', { name: 'Use suggestion 1 for post 1' }).waitFor();
    // Then the post changes elsewhere before a suggestion is used: the newer text stays.
    const current = (await call<Draft>(t.server.url, 'GET', `/v1/drafts/${draft.id}`, frodo.accessToken)).segments[0]!;
    await call(t.server.url, 'PATCH', `/v1/drafts/${draft.id}/segments/${current.id}`, frodo.accessToken, { content: 'Written on my other device.' }, { 'if-match': `"${current.revision}"` });
    await expect.poll(() => postTexts(page)).toEqual(['Written on my other device.']);
    await panel.getByRole('button', { name: 'Use suggestion 1 for post 1' }).click();
    await panel.getByTestId('turn-stale').waitFor();
    expect(await postTexts(page)).toEqual(['Written on my other device.']);
    // Those suggestions were for the older text: their buttons are put away, the words stay to read.
    expect(await panel.getByRole('button', { name: /^Use suggestion/ }).count()).toBe(0);
    expect(await panel.getByTestId('turn-suggestion').count()).toBeGreaterThan(0);
    await context.close();
  });
  it('turns a thought into posts for the platform picked, and keeps it among the recent turns', async () => {
    const bilbo = await registerWriter(t.server.url, 'Bilbo');
    const { context, page } = await openAs(phone, t.server.url, bilbo);
    await page.goto(`${t.server.url}/coach`);
    await page.getByRole('navigation', { name: 'Coach' }).getByRole('link', { name: 'Turn' }).click();
    await page.getByLabel('Your thought').fill('I keep starting stories and never finishing them, but today I wrote a whole page.');
    await page.getByLabel('Platform').selectOption('bluesky');
    await page.getByRole('button', { name: 'Ask for a Turn' }).click();
    const answer = page.getByRole('list', { name: 'Suggestions for Bluesky' });
    await expect.poll(() => answer.getByTestId('turn-suggestion').count()).toBeGreaterThan(0);
    for (const count of await answer.locator('.post-count').allInnerTexts()) expect(count).toMatch(/^\d+ \/ 300\s+characters on Bluesky$/);
    await expect.poll(() => page.getByTestId('past-turn').count()).toBe(1);
    await lookAt(page, 'coach-turn-thought-phone');
    await context.close();
  });

  it('shows the plan’s limit, and where to find more room, when the day’s turns are used', async () => {
    const admin = { accessToken: await adminToken() };
    const lobelia = await registerWriter(t.server.url, 'Lobelia');
    const draft = await call<Draft>(t.server.url, 'POST', '/v1/drafts', lobelia.accessToken, { title: 'Spoons', platform: 'bluesky', initialSegment: 'Where are my spoons?' });
    await call(t.server.url, 'POST', '/v1/admin/entitlements/overrides', admin.accessToken, { userId: lobelia.user.id, key: 'coach.turns_per_day', value: 0 });
    const { context, page } = await openAs(phone, t.server.url, lobelia);
    await openDraft(page, t.server.url, draft.id);
    await page.getByRole('button', { name: 'Turn this post (post 1)' }).click();
    const panel = page.getByTestId('coach-panel');
    await panel.getByRole('button', { name: 'Ask for a Turn' }).click();
    await panel.getByTestId('quota-notice').waitFor();
    expect(await panel.getByTestId('turn-suggestion').count()).toBe(0);
    await lookAt(page, 'coach-turn-quota-phone');
    await context.close();
  });
});

describe('Mirror', () => {
  it('starts a session about a draft, streams the coach’s reply in, and deletes the session after asking', async () => {
    const sam = await registerWriter(t.server.url, 'Sam');
    await call(t.server.url, 'POST', '/v1/drafts', sam.accessToken, { title: 'Second breakfast', platform: 'x', initialSegment: 'Po-tay-toes.' });
    const { context, page } = await openAs(phone, t.server.url, sam);
    await page.goto(`${t.server.url}/coach/mirror`);
    await page.getByLabel('What is on your mind? (optional)').fill('My opening line');
    await page.getByLabel('About a draft (optional)').selectOption({ label: 'Second breakfast' });
    await page.getByRole('button', { name: 'Start a session' }).click();
    await page.getByRole('heading', { level: 1, name: 'My opening line' }).waitFor();
    await page.getByRole('link', { name: 'your draft' }).waitFor();

    await page.getByLabel('Your message').fill('How do I make my first post land?');
    const answered = page.waitForResponse((r) => r.url().endsWith('/messages') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Send' }).click();
    const response = await answered;
    expect(response.headers()['content-type']).toMatch(/^text\/event-stream/);
    await expect.poll(() => page.getByTestId('mirror-message').count()).toBe(2);
    const coach = page.locator('[data-testid=mirror-message][data-role=coach]');
    expect((await coach.innerText()).length).toBeGreaterThan('Coach'.length);
    expect(await page.getByTestId('incomplete').count()).toBe(0);
    expect(await page.getByTestId('mirror-streaming').count()).toBe(0);
    // Read out once, when it is done (the chat itself is not a live region that reads every piece).
    expect(await page.getByTestId('mirror-announcer').innerText()).toMatch(/^The coach replied: ./);
    // What streamed in is what was stored.
    await page.reload();
    await expect.poll(() => page.getByTestId('mirror-message').count()).toBe(2);
    await lookAt(page, 'coach-mirror-chat-phone');

    await page.goto(`${t.server.url}/coach/mirror`);
    await expect.poll(() => page.getByTestId('mirror-session').count()).toBe(1);
    expect(await page.getByTestId('mirror-session').innerText()).toContain('2 messages');
    await page.getByRole('button', { name: 'Delete My opening line' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete session' }).click();
    await expect.poll(() => page.getByTestId('mirror-session').count()).toBe(0);
    await context.close();
  });

  it('answers words of crisis with the safety notice and where to find help, not a generation', async () => {
    const pippin = await registerWriter(t.server.url, 'Pippin');
    const session = await call<{ id: string }>(t.server.url, 'POST', '/v1/coach/mirror/sessions', pippin.accessToken, {});
    const { context, page } = await openAs(desktop, t.server.url, pippin);
    await page.goto(`${t.server.url}/coach/mirror/${session.id}`);
    await page.getByLabel('Your message').fill('Nothing I write matters and I want to die.');
    await page.getByRole('button', { name: 'Send' }).click();
    const notice = page.getByTestId('safety-notice');
    await notice.waitFor();
    expect(await notice.getAttribute('data-category')).toBe('crisis');
    const links = notice.getByRole('link');
    expect(await links.count()).toBeGreaterThan(0);
    for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))) expect(href).toMatch(/^https:\/\//);
    await lookAt(page, 'coach-mirror-safety');
    await context.close();
  });
  it('gives the words back when a reply fails after the message was sent, and drops the message the server took back', async () => {
    const sam = await registerWriter(t.server.url, 'Samwise');
    const session = await call<{ id: string }>(t.server.url, 'POST', '/v1/coach/mirror/sessions', sam.accessToken, { title: 'Ropes' });
    const { context, page } = await openAs(desktop, t.server.url, sam);
    // How the page takes the documented error stream (the message stored, a first piece of the reply, then an
    // error event, the message withdrawn), whatever failed on the server: the offline coach never fails, so
    // the stream is played here as the server sends it. The server's side of it is tested in
    // test/integration/coach-mirror.test.ts; a real failure reaching this page, in coach-budget.test.ts.
    const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    await page.route(`**/v1/coach/mirror/sessions/${session.id}/messages`, (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      const content = (route.request().postDataJSON() as { content: string }).content;
      const now = new Date().toISOString();
      const stored = { id: '01930000-0000-7000-8000-0000000000aa', role: 'user', content, provider: null, fallback: false, complete: true, safety: null, createdAt: now };
      const problem = { type: 'about:blank', title: 'Service Unavailable', status: 503, code: 'coach_unavailable', requestId: 'req-e2e', detail: 'The coach could not answer just now. This used none of your Turns and kept no message; try again in a little while.' };
      return route.fulfill({ status: 200, contentType: 'text/event-stream', body: sse('message', stored) + sse('delta', { text: 'You could ' }) + sse('error', problem) });
    });
    await page.goto(`${t.server.url}/coach/mirror/${session.id}`);
    const words = 'What if the ending of my thread is too long?';
    await page.getByLabel('Your message').fill(words);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('mirror-failed').waitFor();
    expect(await page.getByTestId('mirror-failed').innerText()).toContain('could not answer just now');
    expect(await page.getByLabel('Your message').inputValue()).toBe(words);
    expect(await page.getByTestId('mirror-message').count()).toBe(0);
    expect(await page.getByTestId('mirror-streaming').count()).toBe(0);
    // The Send button kept the focus through it all.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Send');
    await lookAt(page, 'coach-mirror-failed');
    await context.close();
  });

  it('starts afresh when moving from one session straight to another', async () => {
    const merry = await registerWriter(t.server.url, 'Meriadoc');
    const first = await call<{ id: string }>(t.server.url, 'POST', '/v1/coach/mirror/sessions', merry.accessToken, { title: 'First thoughts' });
    await call(t.server.url, 'POST', '/v1/coach/mirror/sessions', merry.accessToken, { title: 'Second thoughts' });
    const { context, page } = await openAs(phone, t.server.url, merry);
    await page.goto(`${t.server.url}/coach/mirror/${first.id}`);
    await page.getByRole('heading', { level: 1, name: 'First thoughts' }).waitFor();
    await page.getByRole('navigation', { name: 'Coach' }).getByRole('link', { name: 'Mirror' }).click();
    await page.getByRole('link', { name: 'Second thoughts' }).click();
    await page.getByRole('heading', { level: 1, name: 'Second thoughts' }).waitFor();
    await page.getByLabel('Your message').fill('Half a thought about the second session');
    // Back two steps at once: the same page, another session.
    await page.evaluate(() => history.go(-2));
    await page.getByRole('heading', { level: 1, name: 'First thoughts' }).waitFor();
    expect(await page.getByLabel('Your message').inputValue()).toBe('');
    await context.close();
  });
});

describe('Lens', () => {
  it('keeps a goal and its action for today, ticked done on the Today page and counted on the goal', async () => {
    const merry = await registerWriter(t.server.url, 'Merry');
    const { context, page } = await openAs(desktop, t.server.url, merry);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Coach' }).click();
    await page.getByRole('heading', { level: 1, name: 'Goals' }).waitFor();
    await page.getByLabel('Goal', { exact: true }).fill('Post three threads this month');
    await page.getByLabel('Why it matters to you (optional)').fill('To find my voice.');
    await page.getByRole('button', { name: 'Add the goal' }).click();
    const goal = page.getByTestId('goal');
    await goal.waitFor();
    expect(await page.getByTestId('safety-notice').count()).toBe(0);
    await goal.getByLabel('Next small step').fill('Outline the first thread');
    await goal.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => goal.getByTestId('goal-action').count()).toBe(1);
    await lookAt(page, 'coach-goals');

    await page.getByRole('link', { name: 'Today', exact: true }).click();
    const today = page.getByTestId('day-actions');
    await expect.poll(() => today.getByTestId('day-action').count()).toBe(1);
    expect(await today.getByTestId('day-action').innerText()).toContain('Post three threads this month');
    await today.getByRole('checkbox', { name: /Outline the first thread/ }).check();
    // The box keeps the focus while it is saved.
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe('checkbox');
    await expect.poll(() => today.getByRole('checkbox', { name: /Outline the first thread/ }).isChecked()).toBe(true);
    await page.reload();
    await expect.poll(() => page.getByTestId('day-actions').getByRole('checkbox', { name: /Outline the first thread/ }).isChecked()).toBe(true);

    await page.goto(`${t.server.url}/coach/goals`);
    await expect.poll(() => page.getByTestId('goal').innerText()).toContain('1 of 1 action done');
    await page.getByRole('button', { name: 'Mark completed' }).click();
    await expect.poll(() => page.getByTestId('goal').getAttribute('data-status')).toBe('completed');
    await context.close();
  });

  it('meets a goal written in words of crisis with the safety notice', async () => {
    const rosie = await registerWriter(t.server.url, 'Rosie');
    const { context, page } = await openAs(desktop, t.server.url, rosie);
    await page.goto(`${t.server.url}/coach/goals`);
    await page.getByLabel('Goal', { exact: true }).fill('Stop feeling like I want to die');
    await page.getByRole('button', { name: 'Add the goal' }).click();
    // Announced where it appears (a status region), the focus left on the button that was pressed.
    await page.getByRole('status').getByTestId('safety-notice').waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Add the goal');
    await lookAt(page, 'coach-goals-safety');
    await context.close();
  });
});

describe('The plan page', () => {
  it('counts the coach against the plan: the day’s turns, the week’s Mirror sessions and the active goals', async () => {
    const rosie = await registerWriter(t.server.url, 'Rosie Cotton');
    const { context, page } = await openAs(desktop, t.server.url, rosie);
    await page.goto(`${t.server.url}/coach/turn`);
    await page.getByLabel('Your thought').fill('Gardens grow slowly and so do stories.');
    await page.getByRole('button', { name: 'Ask for a Turn' }).click();
    await expect.poll(() => page.getByTestId('past-turn').count()).toBe(1);
    await page.getByRole('link', { name: 'Mirror' }).click();
    await page.getByRole('button', { name: 'Start a session' }).click();
    await page.getByLabel('Your message').waitFor();
    await page.getByRole('link', { name: 'Goals' }).click();
    await page.getByLabel('Goal', { exact: true }).fill('Write every morning');
    await page.getByRole('button', { name: 'Add the goal' }).click();
    await page.getByTestId('goal').waitFor();

    await page.goto(`${t.server.url}/plan`);
    const usage = (key: string) => page.locator(`[data-testid=usage][data-key="${key}"]`).getByTestId('usage-figure');
    await expect.poll(() => usage('coach.turns_per_day').innerText()).toMatch(/^1 of \d+/);
    expect(await usage('coach.mirror_sessions_per_week').innerText()).toMatch(/^1 of \d+/);
    expect(await usage('coach.goals.max').innerText()).toMatch(/^1 of \d+/);
    await lookAt(page, 'coach-plan-usage');
    await context.close();
  });
});

describe('Long words', () => {
  it('stay inside the coach’s boxes on a 375 px phone', async () => {
    const long = `Supercalifragilistic${'expialidocious'.repeat(8)}`;
    const gollum = await registerWriter(t.server.url, 'Smeagol');
    const draft = await call<Draft>(t.server.url, 'POST', '/v1/drafts', gollum.accessToken, { title: long, platform: 'x', initialSegment: `My precious ${long}` });
    const session = await call<{ id: string }>(t.server.url, 'POST', '/v1/coach/mirror/sessions', gollum.accessToken, { title: long });
    await call(t.server.url, 'POST', '/v1/coach/mirror/sessions/' + session.id + '/messages', gollum.accessToken, { content: `What about ${long}?` });
    await call(t.server.url, 'POST', '/v1/coach/goals', gollum.accessToken, { title: long, why: long });
    const context = await t.browser.newContext({ ...VIEWPORTS.phone, viewport: { width: 375, height: 812 } });
    const page = await context.newPage();
    await logIn(page, t.server.url, gollum);

    await page.goto(`${t.server.url}/coach/mirror/${session.id}`);
    await expect.poll(() => page.getByTestId('mirror-message').count()).toBe(2);
    await lookAt(page, 'coach-long-mirror-375');
    await page.goto(`${t.server.url}/coach/mirror`);
    await page.getByTestId('mirror-session').waitFor();
    await lookAt(page, 'coach-long-sessions-375');
    await page.goto(`${t.server.url}/coach/goals`);
    await page.getByTestId('goal').waitFor();
    await lookAt(page, 'coach-long-goals-375');
    await openDraft(page, t.server.url, draft.id);
    await page.getByRole('button', { name: 'Turn this post (post 1)' }).click();
    await page.getByTestId('coach-panel').getByRole('button', { name: 'Ask for a Turn' }).click();
    await expect.poll(() => page.getByTestId('coach-panel').getByTestId('turn-suggestion').count()).toBeGreaterThan(0);
    await lookAt(page, 'coach-long-turn-375');
    await context.close();
  });
});

describe('Long lists', () => {
  it('show Mirror sessions and goals a page at a time, with Load more for the rest', async () => {
    const farmer = await registerWriter(t.server.url, 'Farmer Maggot');
    const admin = await adminToken();
    await call(t.server.url, 'POST', '/v1/admin/entitlements/overrides', admin, { userId: farmer.user.id, key: 'coach.mirror_sessions_per_week', value: null });
    for (let i = 1; i <= 21; i++) await call(t.server.url, 'POST', '/v1/coach/mirror/sessions', farmer.accessToken, { title: `Mushrooms ${i}` });
    for (let i = 1; i <= 21; i++) {
      const goal = await call<{ id: string }>(t.server.url, 'POST', '/v1/coach/goals', farmer.accessToken, { title: `Fence ${i}` });
      await call(t.server.url, 'PATCH', `/v1/coach/goals/${goal.id}`, farmer.accessToken, { status: 'archived' });
    }
    const { context, page } = await openAs(desktop, t.server.url, farmer);
    await page.goto(`${t.server.url}/coach/mirror`);
    await expect.poll(() => page.getByTestId('mirror-session').count()).toBe(20);
    await page.getByRole('button', { name: 'Load more sessions' }).click();
    await expect.poll(() => page.getByTestId('mirror-session').count()).toBe(21);
    expect(await page.getByRole('button', { name: 'Load more sessions' }).count()).toBe(0);
    // The oldest comes last.
    expect(await page.getByTestId('mirror-session').last().innerText()).toContain('Mushrooms 1');

    await page.goto(`${t.server.url}/coach/goals`);
    const archived = page.getByTestId('goals-archived');
    await expect.poll(() => archived.getByTestId('goal').count()).toBe(20);
    await archived.getByRole('button', { name: 'Load more archived goals' }).click();
    await expect.poll(() => archived.getByTestId('goal').count()).toBe(21);
    expect(await archived.getByRole('heading', { level: 2 }).innerText()).toMatch(/Archived\s*\(21\)/);
    await context.close();
  });
});
