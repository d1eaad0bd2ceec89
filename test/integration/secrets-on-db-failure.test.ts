import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { mailOutbox } from '../../src/server/db/schema/index.js';
import { hashToken } from '../../src/server/features/auth/secrets.js';
import { call, createDraft, login, registerUser, uniqueEmail, type Account } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();

const NEW_PASSWORD = 'a fresh and long passphrase';

/** Makes every `write` on `table` fail, so the statement carrying the secret is the one that fails. */
async function refusing(write: 'insert' | 'update', table: string, work: () => Promise<LightMyRequestResponse>): Promise<LightMyRequestResponse> {
  await t.database.db.execute(sql.raw(`
    create or replace function test_refuse_write() returns trigger language plpgsql as $$
    begin raise exception 'refused by the test'; end $$`));
  await t.database.db.execute(sql.raw(`create trigger test_refuse_write before ${write} on ${table} for each row execute function test_refuse_write()`));
  try {
    return await work();
  } finally {
    await t.database.db.execute(sql.raw(`drop trigger test_refuse_write on ${table}`));
  }
}

/** Hides `table`, so the first statement that reads it (by email or by token hash) fails. */
async function withoutTable(table: string, work: () => Promise<LightMyRequestResponse>): Promise<LightMyRequestResponse> {
  await t.database.db.execute(sql.raw(`alter table ${table} rename to ${table}_away`));
  try {
    return await work();
  } finally {
    await t.database.db.execute(sql.raw(`alter table ${table}_away rename to ${table}`));
  }
}

/** The things that must never be logged about an account, its tokens included in clear and hashed. */
function secretsOf(account: Account, ...tokens: string[]): string[] {
  const all = [account.refreshToken, account.accessToken, ...tokens];
  return [account.email, account.password, NEW_PASSWORD, ...all, ...all.map(hashToken)];
}

async function resetToken(account: Account): Promise<string> {
  const res = await call(t.app, 'POST', '/v1/auth/password-reset/request', { body: { email: account.email } });
  expect(res.statusCode, res.body).toBe(202);
  await t.app.backgroundTasks.idle();
  const mail = (await t.database.db.select().from(mailOutbox)).find((m) => m.toAddress === account.email)!;
  return /#token=([\w-]+)/.exec(mail.bodyText)![1]!;
}

/** A reset request and the work it hands to the background, so a refusing trigger is still in place for it. */
async function requestResetAndSettle(account: Account): Promise<LightMyRequestResponse> {
  const res = await call(t.app, 'POST', '/v1/auth/password-reset/request', { body: { email: account.email } });
  await t.app.backgroundTasks.idle();
  return res;
}

async function inviteToken(owner: Account): Promise<string> {
  const draft = await createDraft(t.app, owner);
  const res = await call(t.app, 'POST', `/v1/drafts/${draft.id}/invites`, { token: owner.accessToken, body: {} });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { token: string }).token;
}

/**
 * How the failure shows: most writes answer 500 and log "request failed"; a reset request answers 202 at
 * once and its work fails afterwards, logged as a failed background task.
 */
type Outcome = { status: number; logged: string };
const IN_REQUEST: Outcome = { status: 500, logged: 'request failed' };
const AFTER_ANSWER: Outcome = { status: 202, logged: 'background task failed' };

type Case = { name: string; outcome?: Outcome; run(account: Account): Promise<{ res: LightMyRequestResponse; secrets: string[] }> };

