import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '../../contract/auth.js';
import type { AccessTokens } from './access-tokens.js';
import { NotFoundError, UnauthorizedError } from './errors.js';

/** The signed-in user of a request, loaded fresh so revocations and role changes apply at once. */
export type AuthUser = {
  id: string;
  email: string;
  displayName: string | null;
  role: Role;
  createdAt: Date;
  sessionId: string;
};

/** Loads the user behind a live session, or null when the session is revoked or unknown. */
export type PrincipalLoader = (userId: string, sessionId: string) => Promise<AuthUser | null>;

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthUser | null;
  }
  interface FastifyInstance {
    /** onRequest hook: requires a valid access token for a live session. */
    authenticate: onRequestAsyncHookHandler;
    /** onRequest hook: signs the request in when it carries a bearer token (a bad one is 401); anonymous otherwise. */
    authenticateOptionally: onRequestAsyncHookHandler;
    /**
     * onRequest hook: requires a signed-in user with this account role. Anyone else signed in gets 404, as
     * for someone else's draft: the admin API does not show that it exists.
     */
    requireRole(role: Role): onRequestAsyncHookHandler;
    /** Resolves the bearer token if one is sent; null when absent, throws when it is bad. */
    resolveUser(request: FastifyRequest): Promise<AuthUser | null>;
  }
}

/** The token of an `Authorization: Bearer <token>` header; null when the header has another form. */
function bearerToken(header: string): string | null {
  return /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header)?.[1] ?? null;
}

/** Bearer authentication and role checks for every route that asks for them. */
export const authPlugin = fp(async function auth(
  app: FastifyInstance,
  opts: {
    tokens: AccessTokens;
    loadPrincipal: PrincipalLoader;
    /**
     * Runs before a route answers 401 and may throw instead (a rate limit on refused requests). Not for an
     * expired token: its signature held, and a browser sends one with every read until it has refreshed.
     */
    beforeRefusing(request: FastifyRequest): Promise<void>;
  },
) {
  app.decorateRequest('user', null);

  async function resolveUser(request: FastifyRequest): Promise<AuthUser | null> {
    const header = request.headers.authorization;
    if (!header) return null;
    const token = bearerToken(header);
    if (!token) throw new UnauthorizedError('invalid_token', 'The Authorization header must be "Bearer <token>".');
    const outcome = await opts.tokens.verify(token);
    if (!outcome.ok) {
      throw outcome.reason === 'expired'
        ? new UnauthorizedError('token_expired', 'The access token has expired; refresh it.')
        : new UnauthorizedError('invalid_token', 'The access token is not valid.');
    }
    const user = await opts.loadPrincipal(outcome.claims.userId, outcome.claims.sessionId);
    if (!user) throw new UnauthorizedError('session_revoked', 'This session has ended; sign in again.');
    request.user = user;
    return user;
  }

  /** `resolveUser` for a route's hook, where a refusal is answered: counted first (see `beforeRefusing`). */
  async function resolveOrRefuse(request: FastifyRequest): Promise<AuthUser | null> {
    try {
      return await resolveUser(request);
    } catch (error) {
      if (error instanceof UnauthorizedError && error.code !== 'token_expired') await opts.beforeRefusing(request);
      throw error;
    }
  }

  const authenticate: onRequestAsyncHookHandler = async (request) => {
    const user = await resolveOrRefuse(request);
    if (!user) {
      await opts.beforeRefusing(request);
      throw new UnauthorizedError('unauthorized', 'Sign in to do this: send "Authorization: Bearer <token>".');
    }
  };

  app.decorate('resolveUser', resolveUser);
  app.decorate('authenticate', authenticate);
  app.decorate('authenticateOptionally', async (request: FastifyRequest) => {
    await resolveOrRefuse(request);
  });
  app.decorate('requireRole', (role: Role): onRequestAsyncHookHandler => {
    return async function requireRole(request, reply) {
      await authenticate.call(app, request, reply);
      if (request.user?.role !== role) throw new NotFoundError();
    };
  });
});
