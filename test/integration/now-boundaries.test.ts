import { describe, expect, it } from 'vitest';
import { call, createDraft, expectProblem, registerUser } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();

/** The earliest `now` every time-dependent read takes, and the instant before it. */
const EARLIEST = '0001-04-01T00:00:00.000Z';
const TOO_EARLY = '0001-03-31T23:59:59.999Z';

describe('?now= at the edge of the calendar', () => {
  it('answers every time-dependent read at the earliest now, and refuses the instant before with 400', async () => {
    const me = await registerUser(t.app);
    const draft = await createDraft(t.app, me, { title: 'Edges', initialSegment: 'The first post.' });
    await call(t.app, 'POST', `/v1/drafts/${draft.id}/publish`, { token: me.accessToken });
    const reads = [
      '/v1/leaderboard?window=30d',
      '/v1/leaderboard?window=7d',
      '/v1/leaderboard?window=all',
      `/v1/drafts/${draft.id}/analytics`,
      `/v1/users/${me.user.id}/analytics`,
      '/v1/me/momentum',
      '/v1/today',
      '/v1/coach/actions',
      `/v1/users/${me.user.id}/profile`,
      `/v1/users/${me.user.id}/share-card`,
      `/v1/drafts/${draft.id}/share-card`,
      `/v1/drafts/${draft.id}/share-card.png`,
    ];
    for (const path of reads) {
      const join = path.includes('?') ? '&' : '?';
      const early = await call(t.app, 'GET', `${path}${join}now=${EARLIEST}`, { token: me.accessToken });
      expect(early.statusCode, `${path}: ${early.body.slice(0, 200)}`).toBe(200);
      const refused = await call(t.app, 'GET', `${path}${join}now=${TOO_EARLY}`, { token: me.accessToken });
      expectProblem(refused, 400, 'validation_failed');
    }
  });
});
