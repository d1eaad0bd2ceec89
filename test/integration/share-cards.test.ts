import { describe, expect, it } from 'vitest';
import type { ShareCard } from '../../src/contract/analytics.js';
import { addCollaborator, call, createDraft, expectProblem, login, passRing, registerUser, type Account } from '../helpers/api.js';
import { TEST_START, useTestApp } from '../helpers/app.js';
import { putOnPlan } from '../helpers/plans.js';
import { distinctColours, ihdrSize, sharesOf } from '../helpers/sharing.js';

const t = useTestApp();

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const at = (ms: number) => new Date(new Date(TEST_START).getTime() + ms).toISOString();

const card = (draftId: string, options: { who?: Account; now?: string; headers?: Record<string, string> } = {}) =>
  call(t.app, 'GET', `/v1/drafts/${draftId}/share-card${options.now ? `?now=${encodeURIComponent(options.now)}` : ''}`, {
    ...(options.who ? { token: options.who.accessToken } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  });
const image = (draftId: string, options: { who?: Account; now?: string; headers?: Record<string, string> } = {}) =>
  call(t.app, 'GET', `/v1/drafts/${draftId}/share-card.png${options.now ? `?now=${encodeURIComponent(options.now)}` : ''}`, {
    ...(options.who ? { token: options.who.accessToken } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  });
/** The account signed in again: access tokens expire while a test moves its clock on by hours. */
const signedInAgain = async (account: Account): Promise<Account> => ({ ...account, ...(await login(t.app, account.email, account.password)).json() });
const publish = async (owner: Account, draftId: string) =>
  expect((await call(t.app, 'POST', `/v1/drafts/${draftId}/publish`, { token: owner.accessToken })).statusCode).toBe(200);
const append = async (who: Account, draftId: string, content: string) =>
  expect((await call(t.app, 'POST', `/v1/drafts/${draftId}/segments`, { token: who.accessToken, body: { content } })).statusCode).toBe(201);

describe('the share card of a draft', () => {
  it('shows the owner first, then the others by name, at most five of them, and counts everyone', async () => {
    const owner = await registerUser(t.app, { displayName: 'Zed' });
    // Six collaborators on one draft: more than the free plan takes.
    await putOnPlan(t.database.db, owner.user.id, 'team');
    const draft = await createDraft(t.app, owner, { title: 'Our thread', platform: 'linkedin' });
    for (const name of ['dave', 'Carol', 'bob', 'Eve', 'Alice', 'frank']) {
      await addCollaborator(t.app, owner, draft.id, await registerUser(t.app, { displayName: name }));
    }
    await append(owner, draft.id, 'First post.');

    const res = await card(draft.id, { who: owner, now: at(HOUR) });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as ShareCard;
    expect(body.contributors.map((c) => c.displayName)).toEqual(['Zed', 'Alice', 'bob', 'Carol', 'dave']);
    expect(body.contributors[0]!.userId).toBe(owner.user.id);
    expect(body).toMatchObject({
      draftId: draft.id,
      title: 'Our thread',
      subtitle: '7 writers on OneRing',
      topLine: 'A thread being written together',
      metrics: { contributorsCount: 7, ringPassesLast24h: 0, avgMinutesBetweenPasses: null, segmentsCount: 1 },
      cta: { label: 'Open the draft', url: `http://onering.test/drafts/${draft.id}` },
      theme: { background: '#0b2e4f', accent: '#34d399' },
      generatedAt: at(HOUR),
    });
    expect(body.imageUrl).toMatch(new RegExp(`^http://onering\\.test/v1/drafts/${draft.id}/share-card\\.png\\?v=[0-9a-f]{12}$`));
    expect(res.body).not.toContain('@example.test');
  });

  it('counts the ring passes of the 24 hours up to now and the mean gap between passes', async () => {
    const owner = await registerUser(t.app, { displayName: 'Frodo' });
    const sam = await registerUser(t.app, { displayName: 'Sam' });
    const draft = await createDraft(t.app, owner);
    await addCollaborator(t.app, owner, draft.id, sam);
    await passRing(t.app, owner, draft.id, sam); // 09:00
    t.clock.advance(30 * MINUTE);
    await passRing(t.app, await signedInAgain(sam), draft.id, owner); // 09:30
    t.clock.advance(90 * MINUTE);
    const frodo = await signedInAgain(owner);
    await passRing(t.app, frodo, draft.id, sam); // 11:00
    const metricsAt = async (now: string) => ((await card(draft.id, { who: frodo, now })).json() as ShareCard).metrics;

    expect(await metricsAt(at(-HOUR))).toMatchObject({ ringPassesLast24h: 0, avgMinutesBetweenPasses: null });
    expect(await metricsAt(at(15 * MINUTE))).toMatchObject({ ringPassesLast24h: 1, avgMinutesBetweenPasses: null });
    expect(await metricsAt(at(45 * MINUTE))).toMatchObject({ ringPassesLast24h: 2, avgMinutesBetweenPasses: 30 });
    expect(await metricsAt(at(2 * HOUR))).toMatchObject({ ringPassesLast24h: 3, avgMinutesBetweenPasses: 60 });
    // Exactly 24 hours after a pass, that pass has left the window.
    expect(await metricsAt(at(24 * HOUR + 30 * MINUTE))).toMatchObject({ ringPassesLast24h: 1, avgMinutesBetweenPasses: 60 });
    expect(await metricsAt(at(26 * HOUR))).toMatchObject({ ringPassesLast24h: 0, avgMinutesBetweenPasses: 60 });
    expect((await card(draft.id, { who: frodo, now: at(2 * HOUR) })).json().subtitle).toBe('2 writers · 3 ring passes in the past 24 hours');
  });

  it('answers the same bytes for the same now', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const now = '2026-03-01T12:00:00+02:00';
    const first = await card(draft.id, { who: owner, now });
    t.clock.advance(HOUR);
    const again = await signedInAgain(owner);
    const second = await card(draft.id, { who: again, now });
    expect(first.statusCode).toBe(200);
    expect(second.body).toBe(first.body);
    expect(first.json().generatedAt).toBe('2026-03-01T10:00:00.000Z');
    expect((await card(draft.id, { who: again })).json().generatedAt).toBe(at(HOUR));
  });

  it('is for members while the draft is in progress, and for anyone once it is published', async () => {
    const owner = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    expectProblem(await card(draft.id, { who: stranger }), 404, 'draft_not_found');
    expectProblem(await card(draft.id), 404, 'draft_not_found');
    expectProblem(await image(draft.id), 404, 'draft_not_found');
    expectProblem(await card('0190f1c2-0000-7000-8000-000000000000'), 404, 'draft_not_found');
    expectProblem(await card(draft.id, { headers: { authorization: 'Bearer not-a-token' } }), 401, 'invalid_token');

    await publish(owner, draft.id);
    const anonymous = await card(draft.id);
    expect(anonymous.statusCode, anonymous.body).toBe(200);
    expect(anonymous.json()).toMatchObject({ topLine: 'A thread written together', cta: { label: 'Read the thread', url: `http://onering.test/p/${draft.id}` } });
    expect((await card(draft.id, { who: stranger })).statusCode).toBe(200);
    expect((await image(draft.id)).statusCode).toBe(200);
  });

  it('keeps an archived draft to its members', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    expect((await call(t.app, 'POST', `/v1/drafts/${draft.id}/archive`, { token: owner.accessToken })).statusCode).toBe(200);
    expectProblem(await card(draft.id), 404, 'draft_not_found');
    expect((await card(draft.id, { who: owner })).statusCode).toBe(200);
  });

  it('records a share for each non-member who fetches it, once per viewer and channel every 30 minutes', async () => {
    const owner = await registerUser(t.app);
    const sam = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    await addCollaborator(t.app, owner, draft.id, sam);
    await publish(owner, draft.id);
    const browser = { 'user-agent': 'Browser/1.0' };

    await card(draft.id, { who: owner });
    await card(draft.id, { who: sam });
    await image(draft.id, { who: owner });
    expect(await sharesOf(t.database.db, draft.id)).toEqual([]);

    await card(draft.id, { headers: browser });
    await card(draft.id, { headers: browser });
    await card(draft.id, { headers: { 'user-agent': 'Other/2.0' } });
    await card(draft.id, { who: stranger });
    await card(draft.id, { who: stranger });
    await image(draft.id, { headers: browser });
    t.clock.advance(30 * MINUTE);
    await card(draft.id, { headers: browser });

    const shares = await sharesOf(t.database.db, draft.id);
    expect(shares.map(({ channel, userId }) => ({ channel, userId }))).toEqual([
      { channel: 'share_card', userId: null },
      { channel: 'share_card', userId: null },
      { channel: 'share_card', userId: stranger.user.id },
      { channel: 'share_card_image', userId: null },
      { channel: 'share_card', userId: null },
    ]);
    // Visitors are told apart by a hash; their address is never stored.
    for (const share of shares) expect(share.key).not.toContain('127.0.0.1');
  });
});

