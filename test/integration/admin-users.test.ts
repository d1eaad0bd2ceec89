import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { AdminUserSummary, AuditEntry } from '../../src/contract/admin.js';
import { auditLog, sessions, userPlans, users } from '../../src/server/db/schema/index.js';
import { call, expectProblem, login, registerUser, uniqueEmail, type Account } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';
import { withAuditBroken } from '../helpers/audit.js';

const ROOT_EMAIL = 'root@example.test';
const t = useTestApp({ config: { adminEmails: [ROOT_EMAIL] } });

const registerAdmin = () => registerUser(t.app, { email: ROOT_EMAIL, displayName: 'Root' });

/** Every page of a user search, followed by its cursors. */
async function allPages(admin: Account, query: string): Promise<AdminUserSummary[]> {
  const found: AdminUserSummary[] = [];
  let cursor: string | null = null;
  do {
    const res = await call(t.app, 'GET', `/v1/admin/users?limit=2&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: admin.accessToken });
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as { items: AdminUserSummary[]; nextCursor: string | null };
    found.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}

const auditRows = () => t.database.db.select().from(auditLog).orderBy(auditLog.createdAt, auditLog.id);
const roleOf = async (id: string) => (await t.database.db.select({ role: users.role }).from(users).where(eq(users.id, id)))[0]?.role;
const setRole = (admin: Account, userId: string, role: string, headers: Record<string, string> = {}) =>
  call(t.app, 'PUT', `/v1/admin/users/${userId}/role`, { token: admin.accessToken, body: { role }, headers });

describe('GET /v1/admin/users', () => {
  it('finds users by any part of their email or name, in any case, newest first, page after page', async () => {
    const admin = await registerAdmin();
    t.clock.advance(1000);
    const frodo = await registerUser(t.app, { email: uniqueEmail('frodo'), displayName: 'Frodo Baggins' });
    t.clock.advance(1000);
    const bilbo = await registerUser(t.app, { email: uniqueEmail('bilbo'), displayName: 'Old Took' });
    t.clock.advance(1000);
    const sam = await registerUser(t.app, { email: uniqueEmail('sam'), displayName: 'Samwise' });

    const everyone = await allPages(admin, '');
    expect(everyone.map((u) => u.id)).toEqual([sam.user.id, bilbo.user.id, frodo.user.id, admin.user.id]);
    expect(everyone[3]).toEqual({ id: admin.user.id, email: ROOT_EMAIL, displayName: 'Root', role: 'admin', plan: 'free', createdAt: admin.user.createdAt });
    expect((await allPages(admin, 'q=BAGGINS')).map((u) => u.id)).toEqual([frodo.user.id]);
    expect((await allPages(admin, 'q=BiLbO-')).map((u) => u.id)).toEqual([bilbo.user.id]);
    expect((await allPages(admin, 'q=o')).map((u) => u.id)).toEqual([bilbo.user.id, frodo.user.id, admin.user.id]);
    expect(await allPages(admin, 'q=gandalf')).toEqual([]);
  });

  it('takes % and _ in the search literally', async () => {
    const admin = await registerAdmin();
    const percent = await registerUser(t.app, { displayName: '100% Hobbit' });
    const underscore = await registerUser(t.app, { displayName: 'Half_elf' });
    await registerUser(t.app, { displayName: 'Plain Hobbit' });
    expect((await allPages(admin, 'q=%25')).map((u) => u.id)).toEqual([percent.user.id]);
    expect((await allPages(admin, 'q=f_e')).map((u) => u.id)).toEqual([underscore.user.id]);
    expect((await allPages(admin, 'q=%5C')).map((u) => u.id)).toEqual([]);
  });

  it('filters by plan', async () => {
    const admin = await registerAdmin();
    const creator = await registerUser(t.app);
    await registerUser(t.app);
    await t.database.db.update(userPlans).set({ planId: 'creator' }).where(eq(userPlans.userId, creator.user.id));
    expect((await allPages(admin, 'plan=creator')).map((u) => [u.id, u.plan])).toEqual([[creator.user.id, 'creator']]);
    expect((await allPages(admin, 'plan=team')).map((u) => u.id)).toEqual([]);
    expect((await allPages(admin, 'plan=free')).length).toBe(2);
  });

  it('refuses a cursor it did not hand out', async () => {
    const admin = await registerAdmin();
    const crafted = Buffer.from("2026-03-01T09:00:00.000Z|x' or 1=1 --").toString('base64url');
    for (const cursor of [crafted, 'not-a-cursor', Buffer.from('2026-02-31T09:00:00.000Z|00000000-0000-0000-0000-000000000000').toString('base64url')]) {
      expectProblem(await call(t.app, 'GET', `/v1/admin/users?cursor=${cursor}`, { token: admin.accessToken }), 400, 'invalid_cursor');
    }
  });
});

describe('PUT /v1/admin/users/:id/role', () => {
  it('promotes a user, whose very next request has the new role, and audits it in the same request', async () => {
    const admin = await registerAdmin();
    const sam = await registerUser(t.app);
    // Sam's session is known (and cached) as an ordinary user's before the change.
    expectProblem(await call(t.app, 'GET', '/v1/admin/users', { token: sam.accessToken }), 404, 'not_found');

    const res = await setRole(admin, sam.user.id, 'admin', { 'x-request-id': 'promote-sam-1' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: sam.user.id, email: sam.email, role: 'admin', plan: 'free' });
    expect(await roleOf(sam.user.id)).toBe('admin');
    expect((await call(t.app, 'GET', '/v1/admin/users', { token: sam.accessToken })).statusCode).toBe(200);

    const [row] = await auditRows();
    expect(row).toMatchObject({
      actorId: admin.user.id,
      actorEmail: ROOT_EMAIL,
      action: 'user.role_set',
      targetType: 'user',
      targetId: sam.user.id,
      before: { role: 'user' },
      after: { role: 'admin' },
      requestId: res.headers['x-request-id'],
      createdAt: t.clock.now(),
    });
    expect(res.headers['x-request-id']).toBe('promote-sam-1');
  });

  it('demotes an admin, who loses the admin API at once', async () => {
    const admin = await registerAdmin();
    const sam = await registerUser(t.app);
    await setRole(admin, sam.user.id, 'admin');
    expect((await call(t.app, 'GET', '/v1/admin/audit', { token: sam.accessToken })).statusCode).toBe(200);
    expect((await setRole(admin, sam.user.id, 'user')).json().role).toBe('user');
    expectProblem(await call(t.app, 'GET', '/v1/admin/audit', { token: sam.accessToken }), 404, 'not_found');
    expect((await auditRows()).map((r) => r.after)).toEqual([{ role: 'admin' }, { role: 'user' }]);
  });

  it('never demotes the last admin, who may step down once there is another', async () => {
    const admin = await registerAdmin();
    expectProblem(await setRole(admin, admin.user.id, 'user'), 409, 'last_admin');
    expect(await roleOf(admin.user.id)).toBe('admin');
    expect(await auditRows()).toEqual([]);

    const sam = await registerUser(t.app);
    await setRole(admin, sam.user.id, 'admin');
    expect((await setRole(admin, admin.user.id, 'user')).statusCode).toBe(200);
    expectProblem(await setRole(sam, sam.user.id, 'user'), 409, 'last_admin');
    expect([await roleOf(admin.user.id), await roleOf(sam.user.id)]).toEqual(['user', 'admin']);
  });

  it('changes nothing and audits nothing when the role is already the one asked for', async () => {
    const admin = await registerAdmin();
    const sam = await registerUser(t.app);
    const res = await setRole(admin, sam.user.id, 'user');
    expect(res.statusCode).toBe(200);
    expect(res.json().role).toBe('user');
    expect(await auditRows()).toEqual([]);
  });

  it('answers 404 for an unknown user and 400 for an unknown role', async () => {
    const admin = await registerAdmin();
    expectProblem(await setRole(admin, '01900000-0000-7000-8000-000000000000', 'admin'), 404, 'user_not_found');
    expectProblem(await setRole(admin, admin.user.id, 'owner'), 400, 'validation_failed');
  });
});

describe('POST /v1/admin/users/:id/sessions/revoke', () => {
  it('ends every session of the user and audits how many', async () => {
    const admin = await registerAdmin();
    const sam = await registerUser(t.app);
    const again = (await login(t.app, sam.email, sam.password)).json();
    expect((await call(t.app, 'GET', '/v1/me', { token: sam.accessToken })).statusCode).toBe(200);

    const res = await call(t.app, 'POST', `/v1/admin/users/${sam.user.id}/sessions/revoke`, { token: admin.accessToken });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ revoked: 2 });
    expectProblem(await call(t.app, 'GET', '/v1/me', { token: sam.accessToken }), 401, 'session_revoked');
    expectProblem(await call(t.app, 'GET', '/v1/me', { token: again.accessToken }), 401, 'session_revoked');
    expect((await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: sam.refreshToken } })).statusCode).toBe(401);
    expect((await call(t.app, 'GET', '/v1/me', { token: admin.accessToken })).statusCode).toBe(200);

    const [row] = await auditRows();
    expect(row).toMatchObject({
      actorId: admin.user.id,
      actorEmail: ROOT_EMAIL,
      action: 'user.sessions_revoked',
      targetType: 'user',
      targetId: sam.user.id,
      before: null,
      after: { revoked: 2 },
      requestId: res.headers['x-request-id'],
    });
  });

  it('counts only the sessions that were still live', async () => {
    const sam = await registerUser(t.app);
    t.clock.advance(20 * 24 * 60 * 60 * 1000);
    const again = (await login(t.app, sam.email, sam.password)).json();
    t.clock.advance(15 * 24 * 60 * 60 * 1000);
    // Sam's first session is past its 30 days; the second is not. The admin signs in now.
    const admin = await registerAdmin();
    const res = await call(t.app, 'POST', `/v1/admin/users/${sam.user.id}/sessions/revoke`, { token: admin.accessToken });
    expect(res.json()).toEqual({ revoked: 1 });
    expect((await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: again.refreshToken } })).statusCode).toBe(401);
    const left = await t.database.db.select().from(sessions).where(eq(sessions.userId, sam.user.id));
    expect(left.map((s) => s.revokedReason)).toEqual(['revoked_by_admin', 'revoked_by_admin']);
  });

  it('answers 404 for an unknown user', async () => {
    const admin = await registerAdmin();
    const res = await call(t.app, 'POST', '/v1/admin/users/01900000-0000-7000-8000-000000000000/sessions/revoke', { token: admin.accessToken });
    expectProblem(res, 404, 'user_not_found');
  });
});

describe('an admin action whose audit row cannot be written', () => {
  it('fails, and leaves the role and the sessions as they were', async () => {
    const admin = await registerAdmin();
    const sam = await registerUser(t.app);
    await withAuditBroken(t.database.db, async () => {
      expectProblem(await setRole(admin, sam.user.id, 'admin'), 500, 'internal_error');
      const revoke = await call(t.app, 'POST', `/v1/admin/users/${sam.user.id}/sessions/revoke`, { token: admin.accessToken });
      expectProblem(revoke, 500, 'internal_error');
    });
    expect(await roleOf(sam.user.id)).toBe('user');
    const live = await t.database.db.select().from(sessions).where(eq(sessions.userId, sam.user.id));
    expect(live.map((s) => s.revokedAt)).toEqual([null]);
    expect((await call(t.app, 'GET', '/v1/me', { token: sam.accessToken })).json().role).toBe('user');
    expect(await auditRows()).toEqual([]);
  });
});

describe('the audit trail', () => {
  it('cannot be changed or deleted by the application\'s database connection', async () => {
    const admin = await registerAdmin();
    const sam = await registerUser(t.app);
    await setRole(admin, sam.user.id, 'admin');
    const [before] = await auditRows();
    await expect(t.database.db.update(auditLog).set({ action: 'user.plan_set' })).rejects.toThrow();
    await expect(t.database.db.update(auditLog).set({ after: { role: 'user' } }).where(eq(auditLog.id, before!.id))).rejects.toThrow();
    await expect(t.database.db.delete(auditLog)).rejects.toThrow();
    await expect(t.database.db.delete(auditLog).where(eq(auditLog.id, before!.id))).rejects.toThrow();
    await expect(t.database.db.execute(sql`truncate audit_log`)).rejects.toThrow();
    expect(await auditRows()).toEqual([before]);
  });

  it('has no route that changes it', async () => {
    const admin = await registerAdmin();
    const doc = (await call(t.app, 'GET', '/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
    const auditPaths = Object.entries(doc.paths).filter(([path]) => path.startsWith('/v1/admin/audit'));
    expect(auditPaths.map(([path, operations]) => [path, Object.keys(operations)])).toEqual([['/v1/admin/audit', ['get']]]);
    for (const method of ['PUT', 'PATCH', 'DELETE', 'POST'] as const) {
      const res = await call(t.app, method, '/v1/admin/audit', { token: admin.accessToken, body: {} });
      expect(res.statusCode, method).toBeGreaterThanOrEqual(404);
      expect(res.statusCode, method).toBeLessThan(406);
    }
  });
});

describe('GET /v1/admin/audit', () => {
  /** Three audited actions by two admins, a minute apart. */
  async function history() {
    const admin = await registerAdmin();
    const sam = await registerUser(t.app);
    const rosie = await registerUser(t.app);
    t.clock.advance(60_000);
    await setRole(admin, sam.user.id, 'admin');
    t.clock.advance(60_000);
    await call(t.app, 'POST', `/v1/admin/users/${rosie.user.id}/sessions/revoke`, { token: sam.accessToken });
    t.clock.advance(60_000);
    await setRole(sam, rosie.user.id, 'admin');
    return { admin, sam, rosie };
  }

  const read = async (admin: Account, query: string) => {
    const res = await call(t.app, 'GET', `/v1/admin/audit?${query}`, { token: admin.accessToken });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: AuditEntry[]; nextCursor: string | null };
  };
  const actions = (page: { items: AuditEntry[] }) => page.items.map((e) => `${e.action}:${e.targetId}`);

  it('lists every action newest first, a page at a time', async () => {
    const { admin, sam, rosie } = await history();
    const first = await read(admin, 'limit=2');
    expect(actions(first)).toEqual([`user.role_set:${rosie.user.id}`, `user.sessions_revoked:${rosie.user.id}`]);
    expect(first.items[0]).toMatchObject({ actorId: sam.user.id, actorEmail: sam.email, before: { role: 'user' }, after: { role: 'admin' } });
    const second = await read(admin, `limit=2&cursor=${first.nextCursor}`);
    expect(actions(second)).toEqual([`user.role_set:${sam.user.id}`]);
    expect(second.nextCursor).toBeNull();
  });

  it('narrows by actor, action, target and time', async () => {
    const { admin, sam, rosie } = await history();
    expect(actions(await read(admin, `actorId=${sam.user.id}`))).toEqual([`user.role_set:${rosie.user.id}`, `user.sessions_revoked:${rosie.user.id}`]);
    expect(actions(await read(admin, 'action=user.role_set'))).toEqual([`user.role_set:${rosie.user.id}`, `user.role_set:${sam.user.id}`]);
    expect(actions(await read(admin, `targetType=user&targetId=${sam.user.id}`))).toEqual([`user.role_set:${sam.user.id}`]);
    expect(actions(await read(admin, `actorId=${admin.user.id}&action=user.sessions_revoked`))).toEqual([]);
    // `from` inclusive, `to` exclusive: the second action alone.
    expect(actions(await read(admin, 'from=2026-03-01T09:02:00.000Z&to=2026-03-01T09:03:00.000Z'))).toEqual([`user.sessions_revoked:${rosie.user.id}`]);
  });

  it('refuses a cursor it did not hand out, and filters it does not know', async () => {
    const admin = await registerAdmin();
    const crafted = Buffer.from('2026-03-01T09:00:00.000Z|not-a-uuid').toString('base64url');
    expectProblem(await call(t.app, 'GET', `/v1/admin/audit?cursor=${crafted}`, { token: admin.accessToken }), 400, 'invalid_cursor');
    expectProblem(await call(t.app, 'GET', '/v1/admin/audit?action=user.deleted', { token: admin.accessToken }), 400, 'validation_failed');
    // PostgreSQL has no year 0000: refused as input, not met as a database error.
    expectProblem(await call(t.app, 'GET', '/v1/admin/audit?from=0000-01-01T00:00:00Z', { token: admin.accessToken }), 400, 'validation_failed');
    expectProblem(await call(t.app, 'GET', '/v1/admin/audit?to=0000-12-31T23:59:59Z', { token: admin.accessToken }), 400, 'validation_failed');
  });
});

describe('the admin reads', () => {
  it('have an index for each audit filter and the user list, leading with it and going on in page order', async () => {
    const result = await t.database.db.execute(sql`select indexdef from pg_indexes where tablename in ('audit_log', 'user_plans', 'users')`);
    const definitions = (result as unknown as { rows: Array<{ indexdef: string }> }).rows.map((r) => r.indexdef).join('\n');
    expect(definitions).toContain('audit_log USING btree (created_at, id)');
    expect(definitions).toContain('audit_log USING btree (actor_id, created_at, id)');
    expect(definitions).toContain('audit_log USING btree (action, created_at, id)');
    expect(definitions).toContain('audit_log USING btree (target_id, created_at, id)');
    expect(definitions).toContain('user_plans USING btree (plan_id, user_id)');
    expect(definitions).toContain('users USING btree (created_at, id)');
  });
});
