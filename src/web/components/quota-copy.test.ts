import { describe, expect, it } from 'vitest';
import { ENTITLEMENT_KEYS, type Plan } from '../../contract/plans.js';
import { COMPARING_OR_SHAMING_WORDS, deniedWordsIn, LIMIT_BLAMING_WORDS } from '../../contract/supportive-copy.js';
import { quotaWords } from './quota-copy.js';

/** The shared deny-list, plus words that make a limit sound like the reader's fault. */
const DENIED = [...COMPARING_OR_SHAMING_WORDS, ...LIMIT_BLAMING_WORDS];

const plan = (id: Plan['id'], name: string, drafts: number | null): Plan => ({
  id,
  name,
  description: '',
  enforcementEnabled: true,
  entitlements: [
    { key: 'drafts.max', kind: 'limit', value: drafts, grace: 0 },
    { key: 'collaborators.max', kind: 'limit', value: drafts === null ? 50 : drafts / 10 + 1, grace: 0 },
    { key: 'analytics.enabled', kind: 'flag', value: id === 'free' ? 0 : 1, grace: 0 },
    { key: 'coach.turns_per_day', kind: 'limit', value: drafts, grace: 0 },
    { key: 'coach.mirror_sessions_per_week', kind: 'limit', value: null, grace: 0 },
  ],
});
const PLANS = [plan('free', 'Free', 10), plan('creator', 'Creator', 100), plan('team', 'Team', null)];

describe('the words of a plan limit', () => {
  it('say which limit and how much of it is in use, and name the plan that includes more', () => {
    const words = quotaWords({ entitlement: 'drafts.max', limit: 10, used: 10, plan: 'free' }, 'mine', PLANS);
    expect(words.summary).toBe('You have 10 of 10 drafts on the Free plan.');
    expect(words.remedies.map((r) => r.text)).toEqual([
      'Archive a draft you have finished: archived drafts stay readable and do not count.',
      'The Creator plan includes 100 drafts.',
      'An admin can give you more room or move you to another plan. Paid plans arrive with billing.',
    ]);
    expect(quotaWords({ entitlement: 'drafts.max', limit: 10, used: 12, plan: 'free' }).summary).toBe(
      'You have 12 drafts: the Free plan includes 10 and a little extra room, now in use.',
    );
    expect(quotaWords({ entitlement: 'collaborators.max', limit: 3, used: 3, plan: 'free' }, 'owner').summary).toBe(
      'This draft has 3 of the 3 collaborators its owner’s Free plan includes.',
    );
  });

  it('tell a flag the plan leaves out from one an admin turned off', () => {
    const leftOut = quotaWords({ entitlement: 'analytics.enabled', limit: 0, used: null, plan: 'free' }, 'mine', PLANS);
    expect(leftOut.summary).toBe('Activity figures are not included in your Free plan right now.');
    expect(leftOut.lead).toBe('To turn them on:');
    expect(leftOut.remedies[0]!.text).toBe('The Creator plan includes them.');
    const turnedOff = quotaWords({ entitlement: 'analytics.enabled', limit: 0, used: null, plan: 'creator' }, 'mine', PLANS);
    expect(turnedOff.summary).toBe('Activity figures are turned off for your account right now.');
    expect(turnedOff.remedies.map((r) => r.text)).toEqual(['An admin can turn them back on for your account.']);
  });

  it('are kind in every case: no word that shames or compares', () => {
    for (const entitlement of ENTITLEMENT_KEYS) {
      for (const whose of ['mine', 'owner'] as const) {
        for (const [limit, used] of [[0, 0], [1, 1], [10, 10], [10, 12], [3, null]] as const) {
          for (const plans of [undefined, PLANS]) {
            for (const planId of ['free', 'creator', 'team'] as const) {
              const words = quotaWords({ entitlement, limit, used, plan: planId }, whose, plans);
              for (const text of [words.summary, words.lead, ...words.remedies.map((r) => r.text)]) {
                expect(deniedWordsIn(text, DENIED), `${entitlement} ${whose} ${limit}/${used}`).toEqual([]);
                expect(text).not.toMatch(/undefined|null|NaN/);
              }
            }
          }
        }
      }
    }
  });
});
