import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyWebsocket from '@fastify/websocket';
import fp from 'fastify-plugin';
import type { WebSocket } from 'ws';
import { IdParamsSchema } from '../../../contract/common.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemBody, sendProblem } from '../../platform/errors.js';
import { BEARER_AUTH, problemResponses } from '../../platform/http.js';
import { assertMember } from '../drafts/policy.js';
import { findMember } from '../drafts/repo.js';
import { CLOSE } from './close-codes.js';
import { broadcastPresence, DraftStream, type DraftStreamDeps } from './draft-stream.js';
import type { LiveSocket } from './socket.js';
import { DraftFeeds } from './feed.js';
import { OpenSockets } from './open-sockets.js';
import { UserStream } from './user-stream.js';

const PresenceUserSchema = z.object({
  userId: z.uuid(),
  displayName: z.string(),
  state: z.enum(['viewing', 'typing']),
  position: z.number().int().nullable(),
});
const SWEEP_INTERVAL_MS = 5_000;
/** Typing is checked more often than the sweep so that it lapses close to TYPING_TTL_MS (memory only). */
const TYPING_CHECK_INTERVAL_MS = 1_000;

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Turns idle typing back into viewing on this instance's connections (every second), drops expired
     * presence on the drafts it serves (every 5 s), and tells their viewers.
     */
    sweepPresence(): Promise<void>;
  }
}

/** A plain HTTP request on a live path: it only speaks WebSocket. */
function upgradeRequired(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = problemBody(request.id, 426, 'websocket_required', 'This path is a WebSocket: connect with an Upgrade request (see docs/api.md).');
  return sendProblem(reply, problem, { upgrade: 'websocket' });
}

/**
 * The live channels: `GET /v1/drafts/:id/live` streams a draft's events and presence, `GET /v1/me/live`
 * tells the drafts list when to read again. The first frame is `{ type: "hello", accessToken, since? }`;
 * see docs/api.md for the protocol and close codes.
 */
export const liveRoutes = fp(async function liveRoutes(
  app: FastifyInstance,
  opts: { deps: Omit<DraftStreamDeps, 'feeds' | 'socketsByUser'> },
) {
  const deps: DraftStreamDeps = { ...opts.deps, feeds: new DraftFeeds(opts.deps), socketsByUser: new OpenSockets(opts.deps.maxSocketsPerUser) };
  const socketsByIp = new OpenSockets(opts.deps.maxSocketsPerIp);
  const connections = new Set<LiveSocket>();
  const draftStreams = new Set<DraftStream>();
  // On shutdown every client is told to come back (to any instance) and resume from its last serverSeq;
  // waiting for each to release its presence keeps the stores open until nothing uses them.
  await app.register(fastifyWebsocket, {
    options: { maxPayload: 64 * 1024 },
    preClose: async function closeLiveConnections(this: FastifyInstance) {
      await Promise.all([...connections].map((c) => c.close(CLOSE.GOING_AWAY, 'server restarting; reconnect with since')));
      for (const client of this.websocketServer.clients) client.close(CLOSE.GOING_AWAY, 'server restarting');
      this.websocketServer.close();
    },
  });
  const unwatch = deps.watchPrincipals((payload) => connections.forEach((c) => c.principalChanged(payload)));
  app.addHook('onClose', async () => unwatch());
  /** Counts the socket against its address (before any `hello`, so unauthenticated floods are held too). */
  const admit = (request: FastifyRequest, socket: WebSocket): boolean => {
    const ip = request.ip ?? 'unknown';
    if (!socketsByIp.tryOpen(ip)) {
      socket.close(CLOSE.TOO_FAST, 'too many live connections from this address');
      return false;
    }
    socket.on('close', () => socketsByIp.closed(ip));
    return true;
  };
  const track = (connection: LiveSocket, socket: WebSocket) => {
    connections.add(connection);
    socket.on('close', () => connections.delete(connection));
  };

  app.route({
    method: 'GET',
    url: '/v1/drafts/:id/live',
    schema: { hide: true },
    handler: upgradeRequired,
    wsHandler: (socket: WebSocket, request) => {
      const params = IdParamsSchema.safeParse(request.params);
      if (!params.success) return socket.close(CLOSE.NOT_FOUND, 'no such draft');
      if (!admit(request, socket)) return;
      const stream = new DraftStream(deps, socket, params.data.id);
      draftStreams.add(stream);
      socket.on('close', () => draftStreams.delete(stream));
      track(stream, socket);
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/me/live',
    schema: { hide: true },
    handler: upgradeRequired,
    wsHandler: (socket: WebSocket, request) => {
      if (admit(request, socket)) track(new UserStream(deps, socket), socket);
    },
  });

  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/drafts/:id/presence',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['live'],
        security: BEARER_AUTH,
        description: 'Who is viewing or typing on the draft now, for clients without a live connection.',
        params: IdParamsSchema,
        response: { 200: z.object({ users: z.array(PresenceUserSchema) }), ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => {
      assertMember(await findMember(opts.deps.db, request.params.id, request.user!.id));
      return { users: await broadcastPresence(opts.deps, request.params.id, true) };
    },
  );

  const expireTyping = () => Promise.all([...draftStreams].map((s) => s.expireTyping()));
  async function sweepPresence(): Promise<void> {
    await expireTyping();
    for (const draftId of deps.feeds.draftIds()) await broadcastPresence(deps, draftId, true);
  }
  app.decorate('sweepPresence', sweepPresence);
  const timers = [
    setInterval(() => void expireTyping(), TYPING_CHECK_INTERVAL_MS),
    setInterval(() => void sweepPresence().catch(() => undefined), SWEEP_INTERVAL_MS),
  ];
  timers.forEach((timer) => timer.unref());
  app.addHook('onClose', async () => timers.forEach((timer) => clearInterval(timer)));

  // On shutdown every client is told to come back (to any instance) and resume from its last serverSeq.

});
