import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../src/contract/analytics.js';
import { defaultDisplayName } from '../../src/server/features/users/present.js';
import { call, expectProblem, registerUser } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';
import { analyticsEvent, seedEvents, segmentsAdded } from '../helpers/momentum-events.js';

const t = useTestApp();

const profileAt = (userId: string, now?: string, token?: string) =>
  call(t.app, 'GET', `/v1/users/${userId}/profile${now === undefined ? '' : `?now=${encodeURIComponent(now)}`}`, token ? { token } : {});

async function profile(userId: string, now?: string): Promise<Profile> {
  const res = await profileAt(userId, now);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Profile;
}

const NOW = '2026-03-15T12:00:00.000Z';

describe('GET /v1/users/:id/profile', () => {
  it('shows anyone, signed out, a display name, an archetype and momentum, and nothing private', async () => {
    const writer = await registerUser(t.app, { displayName: 'Samwise' });
    await seedEvents(t.database, segmentsAdded(writer.user.id, '2026-03-14T10:00:00.000Z', '2026-03-15T10:00:00.000Z'));
    const res = await profileAt(writer.user.id, NOW);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as Profile;
    expect(Object.keys(body).sort()).toEqual(['archetype', 'displayName', 'generatedAt', 'momentum', 'userId']);
    expect(body).toMatchObject({ userId: writer.user.id, displayName: 'Samwise', generatedAt: NOW });
    expect(body.archetype).toEqual({ id: 'creative', name: 'The Creator', description: expect.any(String) });
    expect(body.momentum).toMatchObject({ streakDays: 2, longestStreak: 2, wroteToday: true });
    expect(body.momentum).not.toHaveProperty('generatedAt');
    expect(body.momentum.last30Days).toHaveLength(30);
    // Nothing of the account in the raw answer: no email, role, password hash or session.
    for (const secret of [writer.email, writer.email.split('@')[0]!, 'email', 'role', 'password', 'hash', 'session', writer.refreshToken]) {
      expect(res.body).not.toContain(secret);
    }
  });

  it('names someone who chose no name by the default name', async () => {
    const quiet = await registerUser(t.app);
    expect((await profile(quiet.user.id, NOW)).displayName).toBe(defaultDisplayName(quiet.user.id));
  });

  it('answers the same to a signed-in visitor', async () => {
    const [writer, visitor] = [await registerUser(t.app), await registerUser(t.app)];
    const signedOut = await profileAt(writer.user.id, NOW);
    const signedIn = await profileAt(writer.user.id, NOW, visitor.accessToken);
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.body).toBe(signedOut.body);
  });

  it('finds the archetype in the user’s own events up to now', async () => {
    const lead = await registerUser(t.app);
    const other = await registerUser(t.app);
    const at = '2026-03-10T10:00:00.000Z';
    const started = [1, 2, 3].map(() => analyticsEvent('DraftCreated', lead.user.id, at));
    const passes = started.map((created) =>
      analyticsEvent('RingPassed', lead.user.id, '2026-03-12T10:00:00.000Z', {
        draftId: created.draftId,
        targetUserId: other.user.id,
        payload: { kind: 'pass', heldSince: at },
      }),
    );
    await seedEvents(t.database, [...started, ...passes]);
    expect((await profile(lead.user.id, NOW)).archetype.id).toBe('leader');
    // Before the passes the same history says nothing yet: the default.
    expect((await profile(lead.user.id, '2026-03-11T00:00:00.000Z')).archetype.id).toBe('creative');
    // Someone else's passes are not this user's signals.
    expect((await profile(other.user.id, NOW)).archetype.id).toBe('creative');
  });

  it('answers byte for byte the same for the same data and now, and moves with now', async () => {
    const writer = await registerUser(t.app);
    await seedEvents(t.database, segmentsAdded(writer.user.id, '2026-03-15T10:00:00.000Z'));
    const first = await profileAt(writer.user.id, NOW);
    const second = await profileAt(writer.user.id, NOW);
    expect(first.statusCode).toBe(200);
    expect(second.body).toBe(first.body);
    expect((await profile(writer.user.id, '2026-03-16T12:00:00.000Z')).momentum.streakDays).toBe(1);
    expect((await profile(writer.user.id, '2026-03-17T12:00:00.000Z')).momentum.streakDays).toBe(0);
    expect((await profile(writer.user.id, '2026-03-15T09:00:00.000Z')).momentum.streakDays).toBe(0);
  });

  it('answers 404 user_not_found for no such user, and 400 for an id or now that is not valid', async () => {
    expectProblem(await profileAt(randomUUID()), 404, 'user_not_found');
    expectProblem(await profileAt('not-a-user'), 400, 'validation_failed');
    const writer = await registerUser(t.app);
    expectProblem(await profileAt(writer.user.id, 'soon'), 400, 'validation_failed');
  });
});
