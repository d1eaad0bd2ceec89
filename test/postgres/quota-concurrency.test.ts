import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, drafts, entitlementGrace } from '../../src/server/db/schema/index.js';
import { setRoleByEmail } from '../../src/server/features/users/repo.js';
import { call, createDraft, registerUser } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();

describe('drafts.max under concurrent creations (PostgreSQL)', () => {
  it.each([0, 8])('20 parallel creations from %i drafts yield exactly limit + grace drafts (free: 10 + 2), the rest 403', async (existing) => {
    const writer = await registerUser(t.app);
    for (let i = 0; i < existing; i++) await createDraft(t.app, writer);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => call(t.app, 'POST', '/v1/drafts', { token: writer.accessToken, body: { title: `Draft ${i}`, platform: 'x' } })),
    );
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(12 - existing);
    expect(statuses.filter((s) => s === 403)).toHaveLength(8 + existing);
    for (const refused of results.filter((r) => r.statusCode === 403)) {
      expect(refused.json()).toMatchObject({ code: 'quota_exceeded', entitlement: 'drafts.max', limit: 10, used: 12, plan: 'free' });
    }
    const owned = await t.database.db.select().from(drafts).where(eq(drafts.ownerId, writer.user.id));
    expect(owned).toHaveLength(12);
    const [grace] = await t.database.db.select().from(entitlementGrace).where(eq(entitlementGrace.userId, writer.user.id));
    expect(grace?.used).toBe(2);
    // Nothing half-written: every event and member row belongs to a draft that exists.
    const orphans = await t.database.db.execute(sql`
      select (select count(*) from draft_members m where not exists (select 1 from drafts d where d.id = m.draft_id))::int
           + (select count(*) from draft_events e where not exists (select 1 from drafts d where d.id = e.draft_id))::int as n`);
    expect((orphans as unknown as { rows: Array<{ n: number }> }).rows[0]!.n).toBe(0);
    const created = await t.database.db.execute(sql`select count(*)::int as n from draft_events where type = 'draft.created'`);
    expect((created as unknown as { rows: Array<{ n: number }> }).rows[0]!.n).toBe(12);
  });
});

describe('an override deleted twice at once (PostgreSQL)', () => {
  it('is deleted once: one 204, one 404, one audit row', async () => {
    const [admin, user] = [await registerUser(t.app), await registerUser(t.app)];
    await setRoleByEmail(t.database.db, admin.email, 'admin', t.clock.now());
    const created = await call(t.app, 'POST', '/v1/admin/entitlements/overrides', { token: admin.accessToken, body: { userId: user.user.id, key: 'drafts.max', value: 30 } });
    const url = `/v1/admin/entitlements/overrides/${created.json().id}`;
    const results = await Promise.all([call(t.app, 'DELETE', url, { token: admin.accessToken }), call(t.app, 'DELETE', url, { token: admin.accessToken })]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([204, 404]);
    const deletions = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'entitlement.override_deleted'));
    expect(deletions).toHaveLength(1);
  });
});
