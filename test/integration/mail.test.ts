import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { mailOutbox } from '../../src/server/db/schema/index.js';
import { call, login, registerUser } from '../helpers/api.js';
import { TEST_START, useTestApp } from '../helpers/app.js';

const t = useTestApp();

type Received = { from: string; to: string[]; raw: string };

/** A real SMTP server on a free local port that keeps every message it is given. */
async function startSmtp(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('mail over SMTP (SMTP_URL)', () => {
  it('sends the reset link through the SMTP server, from MAIL_FROM, and writes nothing to the outbox', async () => {
    const smtp = await startSmtp();
    closers.push(smtp.close);
    const { app } = await t.build({ config: { smtpUrl: smtp.url, mailFrom: 'OneRing <rings@onering.test>' } });
    const account = await registerUser(app);
    expect((await call(app, 'POST', '/v1/auth/password-reset/request', { body: { email: account.email } })).statusCode).toBe(202);
    await app.backgroundTasks.idle();
    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail).toMatchObject({ from: 'rings@onering.test', to: [account.email] });
    expect(mail!.raw).toMatch(/^Subject: Reset your OneRing password/m);
    const body = mail!.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    const token = /http:\/\/onering\.test\/reset-password#token=([A-Za-z0-9_-]+)/.exec(body)![1]!;
    expect(await t.database.db.select().from(mailOutbox)).toEqual([]);
    const confirm = await call(app, 'POST', '/v1/auth/password-reset/confirm', { body: { token, newPassword: 'a letter came by post' } });
    expect(confirm.statusCode).toBe(204);
    expect((await login(app, account.email, 'a letter came by post')).statusCode).toBe(200);
  });

  it('logs a failed delivery without the address or the link', async () => {
    const smtp = await startSmtp();
    await smtp.close();
    const built = await t.build({ config: { smtpUrl: smtp.url } });
    const account = await registerUser(built.app);
    expect((await call(built.app, 'POST', '/v1/auth/password-reset/request', { body: { email: account.email } })).statusCode).toBe(202);
    await built.app.backgroundTasks.idle();
    const failure = built.logs.records.find((r) => r.msg === 'background task failed');
    expect(failure).toMatchObject({ task: 'password_reset_mail' });
    expect(built.logs.lines.join('\n')).not.toContain(account.email);
  });
});

describe('the development mailbox (/dev/mailbox)', () => {
  async function outboxMail(subject: string, text: string, minutesAfterStart: number) {
    await t.database.db.insert(mailOutbox).values({
      id: crypto.randomUUID(),
      toAddress: 'sam@example.test',
      template: 'test',
      subject,
      bodyText: text,
      createdAt: new Date(Date.parse(TEST_START) + minutesAfterStart * 60_000),
    });
  }

  it('shows what was sent, newest first, with clickable links and every text escaped', async () => {
    await outboxMail('Older mail', 'Nothing to see.', 1);
    await outboxMail('<script>alert("subject")</script>', 'Open http://onering.test/reset-password#token=abc_123 now.\n"><img src=x onerror=alert(1)>', 2);
    const res = await call(t.app, 'GET', '/dev/mailbox');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    const html = res.body;
    expect(html).toContain('<a href="http://onering.test/reset-password#token=abc_123">http://onering.test/reset-password#token=abc_123</a>');
    expect(html).toContain('&lt;script&gt;alert(&quot;subject&quot;)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toMatch(/<script|<img/);
    expect(html.indexOf('&lt;script&gt;')).toBeLessThan(html.indexOf('Older mail'));
  });

  it('does not exist in production, with SMTP configured, or for anyone but this machine', async () => {
    const production = await t.build({ config: { nodeEnv: 'production' } });
    const withSmtp = await t.build({ config: { smtpUrl: 'smtp://127.0.0.1:1' } });
    for (const app of [production.app, withSmtp.app]) {
      const res = await call(app, 'GET', '/dev/mailbox');
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await call(t.app, 'GET', '/dev/mailbox', { ip: '203.0.113.9' })).statusCode).toBe(404);
    expect((await call(t.app, 'GET', '/dev/mailbox', { headers: { 'x-forwarded-for': '203.0.113.9' } })).statusCode).toBe(404);
    // DNS rebinding: another site's name pointed at 127.0.0.1 still carries that name in Host.
    expect((await call(t.app, 'GET', '/dev/mailbox', { headers: { host: 'rebound.example.test' } })).statusCode).toBe(404);
    expect((await call(t.app, 'GET', '/dev/mailbox', { headers: { host: '127.0.0.1:3000' } })).statusCode).toBe(200);
  });
});
