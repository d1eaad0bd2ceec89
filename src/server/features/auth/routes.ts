import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AuthResponseSchema,
  ChangePasswordBodySchema,
  LoginBodySchema,
  RefreshBodySchema,
  RegisterBodySchema,
  ResetConfirmBodySchema,
  ResetRequestBodySchema,
  SessionPageSchema,
  type AuthResponse,
} from '../../../contract/auth.js';
import { IdParamsSchema, PageQuerySchema } from '../../../contract/common.js';
import { BEARER_AUTH, clientContext, EmptyBodySchema, NoContentSchema, problemResponses } from '../../platform/http.js';
import { invalidRefreshToken } from './errors.js';
import * as auth from './service.js';

/** The httpOnly cookie that carries the web app's refresh token; scoped to the auth endpoints. */
export const REFRESH_COOKIE = 'onering_rt';
const COOKIE_PATH = '/v1/auth';

const tags = ['auth'];

/** Identity endpoints: register, login, refresh, logout, sessions, password change and reset. */
export async function authRoutes(app: FastifyInstance, opts: { deps: auth.AuthDeps; cookieSecure: boolean }) {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const cookieMaxAge = deps.settings.refreshTokenTtlDays * 24 * 60 * 60;

  function withCookie(reply: FastifyReply, result: AuthResponse): AuthResponse {
    reply.setCookie(REFRESH_COOKIE, result.refreshToken, {
      path: COOKIE_PATH,
      httpOnly: true,
      secure: opts.cookieSecure,
      sameSite: 'strict',
      maxAge: cookieMaxAge,
    });
    return result;
  }

  function clearCookie(reply: FastifyReply): void {
    reply.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH, httpOnly: true, secure: opts.cookieSecure, sameSite: 'strict' });
  }

  function refreshTokenOf(request: FastifyRequest, body: { refreshToken?: string | undefined } | null | undefined): string | undefined {
    return body?.refreshToken ?? request.cookies[REFRESH_COOKIE];
  }

  r.post(
    '/v1/auth/register',
    {
      schema: { tags, body: RegisterBodySchema, response: { 201: AuthResponseSchema, ...problemResponses(400, 409, 429) } },
    },
    async (request, reply) => {
      const result = await auth.register(deps, request.body, clientContext(request));
      return reply.code(201).send(withCookie(reply, result));
    },
  );

  r.post(
    '/v1/auth/login',
    {
      schema: {
        tags,
        description:
          'A device that already holds a session of the account (the refresh cookie, or a bearer access token) is never slowed or blocked by failures from elsewhere.',
        body: LoginBodySchema,
        response: { 200: AuthResponseSchema, ...problemResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      // A stale or foreign bearer token is no reason to refuse a login: it just proves nothing.
      const principal = await app.resolveUser(request).catch(() => null);
      const proof = { refreshToken: request.cookies[REFRESH_COOKIE], principal };
      return withCookie(reply, await auth.login(deps, request.body, clientContext(request), proof));
    },
  );

  r.post(
    '/v1/auth/refresh',
    {
      schema: {
        tags,
        description: 'Rotates the refresh token (body, or the httpOnly cookie) and issues a new access token.',
        body: RefreshBodySchema.nullish(),
        response: { 200: AuthResponseSchema, ...problemResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const token = refreshTokenOf(request, request.body);
      try {
        if (!token) throw invalidRefreshToken();
        return withCookie(reply, await auth.refresh(deps, token, clientContext(request)));
      } catch (error) {
        clearCookie(reply);
        throw error;
      }
    },
  );

  r.post(
    '/v1/auth/logout',
    {
      schema: {
        tags,
        description: 'Ends the current session: the one of the bearer token, else of the refresh token (body or cookie).',
        body: RefreshBodySchema.nullish(),
        response: { 204: NoContentSchema, ...problemResponses(401) },
      },
    },
    async (request, reply) => {
      clearCookie(reply);
      const user = await app.resolveUser(request);
      const token = refreshTokenOf(request, request.body);
      if (user) return reply.commit(204, (transact) => auth.logout({ ...deps, transact }, { user }));
      if (!token) throw invalidRefreshToken();
      await auth.logout(deps, { refreshToken: token });
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/v1/auth/logout-all',
    { onRequest: app.authenticate, schema: { tags, security: BEARER_AUTH, body: EmptyBodySchema, response: { 204: NoContentSchema, ...problemResponses(401) } } },
    async (request, reply) => {
      clearCookie(reply);
      return reply.commit(204, (transact) => auth.logoutEverywhere({ ...deps, transact }, request.user!));
    },
  );

  r.get(
    '/v1/auth/sessions',
    {
      onRequest: app.authenticate,
      schema: { tags, security: BEARER_AUTH, querystring: PageQuerySchema, response: { 200: SessionPageSchema, ...problemResponses(400, 401) } },
    },
    async (request) => auth.listSessions(deps, request.user!, request.query),
  );

  r.delete(
    '/v1/auth/sessions/:id',
    {
      onRequest: app.authenticate,
      schema: { tags, security: BEARER_AUTH, params: IdParamsSchema, response: { 204: NoContentSchema, ...problemResponses(400, 401, 404) } },
    },
    async (request, reply) => reply.commit(204, (transact) => auth.revokeSession({ ...deps, transact }, request.user!, request.params.id)),
  );

  r.post(
    '/v1/auth/password',
    {
      onRequest: app.authenticate,
      schema: { tags, security: BEARER_AUTH, body: ChangePasswordBodySchema, response: { 204: NoContentSchema, ...problemResponses(400, 401, 429) } },
    },
    async (request, reply) => reply.commit(204, (transact) => auth.changePassword({ ...deps, transact }, request.user!, request.body, clientContext(request))),
  );

  r.post(
    '/v1/auth/password-reset/request',
    {
      schema: {
        tags,
        body: ResetRequestBodySchema,
        response: { 202: z.object({ detail: z.string() }), ...problemResponses(400, 429) },
      },
    },
    async (request, reply) => {
      await auth.requestPasswordReset(deps, request.body.email, clientContext(request));
      return reply.code(202).send({ detail: 'If an account exists for this email, a reset link is on its way.' });
    },
  );

  r.post(
    '/v1/auth/password-reset/confirm',
    {
      schema: { tags, body: ResetConfirmBodySchema, response: { 204: NoContentSchema, ...problemResponses(400, 429) } },
    },
    async (request, reply) => {
      await auth.confirmPasswordReset(deps, request.body, clientContext(request));
      return reply.code(204).send(null);
    },
  );
}
