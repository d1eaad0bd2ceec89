import { desc } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.js';
import { mailOutbox } from '../db/schema/index.js';
import { apiNotFound } from './errors.js';

/** Where the mailbox is served; under a prefix the web app's fallback never answers, so it 404s where absent. */
export const DEV_MAILBOX_PATH = '/dev/mailbox';
const SHOWN = 50;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Escapes the text and turns each http(s) URL in it into a link (the URL escaped in both places). */
function linkify(text: string): string {
  const url = /https?:\/\/[^\s<>"']+/g;
  let html = '';
  let last = 0;
  for (const match of text.matchAll(url)) {
    const href = escapeHtml(match[0]);
    html += `${escapeHtml(text.slice(last, match.index))}<a href="${href}">${href}</a>`;
    last = match.index + match[0].length;
  }
  return html + escapeHtml(text.slice(last));
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The Host header without its port. */
function hostName(host: string | undefined): string {
  return (host ?? '').replace(/:\d+$/, '').toLowerCase();
}

/**
 * Only for a browser on this machine talking to the server directly: a peer elsewhere, any request that
 * came through a proxy (which would make every visitor look local), and a page of another site whose name
 * was rebound to 127.0.0.1 (its Host header is not a local name) are answered 404.
 */
function fromThisMachine(request: FastifyRequest): boolean {
  const forwarded = ['x-forwarded-for', 'forwarded', 'x-real-ip'].some((h) => request.headers[h] !== undefined);
  return !forwarded && LOOPBACK.has(request.socket.remoteAddress ?? '') && LOCAL_HOSTS.has(hostName(request.headers.host));
}

function page(mails: Array<typeof mailOutbox.$inferSelect>): string {
  const items = mails
    .map(
      (m) => `<article>
<h2>${escapeHtml(m.subject)}</h2>
<p class="meta">To ${escapeHtml(m.toAddress)} · ${escapeHtml(m.template)} · <time datetime="${m.createdAt.toISOString()}">${m.createdAt.toISOString()}</time></p>
<pre>${linkify(m.bodyText)}</pre>
</article>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Mailbox · OneRing development</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 48rem; padding: 1rem; color: #1d1d1f; }
article { border: 1px solid #d0d0d7; border-radius: 8px; padding: 0 1rem; margin: 1rem 0; }
h2 { font-size: 1.1rem; margin: 0.75rem 0 0.25rem; }
.meta { color: #5a5a66; margin: 0; font-size: 0.9rem; overflow-wrap: anywhere; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; font: inherit; }
a { color: #0b57d0; }
</style>
</head>
<body>
<h1>Mailbox</h1>
<p>Mail the server would have sent, newest first (the last ${SHOWN}). Development only: set <code>SMTP_URL</code> to send real mail.</p>
${items || '<p>Nothing was sent yet.</p>'}
</body>
</html>`;
}

/**
 * The development mailbox: the outbox table as a page, so a password reset can be finished without an
 * SMTP server. Registered only outside production and without SMTP_URL.
 */
export async function devMailboxRoutes(app: FastifyInstance, opts: { db: Db }) {
  app.get(DEV_MAILBOX_PATH, { schema: { hide: true } }, async (request, reply) => {
    if (!fromThisMachine(request)) return apiNotFound(request, reply);
    const mails = await opts.db.select().from(mailOutbox).orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id)).limit(SHOWN);
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page(mails));
  });
}