describe('the share card image', () => {
  it('is a 1200×630 PNG of many colours, tagged with its content hash, and 304 when the client has it', async () => {
    const owner = await registerUser(t.app, { displayName: 'Frodo' });
    const draft = await createDraft(t.app, owner, { title: 'There and back again' });
    const res = await image(draft.id, { who: owner, now: at(HOUR) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toBe('private, no-cache');
    const etag = res.headers.etag as string;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(ihdrSize(res.rawPayload)).toEqual({ width: 1200, height: 630 });
    expect(distinctColours(res.rawPayload)).toBeGreaterThan(20);
    // The card's imageUrl names this very version.
    expect((await card(draft.id, { who: owner, now: at(HOUR) })).json().imageUrl).toContain(`?v=${etag.slice(1, 13)}`);

    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await image(draft.id, { who: owner, now: at(HOUR), headers: { 'if-none-match': ifNoneMatch } });
      expect(again.statusCode).toBe(304);
      expect(again.headers.etag).toBe(etag);
      expect(again.rawPayload.length).toBe(0);
    }
    expect((await image(draft.id, { who: owner, headers: { 'if-none-match': '"other"' } })).statusCode).toBe(200);
  });

  it('draws the same bytes whenever what it shows is the same, whatever the time it is asked at', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const first = await image(draft.id, { who: owner, now: at(HOUR) });
    const later = await image(draft.id, { who: owner, now: at(5 * HOUR) });
    expect(later.headers.etag).toBe(first.headers.etag);
    expect(later.rawPayload.equals(first.rawPayload)).toBe(true);
    await publish(owner, draft.id);
    const published = await image(draft.id, { now: at(HOUR) });
    expect(published.headers.etag).not.toBe(first.headers.etag);
    expect(published.headers['cache-control']).toBe('public, max-age=600');
  });

  it('draws emoji and non-Latin letters with their own glyphs, not empty boxes', async () => {
    const owner = await registerUser(t.app, { displayName: 'Frodo' });
    const drawn = async (title: string) => {
      const draft = await createDraft(t.app, owner, { title });
      return (await image(draft.id, { who: owner, now: at(HOUR) })).rawPayload;
    };
    // Each title beside one alike but for a character, and one with a private-use character (which no font has)
    // in its place: a character drawn as the missing-glyph box would make two of them the same image. Two emoji
    // in a row, as satori once drew the second from the first one's font.
    const sets = [
      ['Launch 🔥🚀 day', 'Launch 🔥🌱 day', 'Launch 🔥\uE000 day'],
      ['Жук', 'Лес', '\uE000\uE000\uE000'],
      ['Γειά', 'Καλά', '\uE000\uE000\uE000\uE000'],
      ['Tiếng', 'Tiềng', 'Ti\uE000ng'],
    ];
    for (const titles of sets) {
      const images = await Promise.all(titles.map(drawn));
      for (let i = 0; i < images.length; i++) {
        for (let j = i + 1; j < images.length; j++) expect(images[i]!.equals(images[j]!), `${titles[i]} and ${titles[j]} are drawn alike`).toBe(false);
      }
    }
  });

});
