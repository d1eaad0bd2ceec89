import { v7 as uuidv7 } from 'uuid';
import type { AuthResponse, LoginBody, RegisterBody, SessionPage } from '../../../contract/auth.js';
import { checkDisplayName } from '../../../contract/display-name.js';
import { judgePassword } from '../../../contract/password-strength.js';
import type { Db } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import type { UserRow } from '../../db/schema/index.js';
import type { AccessTokens } from '../../platform/access-tokens.js';
import type { BackgroundTasks } from '../../platform/background-tasks.js';
import type { AuthUser } from '../../platform/auth.js';
import type { Clock } from '../../platform/clock.js';
import { ValidationError } from '../../platform/errors.js';
import type { Mailer } from '../../platform/mailer.js';
import { transaction, type Transact } from '../../platform/unit-of-work.js';
import { findUserByEmail, findUserById, insertUser, updateUser } from '../users/repo.js';
import { presentSelf } from '../users/present.js';
import * as errors from './errors.js';
import type { PasswordHasher } from './passwords.js';
import { decodeCursor, pageOf } from '../../platform/cursor.js';
import { presentSession } from './present.js';
import * as repo from './repo.js';
import { hashToken, randomToken } from './secrets.js';
import type { AuthThrottle } from './throttle.js';

const RESET_TOKEN_TTL_MS = 60 * 60 * 1000;

export type AuthDeps = {
  db: Db;
  clock: Clock;
  tokens: AccessTokens;
  passwords: PasswordHasher;
  mailer: Mailer;
  throttle: AuthThrottle;
  tasks: BackgroundTasks;
  settings: { adminEmails: readonly string[]; refreshTokenTtlDays: number; publicUrl: string };
  /** Runs a signed-in user's change when given (an Idempotency-Key's runner). */
  transact?: Transact;
};

/** Where a request came from, recorded on the session it opens or refreshes. */
export type ClientContext = { ip: string; userAgent: string | null };
export type Device = { name?: string | undefined; platform?: string | undefined };

/** Refuses a guessable new password; the account's own email and name count as guessable. */
function assertAcceptablePassword(password: string, field: string, account: { email?: string; displayName?: string | null }): void {
  const verdict = judgePassword(password, account);
  if (!verdict.ok) throw errors.weakPassword(field, verdict.message);
}

function sessionExpiry(deps: AuthDeps, now: Date): Date {
  return new Date(now.getTime() + deps.settings.refreshTokenTtlDays * 24 * 60 * 60 * 1000);
}

async function issueRefreshToken(db: Db, sessionId: string, now: Date): Promise<string> {
  const refreshToken = randomToken(32);
  await repo.insertRefreshToken(db, {
    id: uuidv7(),
    sessionId,
    tokenHash: hashToken(refreshToken),
    createdAt: now,
    rotatedAt: null,
  });
  return refreshToken;
}

async function authResponse(deps: AuthDeps, user: UserRow, sessionId: string, refreshToken: string): Promise<AuthResponse> {
  const access = await deps.tokens.issue({ userId: user.id, role: user.role as 'user' | 'admin', sessionId });
  return {
    user: presentSelf(user),
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt.toISOString(),
    refreshToken,
    sessionId,
  };
}

async function openSession(deps: AuthDeps, db: Db, user: UserRow, ctx: ClientContext, device: Device | undefined): Promise<AuthResponse> {
  const now = deps.clock.now();
  const session = await repo.insertSession(db, {
    id: uuidv7(),
    userId: user.id,
    userAgent: ctx.userAgent?.slice(0, 512) ?? null,
    ip: ctx.ip,
    deviceName: device?.name || null,
    platform: device?.platform || null,
    createdAt: now,
    lastUsedAt: now,
    expiresAt: sessionExpiry(deps, now),
  });
  const refreshToken = await issueRefreshToken(db, session.id, now);
  return authResponse(deps, user, session.id, refreshToken);
}

