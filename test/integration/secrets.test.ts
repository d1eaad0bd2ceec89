import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { mailOutbox, passwordResetTokens, refreshTokens, users } from '../../src/server/db/schema/index.js';
import { call, login, registerUser } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();

describe('nothing secret leaves', () => {
  it('keeps passwords, tokens, hashes and emails out of every log line and every non-auth response', async () => {
    const responses: LightMyRequestResponse[] = [];
    const keep = async (p: Promise<LightMyRequestResponse>) => {
      const res = await p;
      responses.push(res);
      return res;
    };
    const alice = await registerUser(t.app, { email: 'alice.secret@example.test', password: 'alice has a long password' });
    const bob = await registerUser(t.app, { email: 'bob.secret@example.test', password: 'bob has a long password' });
    const bobAgain = (await login(t.app, bob.email, bob.password)).json();
    await login(t.app, alice.email, 'wrong password guess one');
    const refreshed = (await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: alice.refreshToken } })).json();
    await keep(call(t.app, 'GET', '/v1/me', { token: refreshed.accessToken }));
    await keep(call(t.app, 'GET', '/v1/auth/sessions', { token: refreshed.accessToken }));
    await keep(call(t.app, 'PATCH', '/v1/me', { token: refreshed.accessToken, body: { displayName: 'Alice' } }));
    await keep(call(t.app, 'POST', '/v1/auth/password', {
      token: refreshed.accessToken,
      body: { currentPassword: 'alice has a long password', newPassword: 'alice has a newer password' },
    }));
    await keep(call(t.app, 'POST', '/v1/auth/password-reset/request', { body: { email: bob.email } }));
    await t.app.backgroundTasks.idle();
    const mail = (await t.database.db.select().from(mailOutbox))[0]!;
    const resetToken = /#token=([\w-]+)/.exec(mail.bodyText)![1]!;
    await keep(call(t.app, 'POST', '/v1/auth/password-reset/confirm', { body: { token: resetToken, newPassword: 'bob has a newer password' } }));
    await keep(call(t.app, 'DELETE', `/v1/auth/sessions/${bobAgain.sessionId}`, { token: refreshed.accessToken }));
    await keep(call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: alice.refreshToken } }));
    await keep(call(t.app, 'GET', '/v1/health/db'));

    const hashes = [
      ...(await t.database.db.select({ h: users.passwordHash }).from(users)).map((r) => r.h),
      ...(await t.database.db.select({ h: refreshTokens.tokenHash }).from(refreshTokens)).map((r) => r.h),
      ...(await t.database.db.select({ h: passwordResetTokens.tokenHash }).from(passwordResetTokens)).map((r) => r.h),
    ];
    const secrets = [
      'alice has a long password',
      'alice has a newer password',
      'bob has a long password',
      'bob has a newer password',
      'wrong password guess one',
      alice.refreshToken,
      refreshed.refreshToken,
      bob.refreshToken,
      bobAgain.refreshToken,
      resetToken,
      ...hashes,
    ];
    const logText = t.logs.lines.join('\n');
    expect(t.logs.lines.length).toBeGreaterThan(12);
    for (const secret of [...secrets, alice.email, bob.email, alice.accessToken]) expect(logText).not.toContain(secret);
    for (const res of responses) {
      for (const secret of secrets) expect(res.body).not.toContain(secret);
      expect(res.body).not.toContain(bob.email);
      expect(res.body).not.toMatch(/passwordHash|tokenHash|\$argon2/);
    }
  });
});

describe('admin views', () => {
  it('show emails to admins only, and never a hash or a token; no email reaches a log line', async () => {
    const { app, logs } = await t.build({ config: { adminEmails: ['root.secret@example.test'] } });
    const root = await registerUser(app, { email: 'root.secret@example.test', password: 'root has a long password' });
    const carol = await registerUser(app, { email: 'carol.secret@example.test', password: 'carol has a long password' });
    const dave = await registerUser(app, { email: 'dave.secret@example.test', password: 'dave has a long password' });
    await call(app, 'PUT', `/v1/admin/users/${carol.user.id}/role`, { token: root.accessToken, body: { role: 'admin' } });
    await call(app, 'POST', `/v1/admin/users/${dave.user.id}/sessions/revoke`, { token: carol.accessToken });
    await call(app, 'PUT', `/v1/admin/users/${carol.user.id}/role`, { token: root.accessToken, body: { role: 'user' } });
    const daveAgain = (await login(app, dave.email, dave.password)).json();

    const asAdmin = [
      await call(app, 'GET', '/v1/admin/users', { token: root.accessToken }),
      await call(app, 'GET', '/v1/admin/audit', { token: root.accessToken }),
    ];
    // Carol is no admin any more; Dave never was. Both get the same not-found as for any unknown path.
    const asUsers = [carol.accessToken, daveAgain.accessToken].flatMap((token) => [
      call(app, 'GET', '/v1/admin/users', { token }),
      call(app, 'GET', '/v1/admin/audit', { token }),
      call(app, 'GET', `/v1/admin/audit?actorId=${root.user.id}`, { token }),
      call(app, 'PUT', `/v1/admin/users/${root.user.id}/role`, { token, body: { role: 'user' } }),
    ]);
    const refused = await Promise.all(asUsers);

    const hashes = [
      ...(await t.database.db.select({ h: users.passwordHash }).from(users)).map((r) => r.h),
      ...(await t.database.db.select({ h: refreshTokens.tokenHash }).from(refreshTokens)).map((r) => r.h),
    ];
    const secrets = ['root has a long password', 'carol has a long password', 'dave has a long password', root.refreshToken, carol.refreshToken, ...hashes];
    const emails = [root.email, carol.email, dave.email];
    expect(asAdmin.map((r) => r.statusCode)).toEqual([200, 200]);
    for (const email of emails) expect(asAdmin[0]!.body).toContain(email);
    expect(asAdmin[1]!.body).toContain(carol.email);
    for (const res of [...asAdmin, ...refused]) {
      for (const secret of secrets) expect(res.body).not.toContain(secret);
      expect(res.body).not.toMatch(/passwordHash|tokenHash|\$argon2/);
    }
    for (const res of refused) {
      expect(res.statusCode).toBe(404);
      for (const email of emails) expect(res.body).not.toContain(email);
    }
    const logText = logs.lines.join('\n');
    expect(logs.lines.length).toBeGreaterThan(10);
    for (const secret of [...secrets, ...emails]) expect(logText).not.toContain(secret);
  });
});
