import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allows, decide, entitlementStatus, type DecisionInput } from './model.js';

const limitInput = (over: Partial<DecisionInput>): DecisionInput => ({
  limit: 10,
  used: 0,
  graceTotal: 2,
  graceUsed: 0,
  enforcementEnabled: true,
  kind: 'limit',
  ...over,
});

describe('decide', () => {
  it('allows under the limit, takes grace at it, blocks once grace is gone', () => {
    expect(decide(limitInput({ used: 9 }))).toBe('ALLOW');
    expect(decide(limitInput({ used: 10 }))).toBe('ALLOW_WITH_GRACE');
    expect(decide(limitInput({ used: 11, graceUsed: 1 }))).toBe('ALLOW_WITH_GRACE');
    expect(decide(limitInput({ used: 12, graceUsed: 2 }))).toBe('BLOCK');
    expect(decide(limitInput({ used: 10, graceTotal: 0 }))).toBe('BLOCK');
  });

  it('only warns past the limit on a plan whose enforcement is off, grace or not', () => {
    expect(decide(limitInput({ used: 9, enforcementEnabled: false }))).toBe('ALLOW');
    expect(decide(limitInput({ used: 10, enforcementEnabled: false }))).toBe('WARN_ONLY');
    expect(decide(limitInput({ used: 50, graceUsed: 2, enforcementEnabled: false }))).toBe('WARN_ONLY');
  });

  it('answers a flag: on allows, off is DISALLOWED, or WARN_ONLY without enforcement', () => {
    const flag = (limit: number | null, enforcementEnabled = true) => decide({ ...limitInput({ limit, enforcementEnabled }), kind: 'flag', used: null });
    expect(flag(1)).toBe('ALLOW');
    expect(flag(0)).toBe('DISALLOWED');
    expect(flag(0, false)).toBe('WARN_ONLY');
    expect(flag(null)).toBe('ALLOW');
  });

  it('always allows without a limit', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(10), fc.nat(10), fc.boolean(), (used, graceTotal, graceUsed, enforcementEnabled) => {
        expect(decide({ limit: null, used, graceTotal, graceUsed, enforcementEnabled, kind: 'limit' })).toBe('ALLOW');
      }),
    );
  });

  it('lets exactly limit + grace uses through, one at a time from nothing, when enforced', () => {
    fc.assert(
      fc.property(fc.nat(30), fc.nat(5), fc.integer({ min: 1, max: 60 }), (limit, graceTotal, attempts) => {
        let used = 0;
        let graceUsed = 0;
        for (let i = 0; i < attempts; i++) {
          const decision = decide({ limit, used, graceTotal, graceUsed, enforcementEnabled: true, kind: 'limit' });
          if (decision === 'ALLOW_WITH_GRACE') graceUsed++;
          if (allows(decision)) used++;
        }
        expect(used).toBe(Math.min(attempts, limit + graceTotal));
        expect(graceUsed).toBe(Math.max(0, Math.min(attempts, limit + graceTotal) - limit));
      }),
    );
  });

  it('never blocks what it would allow with less in use (monotone in usage)', () => {
    fc.assert(
      fc.property(fc.nat(20), fc.nat(40), fc.nat(40), fc.nat(4), fc.nat(4), fc.boolean(), (limit, a, b, graceTotal, graceUsed, enforcementEnabled) => {
        const [less, more] = a <= b ? [a, b] : [b, a];
        const at = (used: number) => decide({ limit, used, graceTotal, graceUsed, enforcementEnabled, kind: 'limit' });
        if (allows(at(more))) expect(allows(at(less))).toBe(true);
      }),
    );
  });
});

describe('entitlementStatus', () => {
  it('shows remaining and grace left, never below zero, and an override in ISO time', () => {
    const status = entitlementStatus({
      key: 'drafts.max',
      limit: 3,
      used: 5,
      graceTotal: 2,
      graceUsed: 3,
      enforcementEnabled: true,
      override: { value: 3, expiresAt: new Date('2026-04-01T00:00:00Z') },
    });
    expect(status).toEqual({
      key: 'drafts.max',
      kind: 'limit',
      limit: 3,
      used: 5,
      remaining: 0,
      graceTotal: 2,
      graceLeft: 0,
      decision: 'BLOCK',
      override: { value: 3, expiresAt: '2026-04-01T00:00:00.000Z' },
    });
  });

  it('gives a flag no usage and no remaining', () => {
    const status = entitlementStatus({ key: 'analytics.enabled', limit: 0, used: null, graceTotal: 0, graceUsed: 0, enforcementEnabled: true, override: null });
    expect(status).toMatchObject({ kind: 'flag', used: null, remaining: null, decision: 'DISALLOWED' });
  });
});
