import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'node-html-parser';
import { afterAll, describe, expect, it } from 'vitest';
import type { PersonalShareCard } from '../../src/contract/analytics.js';
import { call, expectProblem, registerUser } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';
import { analyticsEvent, seedEvents, segmentsAdded } from '../helpers/momentum-events.js';
import { distinctColours, ihdrSize } from '../helpers/sharing.js';

/** A stand-in for the built web app: the page `/u/:id` is its index.html with the profile's tags. */
const WEB_INDEX = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <title>OneRing</title>
  </head>
  <body><div id="root"></div></body>
</html>
`;
const webRoot = mkdtempSync(join(tmpdir(), 'onering-web-'));
writeFileSync(join(webRoot, 'index.html'), WEB_INDEX);
afterAll(() => rmSync(webRoot, { recursive: true, force: true }));

const t = useTestApp({ webRoot });

const PUBLIC_URL = 'http://onering.test';
const NOW = '2026-03-15T12:00:00.000Z';
const withNow = (path: string, now?: string) => (now === undefined ? path : `${path}?now=${encodeURIComponent(now)}`);
const cardOf = (userId: string, now?: string, headers: Record<string, string> = {}) =>
  call(t.app, 'GET', withNow(`/v1/users/${userId}/share-card`, now), { headers });
const imageOf = (userId: string, now?: string, headers: Record<string, string> = {}) =>
  call(t.app, 'GET', withNow(`/v1/users/${userId}/share-card.png`, now), { headers });
const pageOf = (id: string, now?: string) => call(t.app, 'GET', withNow(`/u/${id}`, now));
/** The path of an absolute URL of this server. */
const pathOf = (url: string) => url.slice(PUBLIC_URL.length);

/** A writer with a three-day streak as of NOW. */
async function writer(displayName: string) {
  const account = await registerUser(t.app, { displayName });
  await seedEvents(t.database, segmentsAdded(account.user.id, '2026-03-13T10:00:00.000Z', '2026-03-14T10:00:00.000Z', '2026-03-15T10:00:00.000Z'));
  return account;
}

function metaTags(body: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const meta of parse(body).querySelectorAll('head meta')) {
    const key = meta.getAttribute('property') ?? meta.getAttribute('name');
    if (key) tags[key] = meta.getAttribute('content') ?? '';
  }
  return tags;
}

describe('GET /v1/users/:id/share-card', () => {
  it('shows anyone the display name, archetype, streak and momentum, leading to the public profile', async () => {
    const frodo = await writer('Frodo');
    const res = await cardOf(frodo.user.id, NOW);
    expect(res.statusCode, res.body).toBe(200);
    const card = res.json() as PersonalShareCard;
    expect(Object.keys(card).sort()).toEqual(['archetype', 'cta', 'displayName', 'generatedAt', 'imageUrl', 'momentumScore', 'streakDays', 'theme', 'userId']);
    expect(card).toMatchObject({
      userId: frodo.user.id,
      displayName: 'Frodo',
      archetype: { id: 'creative', name: 'The Creator' },
      streakDays: 3,
      cta: { label: 'See the profile', url: `${PUBLIC_URL}/u/${frodo.user.id}` },
      theme: { background: expect.stringMatching(/^#[0-9a-f]{6}$/), accent: expect.stringMatching(/^#[0-9a-f]{6}$/) },
      generatedAt: NOW,
    });
    expect(card.archetype).not.toHaveProperty('description');
    // The same score the profile shows.
    const profile = (await call(t.app, 'GET', withNow(`/v1/users/${frodo.user.id}/profile`, NOW))).json();
    expect(card.momentumScore).toBe(profile.momentum.score);
    expect(card.momentumScore).toBeGreaterThan(0);
    expect(card.imageUrl).toMatch(new RegExp(`^http://onering\\.test/v1/users/${frodo.user.id}/share-card\\.png\\?v=[0-9a-f]{12}$`));
    // Nothing of the account, and nothing about anyone else.
    for (const secret of [frodo.email, frodo.email.split('@')[0]!, 'email', 'role', 'password', 'session', 'rank', frodo.refreshToken]) {
      expect(res.body).not.toContain(secret);
    }
  });

  it('answers byte for byte the same for the same data and now, signed in or not', async () => {
    const sam = await writer('Sam');
    const first = await cardOf(sam.user.id, NOW);
    const again = await cardOf(sam.user.id, NOW, { authorization: `Bearer ${sam.accessToken}` });
    expect(again.body).toBe(first.body);
    // A day later the streak is still open (yesterday counts), and the card says so with the later time.
    const later = (await cardOf(sam.user.id, '2026-03-16T12:00:00.000Z')).json() as PersonalShareCard;
    expect(later).toMatchObject({ streakDays: 3, generatedAt: '2026-03-16T12:00:00.000Z' });
  });

  it('takes the archetype from the user’s own events', async () => {
    const lead = await registerUser(t.app, { displayName: 'Aragorn' });
    const created = [1, 2, 3].map(() => analyticsEvent('DraftCreated', lead.user.id, '2026-03-10T10:00:00.000Z'));
    const passes = created.map((c) => analyticsEvent('RingPassed', lead.user.id, '2026-03-11T10:00:00.000Z', { draftId: c.draftId, payload: { kind: 'pass', heldSince: '2026-03-10T10:00:00.000Z' } }));
    await seedEvents(t.database, [...created, ...passes]);
    const card = (await cardOf(lead.user.id, NOW)).json() as PersonalShareCard;
    expect(card).toMatchObject({ archetype: { id: 'leader', name: 'The Leader' }, streakDays: 0, momentumScore: 0 });
  });

  it('is 404 problem+json for a user who does not exist', async () => {
    expectProblem(await cardOf(randomUUID(), NOW), 404, 'user_not_found');
    expectProblem(await imageOf(randomUUID(), NOW), 404, 'user_not_found');
  });
});