/** Creates an account and signs it in; emails in ADMIN_EMAILS become admins. */
export async function register(deps: AuthDeps, input: RegisterBody, ctx: ClientContext): Promise<AuthResponse> {
  await deps.throttle.guard('register', ctx.ip, input.email);
  let displayName: string | null = null;
  if (input.displayName !== undefined) {
    const checked = checkDisplayName(input.displayName);
    if (!checked.ok) throw new ValidationError([{ path: 'body.displayName', message: checked.message }]);
    displayName = checked.value;
  }
  assertAcceptablePassword(input.password, 'body.password', { email: input.email, displayName });
  const passwordHash = await deps.passwords.hash(input.password);
  const now = deps.clock.now();
  const role = deps.settings.adminEmails.includes(input.email.toLowerCase()) ? 'admin' : 'user';
  try {
    return await deps.db.transaction(async (tx) => {
      const user = await insertUser(tx, { id: uuidv7(), email: input.email, passwordHash, displayName, role, createdAt: now });
      return openSession(deps, tx, user, ctx, input.device);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw errors.emailTaken();
    throw error;
  }
}

/**
 * What a login request may show to prove it comes from a device already signed in to the account: the
 * web app's refresh cookie (sent with every `/v1/auth` request) or an API client's access token.
 */
export type SessionProof = { refreshToken?: string | undefined; principal?: AuthUser | null };

/** The live session the proof stands for, looked up the same way whatever email is being tried. */
async function provenSession(deps: AuthDeps, proof: SessionProof, now: Date): Promise<{ userId: string; sessionId: string } | null> {
  if (proof.principal) return { userId: proof.principal.id, sessionId: proof.principal.sessionId };
  if (!proof.refreshToken) return null;
  const found = await repo.findRefreshToken(deps.db, hashToken(proof.refreshToken));
  if (!found || found.token.rotatedAt || found.session.revokedAt || found.session.expiresAt <= now) return null;
  return { userId: found.session.userId, sessionId: found.session.id };
}

/**
 * Signs in with email and password, under the brute-force protection. A device that proves a live
 * session of this very account is judged on its own failures only, so no attacker can lock it out.
 */
export async function login(deps: AuthDeps, input: LoginBody, ctx: ClientContext, proof: SessionProof = {}): Promise<AuthResponse> {
  const held = await provenSession(deps, proof, deps.clock.now());
  const user = await findUserByEmail(deps.db, input.email);
  const source = { ip: ctx.ip, sessionId: held && user && held.userId === user.id ? held.sessionId : null };
  await deps.throttle.guard('login', ctx.ip, input.email, { sessionHolder: source.sessionId !== null });
  await deps.throttle.assertLoginAllowed(input.email, source);
  const ok = await deps.passwords.verify(user?.passwordHash ?? null, input.password);
  if (!user || !ok) {
    await deps.throttle.recordLoginFailure(input.email, source);
    throw errors.invalidCredentials();
  }
  await deps.throttle.recordLoginSuccess(input.email, source);
  return deps.db.transaction((tx) => openSession(deps, tx, user, ctx, input.device));
}

/**
 * Whether a request comes from where the session was last refreshed: the same user agent or the same IP.
 * Two tabs racing share both; a phone switching networks mid-race keeps its user agent.
 */
function sameClientAsRotation(session: { ip: string | null; userAgent: string | null }, ctx: ClientContext): boolean {
  return session.ip === ctx.ip || session.userAgent === (ctx.userAgent?.slice(0, 512) ?? null);
}

/**
 * Trades a refresh token for a new pair. A rotated-out token seen again within the leeway, from the
 * client that rotated it, is a race between two tabs (stale, nothing revoked); from elsewhere, or later,
 * it means the token leaked, so the session ends. Each rotation records its client on the session.
 */
export async function refresh(deps: AuthDeps, refreshToken: string, ctx: ClientContext): Promise<AuthResponse> {
  const now = deps.clock.now();
  const found = await repo.findRefreshToken(deps.db, hashToken(refreshToken));
  if (!found) throw errors.invalidRefreshToken();
  const { token, session } = found;
  if (session.revokedAt || session.expiresAt <= now) throw errors.sessionEnded();
  if (token.rotatedAt) {
    const withinLeeway = now.getTime() - token.rotatedAt.getTime() <= errors.REFRESH_REUSE_LEEWAY_MS;
    if (withinLeeway && sameClientAsRotation(session, ctx)) throw errors.refreshTokenStale();
    await deps.db.transaction((tx) => repo.revokeSession(tx, session.userId, session.id, 'refresh_token_reused', now));
    throw errors.refreshTokenReused();
  }
  const result = await deps.db.transaction(async (tx) => {
    if (!(await repo.markRotated(tx, token.id, now))) return null;
    const user = await findUserById(tx, session.userId);
    if (!user) return null;
    await repo.touchSession(tx, session.id, {
      lastUsedAt: now,
      expiresAt: sessionExpiry(deps, now),
      ip: ctx.ip,
      userAgent: ctx.userAgent?.slice(0, 512) ?? session.userAgent,
    });
    const next = await issueRefreshToken(tx, session.id, now);
    return { user, next };
  });
  if (!result) throw errors.refreshTokenStale();
  return authResponse(deps, result.user, session.id, result.next);
}

/** Ends the session behind an access token or a refresh token. */
export async function logout(deps: AuthDeps, who: { user: AuthUser } | { refreshToken: string }): Promise<void> {
  const now = deps.clock.now();
  if ('user' in who) {
    const { user } = who;
    const transact = deps.transact ?? transaction(deps.db);
    return transact(async ({ tx }) => {
      await repo.revokeSession(tx, user.id, user.sessionId, 'logout', now);
    });
  }
  const found = await repo.findRefreshToken(deps.db, hashToken(who.refreshToken));
  if (!found) throw errors.invalidRefreshToken();
  await deps.db.transaction((tx) => repo.revokeSession(tx, found.session.userId, found.session.id, 'logout', now));
}

export async function logoutEverywhere(deps: AuthDeps, actor: AuthUser): Promise<void> {
  const transact = deps.transact ?? transaction(deps.db);
  return transact(async ({ tx }) => {
    await repo.revokeSessionsOf(tx, actor.id, 'logout_all', deps.clock.now());
  });
}

export async function listSessions(
  deps: AuthDeps,
  actor: AuthUser,
  page: { limit: number; cursor?: string | undefined },
): Promise<SessionPage> {
  const after = page.cursor ? decodeCursor(page.cursor) : null;
  const rows = await repo.listLiveSessions(deps.db, actor.id, deps.clock.now(), page.limit + 1, after);
  return pageOf(
    rows,
    page.limit,
    (s) => ({ at: s.createdAt, id: s.id }),
    (s) => presentSession(s, actor.sessionId),
  );
}

export async function revokeSession(deps: AuthDeps, actor: AuthUser, sessionId: string): Promise<void> {
  const transact = deps.transact ?? transaction(deps.db);
  return transact(async ({ tx }) => {
    const revoked = await repo.revokeSession(tx, actor.id, sessionId, 'revoked_by_user', deps.clock.now());
    if (!revoked) throw errors.sessionNotFound();
  });
}

/** Changes the password after checking the current one; every other session ends. */
export async function changePassword(
  deps: AuthDeps,
  actor: AuthUser,
  input: { currentPassword: string; newPassword: string },
  ctx: ClientContext,
): Promise<void> {
  const user = await findUserById(deps.db, actor.id);
  if (!user) throw errors.currentPasswordIncorrect();
  // A session guessing its account's password is a sign-in attempt too: the same per-source block applies,
  // so a stolen session cannot try passwords without end.
  const source = { ip: ctx.ip, sessionId: actor.sessionId };
  await deps.throttle.assertLoginAllowed(user.email, source);
  if (!(await deps.passwords.verify(user.passwordHash, input.currentPassword))) {
    await deps.throttle.recordLoginFailure(user.email, source);
    throw errors.currentPasswordIncorrect();
  }
  assertAcceptablePassword(input.newPassword, 'body.newPassword', user);
  const passwordHash = await deps.passwords.hash(input.newPassword);
  const now = deps.clock.now();
  const transact = deps.transact ?? transaction(deps.db);
  return transact(async ({ tx }) => {
    await updateUser(tx, actor.id, { passwordHash }, now);
    await repo.revokeSessionsOf(tx, actor.id, 'password_changed', now, actor.sessionId);
  });
}

/**
 * Accepts a reset request and hands the mail over to run after the answer: the request does the same
 * work whether or not the account exists, so neither its answer nor its timing tells which.
 */
export async function requestPasswordReset(deps: AuthDeps, email: string, ctx: ClientContext): Promise<void> {
  await deps.throttle.guard('reset', ctx.ip, email);
  deps.tasks.run('password_reset_mail', () => mailResetLink(deps, email));
}

/** Mails a one-time reset link when the account exists. */
async function mailResetLink(deps: AuthDeps, email: string): Promise<void> {
  const user = await findUserByEmail(deps.db, email);
  if (!user) return;
  const token = randomToken(32);
  const now = deps.clock.now();
  await repo.insertResetToken(deps.db, {
    id: uuidv7(),
    userId: user.id,
    tokenHash: hashToken(token),
    createdAt: now,
    expiresAt: new Date(now.getTime() + RESET_TOKEN_TTL_MS),
  });
  const link = `${deps.settings.publicUrl}/reset-password#token=${token}`;
  await deps.mailer.send({
    to: user.email,
    template: 'password_reset',
    subject: 'Reset your OneRing password',
    text: `Someone asked to reset the password of your OneRing account.\n\nTo choose a new one, open this link within an hour:\n${link}\n\nIf it was not you, ignore this mail; nothing changes.`,
  });
}

/**
 * Sets a new password from a reset token; every session ends and the login protection is lifted. The
 * password is judged against the account's own email and name inside the transaction that consumed the
 * token, so a refusal rolls the consumption back and the link stays usable.
 */
export async function confirmPasswordReset(deps: AuthDeps, input: { token: string; newPassword: string }, ctx: ClientContext): Promise<void> {
  // Anyone may call this: limit it and refuse a weak password before paying for an Argon2 hash.
  await deps.throttle.guard('resetConfirm', ctx.ip, input.token);
  assertAcceptablePassword(input.newPassword, 'body.newPassword', {});
  const passwordHash = await deps.passwords.hash(input.newPassword);
  const now = deps.clock.now();
  const user = await deps.db.transaction(async (tx) => {
    const userId = await repo.consumeResetToken(tx, hashToken(input.token), now);
    const owner = userId ? await findUserById(tx, userId) : undefined;
    if (!owner) return null;
    assertAcceptablePassword(input.newPassword, 'body.newPassword', owner);
    await repo.revokeSessionsOf(tx, owner.id, 'password_reset', now);
    return updateUser(tx, owner.id, { passwordHash }, now);
  });
  if (!user) throw errors.invalidResetToken();
  await deps.throttle.clearAccount(user.email);
}