const cases: Case[] = [
  {
    name: 'register (the insert of the email and the password hash)',
    async run(account) {
      const email = uniqueEmail('fresh');
      const res = await refusing('insert', 'users', () => call(t.app, 'POST', '/v1/auth/register', { body: { email, password: account.password } }));
      return { res, secrets: [...secretsOf(account), email] };
    },
  },
  {
    name: 'login (the lookup by email)',
    async run(account) {
      const res = await withoutTable('users', () => login(t.app, account.email, account.password));
      return { res, secrets: secretsOf(account) };
    },
  },
  {
    name: 'login (the insert of the refresh token hash)',
    async run(account) {
      const res = await refusing('insert', 'refresh_tokens', () => login(t.app, account.email, account.password));
      return { res, secrets: secretsOf(account) };
    },
  },
  {
    name: 'refresh (the lookup by token hash)',
    async run(account) {
      const res = await withoutTable('refresh_tokens', () => call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: account.refreshToken } }));
      return { res, secrets: secretsOf(account) };
    },
  },
  {
    name: 'refresh (the insert of the next token hash)',
    async run(account) {
      const res = await refusing('insert', 'refresh_tokens', () => call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: account.refreshToken } }));
      return { res, secrets: secretsOf(account) };
    },
  },
  {
    name: 'password change (the update of the password hash)',
    async run(account) {
      const res = await refusing('update', 'users', () =>
        call(t.app, 'POST', '/v1/auth/password', {
          token: account.accessToken,
          body: { currentPassword: account.password, newPassword: NEW_PASSWORD },
        }),
      );
      return { res, secrets: secretsOf(account) };
    },
  },
  {
    name: 'password reset request (the insert of the reset token hash)',
    outcome: AFTER_ANSWER,
    async run(account) {
      const res = await refusing('insert', 'password_reset_tokens', () => requestResetAndSettle(account));
      return { res, secrets: secretsOf(account) };
    },
  },
  {
    name: 'password reset request (the mail with the link)',
    outcome: AFTER_ANSWER,
    async run(account) {
      const res = await refusing('insert', 'mail_outbox', () => requestResetAndSettle(account));
      return { res, secrets: secretsOf(account) };
    },
  },
  {
    name: 'password reset confirm (the lookup by token hash)',
    async run(account) {
      const token = await resetToken(account);
      const res = await withoutTable('password_reset_tokens', () =>
        call(t.app, 'POST', '/v1/auth/password-reset/confirm', { body: { token, newPassword: NEW_PASSWORD } }),
      );
      return { res, secrets: secretsOf(account, token) };
    },
  },
  {
    name: 'password reset confirm (the update of the password hash)',
    async run(account) {
      const token = await resetToken(account);
      const res = await refusing('update', 'users', () => call(t.app, 'POST', '/v1/auth/password-reset/confirm', { body: { token, newPassword: NEW_PASSWORD } }));
      return { res, secrets: secretsOf(account, token) };
    },
  },
  {
    name: 'invite create (the insert of the invite token hash)',
    async run(account) {
      const draft = await createDraft(t.app, account);
      const res = await refusing('insert', 'invites', () => call(t.app, 'POST', `/v1/drafts/${draft.id}/invites`, { token: account.accessToken, body: {} }));
      return { res, secrets: secretsOf(account) };
    },
  },
  {
    name: 'invite accept (the lookup by token hash)',
    async run(account) {
      const token = await inviteToken(account);
      const guest = await registerUser(t.app, { email: uniqueEmail('guest') });
      const res = await withoutTable('invites', () => call(t.app, 'POST', '/v1/invites/accept', { token: guest.accessToken, body: { token } }));
      return { res, secrets: [...secretsOf(account, token), ...secretsOf(guest)] };
    },
  },
];

describe('a database failure on a sensitive write', () => {
  it.each(cases)('logs no password, token, hash or email: $name', async ({ run, outcome = IN_REQUEST }) => {
    const account = await registerUser(t.app, { email: uniqueEmail('secret'), password: 'the owner has a long password' });
    const { res, secrets } = await run(account);
    expect(res.statusCode, res.body).toBe(outcome.status);
    await t.app.backgroundTasks.idle();
    const failure = t.logs.records.find((r) => r.msg === outcome.logged);
    expect(failure, 'the failure is logged').toBeDefined();
    const logged = t.logs.lines.join('\n');
    for (const secret of secrets) expect(logged).not.toContain(secret);
    expect(logged).not.toMatch(/\$argon2/);
    expect(logged, 'no other hash either').not.toMatch(/[0-9a-f]{64}/);
    // Still enough to diagnose: which error, its SQLSTATE.
    const diagnosis = outcome === IN_REQUEST ? failure!.err : { type: failure!.errorName, code: failure!.errorCode };
    expect(diagnosis).toMatchObject({ type: expect.any(String), code: expect.stringMatching(/^[0-9A-Z]{5}$/) });
  });
});