describe('GET /v1/users/:id/share-card.png', () => {
  it('is a 1200×630 PNG of many colours, tagged with its content hash, and 304 when the client has it', async () => {
    const frodo = await writer('Frodo');
    const res = await imageOf(frodo.user.id, NOW);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toBe('public, max-age=600');
    expect(ihdrSize(res.rawPayload)).toEqual({ width: 1200, height: 630 });
    expect(distinctColours(res.rawPayload)).toBeGreaterThan(20);
    const etag = res.headers.etag as string;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(((await cardOf(frodo.user.id, NOW)).json() as PersonalShareCard).imageUrl).toContain(`?v=${etag.slice(1, 13)}`);

    const cached = await imageOf(frodo.user.id, NOW, { 'if-none-match': etag });
    expect(cached.statusCode).toBe(304);
    expect(cached.headers.etag).toBe(etag);
    expect(cached.rawPayload.length).toBe(0);
    // A day on, with no writing that day, the momentum has faded: another image.
    const later = await imageOf(frodo.user.id, '2026-03-20T12:00:00.000Z', { 'if-none-match': etag });
    expect(later.statusCode).toBe(200);
    expect(later.headers.etag).not.toBe(etag);
  });

  it('draws an emoji in a display name with its own glyph, not an empty box', async () => {
    const drawn = async (displayName: string) => {
      const res = await imageOf((await writer(displayName)).user.id, NOW);
      expect(res.headers['content-type']).toBe('image/png');
      return res.rawPayload;
    };
    const [fire, seedling, missing] = await Promise.all(['Sam 🔥', 'Sam 🌱', 'Sam \uE000'].map(drawn));
    expect(fire!.equals(seedling!)).toBe(false);
    expect(fire!.equals(missing!)).toBe(false);
    expect(seedling!.equals(missing!)).toBe(false);
  });
});

describe('the public profile page /u/:id', () => {
  it('is the web app with Open Graph and Twitter card tags that lead to the personal card', async () => {
    const frodo = await writer('Frodo');
    const res = await pageOf(frodo.user.id, NOW);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toContain('<div id="root"></div>');
    const card = (await cardOf(frodo.user.id, NOW)).json() as PersonalShareCard;
    const tags = metaTags(res.body);
    expect(tags).toMatchObject({
      'og:type': 'profile',
      'og:title': 'Frodo on OneRing',
      'og:description': `The Creator · 3-day streak · momentum ${card.momentumScore}/100`,
      'og:url': `${PUBLIC_URL}/u/${frodo.user.id}`,
      'og:image': card.imageUrl,
      'og:image:width': '1200',
      'og:image:height': '630',
      'twitter:card': 'summary_large_image',
      'twitter:image': card.imageUrl,
    });
    expect(parse(res.body).querySelector('title')?.text).toBe('Frodo on OneRing');

    const image = await call(t.app, 'GET', pathOf(tags['og:image']!));
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(ihdrSize(image.rawPayload)).toEqual({ width: 1200, height: 630 });
  });

  it('escapes the display name in every tag', async () => {
    const name = '<b>"Sam" & $& \'co\'</b>';
    const sam = await writer(name);
    const res = await pageOf(sam.user.id, NOW);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<b>');
    expect(metaTags(res.body)['og:title']).toBe(`${name} on OneRing`);
    expect(parse(res.body).querySelector('title')?.text).toBe(`${name} on OneRing`);
  });

  it('is the web app without a profile’s tags, and 404, for a user who does not exist', async () => {
    for (const id of [randomUUID(), 'not-a-user']) {
      const res = await pageOf(id);
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toBe(WEB_INDEX);
    }
  });
});
