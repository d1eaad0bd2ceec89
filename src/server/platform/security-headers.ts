import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Helmet's headers, computed once: our policy has no per-request parts (no nonces), and running the
 * helmet middleware chain on every request cost more than the database query of an authenticated read.
 */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => undefined);
  return headers;
}

const POLICY: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      'upgrade-insecure-requests': null,
      'img-src': ["'self'", 'data:'],
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'"],
    },
  },
};

/** Sets the security headers on every response (routes such as /docs may override the CSP). */
export const securityHeadersPlugin = fp(async function securityHeadersHook(app: FastifyInstance) {
  const headers = securityHeaders(POLICY);
  // Callback-style hooks (here and in observability.ts) spare each request a promise and a microtask hop.
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
});
