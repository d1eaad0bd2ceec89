import { desc } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { mailOutbox } from '../../src/server/db/schema/index.js';
import type { Mail, Mailer } from '../../src/server/platform/mailer.js';
import { call, expectProblem, login, registerUser, uniqueEmail } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();

/** The outbox once every mail handed over by earlier requests is written. */
async function outbox() {
  await t.app.backgroundTasks.idle();
  return t.database.db.select().from(mailOutbox).orderBy(desc(mailOutbox.createdAt));
}

function tokenFrom(body: string): string {
  const match = /reset-password#token=([A-Za-z0-9_-]+)/.exec(body);
  expect(match).not.toBeNull();
  return match![1]!;
}

/** A mailer whose sends hang until the test releases them. */
function heldMailer() {
  const sent: Mail[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const mailer: Mailer = {
    async send(mail) {
      sent.push(mail);
      await released;
    },
  };
  return { mailer, sent, release };
}

describe('password reset', () => {
  it('answers before any mail work starts, on the same path for known and unknown emails', async () => {
    const held = heldMailer();
    const { app } = await t.build({ mailer: held.mailer });
    const account = await registerUser(app);
    try {
      const [known, unknown] = await Promise.all([
        call(app, 'POST', '/v1/auth/password-reset/request', { body: { email: account.email } }),
        call(app, 'POST', '/v1/auth/password-reset/request', { body: { email: uniqueEmail('ghost') } }),
      ]);
      expect([known.statusCode, unknown.statusCode]).toEqual([202, 202]);
      expect(known.body).toBe(unknown.body);
      // Both were answered while the only mail is still stuck in the mailer.
      await expect.poll(() => held.sent.length).toBe(1);
    } finally {
      held.release();
    }
    await app.backgroundTasks.idle();
    expect(held.sent.map((m) => m.to)).toEqual([account.email]);
  });

  it('mails a one-time link through the outbox and answers the same for unknown emails', async () => {
    const account = await registerUser(t.app);
    const known = await call(t.app, 'POST', '/v1/auth/password-reset/request', { body: { email: account.email.toUpperCase() } });
    const unknown = await call(t.app, 'POST', '/v1/auth/password-reset/request', { body: { email: uniqueEmail('ghost') } });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(known.json()).toEqual(unknown.json());
    const mails = await outbox();
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ toAddress: account.email, template: 'password_reset' });
    expect(mails[0]!.bodyText).toContain('http://onering.test/reset-password#token=');
  });

  it('sets the new password with the token, ends every session and refuses the token a second time', async () => {
    const account = await registerUser(t.app);
    await call(t.app, 'POST', '/v1/auth/password-reset/request', { body: { email: account.email } });
    const token = tokenFrom((await outbox())[0]!.bodyText);
    const res = await call(t.app, 'POST', '/v1/auth/password-reset/confirm', { body: { token, newPassword: 'fresh start for the ring' } });
    expect(res.statusCode).toBe(204);
    expectProblem(await call(t.app, 'GET', '/v1/me', { token: account.accessToken }), 401, 'session_revoked');
    expectProblem(await login(t.app, account.email, account.password), 401, 'invalid_credentials');
    expect((await login(t.app, account.email, 'fresh start for the ring')).statusCode).toBe(200);
    const again = await call(t.app, 'POST', '/v1/auth/password-reset/confirm', { body: { token, newPassword: 'another new password here' } });
    expectProblem(again, 400, 'invalid_reset_token');
  });

  it('refuses an expired token and a weak password without consuming the token', async () => {
    const account = await registerUser(t.app);
    await call(t.app, 'POST', '/v1/auth/password-reset/request', { body: { email: account.email } });
    const token = tokenFrom((await outbox())[0]!.bodyText);
    const weak = await call(t.app, 'POST', '/v1/auth/password-reset/confirm', { body: { token, newPassword: 'password123' } });
    expect(expectProblem(weak, 400, 'validation_failed').errors).toEqual([{ path: 'body.newPassword', message: expect.stringMatching(/commonly used/) }]);
    t.clock.advance(61 * 60 * 1000);
    const late = await call(t.app, 'POST', '/v1/auth/password-reset/confirm', { body: { token, newPassword: 'fresh start for the ring' } });
    expectProblem(late, 400, 'invalid_reset_token');
    expect((await login(t.app, account.email, account.password)).statusCode).toBe(200);
  });

  it('uses only the newest link: confirming one voids the others', async () => {
    const account = await registerUser(t.app);
    await call(t.app, 'POST', '/v1/auth/password-reset/request', { body: { email: account.email } });
    t.clock.advance(1000);
    await call(t.app, 'POST', '/v1/auth/password-reset/request', { body: { email: account.email } });
    const [newest, older] = (await outbox()).map((m) => tokenFrom(m.bodyText));
    expect((await call(t.app, 'POST', '/v1/auth/password-reset/confirm', { body: { token: newest, newPassword: 'fresh start for the ring' } })).statusCode).toBe(204);
    const stale = await call(t.app, 'POST', '/v1/auth/password-reset/confirm', { body: { token: older, newPassword: 'another new password here' } });
    expectProblem(stale, 400, 'invalid_reset_token');
  });
});
