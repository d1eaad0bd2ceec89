import type {
  CreatedPreviewLink,
  DraftAnalytics,
  Leaderboard,
  LeaderboardMetric,
  LeaderboardWindow,
  Momentum,
  PreviewLink,
  Profile,
  ShareCard,
  Today,
} from '../../contract/analytics.js';
import type {
  AdminUserDetail,
  AdminUserQuery,
  AuditEntry,
  AuditQuery,
  CreateOverrideBody,
  EntitlementOverride,
  AdminUserSummary,
} from '../../contract/admin.js';
import type { AuthResponse, Role, SessionPage, User } from '../../contract/auth.js';
import type { Problem } from '../../contract/common.js';
import type { Platform } from '../../contract/constants.js';
import type {
  Collaborator,
  Draft,
  DraftSummaryPage,
  Invite,
  InvitePreview,
  RingHistory,
  Segment,
  SegmentRevisionPage,
} from '../../contract/drafts.js';
import type { DraftEvent, EventList } from '../../contract/events.js';
import { entityTag } from '../../contract/thread-order.js';
import type { EntitlementKey, MyEntitlements, Plan, PlanId, QuotaExceededFields } from '../../contract/plans.js';
import type { ExportFormat } from '../../contract/transfer.js';

/** A failed API call, carrying the server's problem+json so forms can show field errors. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
  get code(): string {
    return this.problem.code;
  }
  /** Which limit a `403 quota_exceeded` is about, when this is one. */
  get quota(): QuotaExceededFields | undefined {
    return this.problem.status === 403 && this.problem.code === 'quota_exceeded' ? (this.problem as unknown as QuotaExceededFields) : undefined;
  }
  /** What a `412` says is current now (the segment, or the thread's order), when this is one. */
  current<T>(): T | undefined {
    return this.problem.status === 412 ? (this.problem as { current?: T }).current : undefined;
  }
  /** The message for one field (`body.email` → `email`), if the server named it. */
  fieldError(field: string): string | undefined {
    return this.problem.errors?.find((e) => e.path === `body.${field}` || e.path === field)?.message;
  }
}

type Listener = (auth: AuthResponse | null) => void;

/**
 * The typed API client. The access token lives only in this object's memory; the refresh token only in
 * the httpOnly cookie, so a 401 is answered by one silent refresh (shared by concurrent calls) and a retry.
 */
export class ApiClient {
  private accessToken: string | null = null;
  /** `origin`: where the API answers; the page's own origin (relative paths) in the app. */
  constructor(private readonly origin = '') {}

  private refreshing: Promise<AuthResponse | null> | null = null;
  private listener: Listener = () => undefined;

  onAuthChange(listener: Listener): void {
    this.listener = listener;
  }

  private setAuth(auth: AuthResponse | null): void {
    this.accessToken = auth?.accessToken ?? null;
    this.listener(auth);
  }

  private async send(method: string, path: string, body?: unknown, extra: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { ...extra };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.accessToken) headers.authorization = `Bearer ${this.accessToken}`;
    return fetch(this.origin + path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(signal ? { signal } : {}),
    });
  }

  /** A response's JSON body; a problem answer is thrown as an ApiError. */
  async parse<T>(res: Response): Promise<T> {
    if (res.status === 204) return undefined as T;
    const data = (await res.json().catch(() => null)) as unknown;
    if (!res.ok) {
      const problem = (data as Problem | null) ?? {
        type: 'about:blank',
        title: res.statusText,
        status: res.status,
        detail: 'The server answered in a way we did not expect.',
        code: 'unexpected_response',
        requestId: res.headers.get('x-request-id') ?? '',
      };
      throw new ApiError(problem);
    }
    return data as T;
  }

  /**
   * Sends a request; on an expired or missing access token it refreshes once and sends it again. `signal`
   * aborts it, the reading of its body included.
   */
  async sendAuthorized(method: string, path: string, body?: unknown, headers?: Record<string, string>, signal?: AbortSignal): Promise<Response> {
    const res = await this.send(method, path, body, headers, signal);
    if (res.status !== 401 || path.startsWith('/v1/auth/')) return res;
    return (await this.refresh()) ? this.send(method, path, body, headers, signal) : res;
  }

  /** Calls the API and answers its JSON body; a problem answer is thrown as an ApiError. */
  async request<T>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    return this.parse<T>(await this.sendAuthorized(method, path, body, headers));
  }

  /** A change sent with an Idempotency-Key of its own, so a retried request is not applied twice. */
  change<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.request<T>(method, path, body, { 'idempotency-key': idempotencyKey() });
  }

  /** Downloads a file the API answers, with the file name its Content-Disposition gives. */
  async download(path: string, fallbackName = 'thread.txt'): Promise<{ blob: Blob; filename: string }> {
    const res = await this.sendAuthorized('GET', path);
    if (!res.ok) await this.parse(res);
    const disposition = res.headers.get('content-disposition') ?? '';
    const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
    return { blob: await res.blob(), filename };
  }

  /** A usable access token for the live channel, refreshing first when there is none. */
  async currentAccessToken(): Promise<string | null> {
    return this.accessToken ?? (await this.refresh())?.accessToken ?? null;
  }

  /**
   * Trades the cookie for a new access token; null when signed out. Concurrent callers share one call.
   * Rejects, leaving who is signed in as it was, when the server could not be asked.
   */
  refresh(): Promise<AuthResponse | null> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async doRefresh(attempt = 0): Promise<AuthResponse | null> {
    try {
      const auth = await this.parse<AuthResponse>(await this.send('POST', '/v1/auth/refresh', {}));
      this.setAuth(auth);
      return auth;
    } catch (error) {
      // Another tab rotated the cookie a moment ago; its new cookie is already ours, so try once more.
      if (error instanceof ApiError && error.code === 'refresh_token_stale' && attempt === 0) {
        await new Promise((r) => setTimeout(r, 250));
        return this.doRefresh(1);
      }
      // Only the server turning the cookie down ends the session. A lost connection, a server error or a
      // rate limit says nothing about it: the caller sees the error and the user stays signed in.
      if (!refusedCookie(error)) throw error;
      this.setAuth(null);
      return null;
    }
  }

  async register(input: { email: string; password: string; displayName?: string }): Promise<AuthResponse> {
    const auth = await this.request<AuthResponse>('POST', '/v1/auth/register', { ...input, device: browserDevice() });
    this.setAuth(auth);
    return auth;
  }

  async login(input: { email: string; password: string }): Promise<AuthResponse> {
    const auth = await this.request<AuthResponse>('POST', '/v1/auth/login', { ...input, device: browserDevice() });
    this.setAuth(auth);
    return auth;
  }

  async logout(): Promise<void> {
    try {
      await this.request<void>('POST', '/v1/auth/logout', {});
    } finally {
      this.setAuth(null);
    }
  }

  async logoutEverywhere(): Promise<void> {
    try {
      await this.request<void>('POST', '/v1/auth/logout-all');
    } finally {
      this.setAuth(null);
    }
  }

  me = () => this.request<User>('GET', '/v1/me');
  updateMe = (displayName: string | null) => this.request<User>('PATCH', '/v1/me', { displayName });
  changePassword = (currentPassword: string, newPassword: string) =>
    this.request<void>('POST', '/v1/auth/password', { currentPassword, newPassword });
  sessions = () => this.request<SessionPage>('GET', '/v1/auth/sessions?limit=100');
  revokeSession = (id: string) => this.request<void>('DELETE', `/v1/auth/sessions/${encodeURIComponent(id)}`);
  requestReset = (email: string) => this.request<{ detail: string }>('POST', '/v1/auth/password-reset/request', { email });
  confirmReset = (token: string, newPassword: string) =>
    this.request<void>('POST', '/v1/auth/password-reset/confirm', { token, newPassword });

  drafts = (cursor?: string) => this.request<DraftSummaryPage>('GET', `/v1/drafts?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  draft = (id: string) => this.request<Draft>('GET', `/v1/drafts/${id}`);
  createDraft = (input: { title: string; platform: string; initialSegment?: string }) => this.request<Draft>('POST', '/v1/drafts', input);
  renameDraft = (id: string, title: string) => this.request<Draft>('PATCH', `/v1/drafts/${id}`, { title });
  publishDraft = (id: string) => this.request<Draft>('POST', `/v1/drafts/${id}/publish`);
  archiveDraft = (id: string) => this.request<Draft>('POST', `/v1/drafts/${id}/archive`);
  appendSegment = (id: string, content: string) => this.request<Segment>('POST', `/v1/drafts/${id}/segments`, { content });
  passRing = (id: string, toUserId: string) => this.request<{ ringHolderId: string; passedAt: string }>('POST', `/v1/drafts/${id}/ring/pass`, { toUserId });
  ringHistory = (id: string, cursor?: string) =>
    this.request<RingHistory>('GET', `/v1/drafts/${id}/ring/history?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  addCollaborator = (id: string, userId: string) => this.request<Collaborator>('POST', `/v1/drafts/${id}/collaborators`, { userId });
  removeCollaborator = (id: string, userId: string) => this.request<void>('DELETE', `/v1/drafts/${id}/collaborators/${userId}`);
  invites = (id: string) => this.request<{ items: Invite[]; nextCursor: string | null }>('GET', `/v1/drafts/${id}/invites?limit=100`);
  createInvite = (id: string, expiresInHours?: number) =>
    this.request<{ id: string; token: string; url: string; expiresAt: string }>('POST', `/v1/drafts/${id}/invites`, expiresInHours ? { expiresInHours } : {});
  revokeInvite = (id: string, inviteId: string) => this.request<void>('DELETE', `/v1/drafts/${id}/invites/${inviteId}`);
  previewInvite = (token: string) => this.request<InvitePreview>('GET', `/v1/invites/${encodeURIComponent(token)}/preview`);
  acceptInvite = (token: string) => this.request<Draft>('POST', '/v1/invites/accept', { token });
  /** One page (up to 1,000) of the draft's comments after `since`. */
  comments = (id: string, since = 0) =>
    this.request<EventList>('GET', `/v1/drafts/${id}/events?types=comment.added&since=${since}&limit=${EVENT_PAGE}`);
  editSegment = (id: string, segmentId: string, content: string, revision: number) =>
    this.request<Segment>('PATCH', `/v1/drafts/${id}/segments/${segmentId}`, { content }, ifMatch(revision));
  deleteSegment = (id: string, segmentId: string, revision: number) =>
    this.request<void>('DELETE', `/v1/drafts/${id}/segments/${segmentId}`, undefined, ifMatch(revision));
  reorderSegments = (id: string, order: string[], lastServerSeq: number) =>
    this.request<Draft>('POST', `/v1/drafts/${id}/segments/reorder`, { order }, ifMatch(lastServerSeq));
  revisions = (id: string, segmentId: string, cursor?: string) =>
    this.request<SegmentRevisionPage>('GET', `/v1/drafts/${id}/segments/${segmentId}/revisions?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  takeRing = (id: string) => this.request<{ ringHolderId: string; passedAt: string }>('POST', `/v1/drafts/${id}/ring/take`);
  exportDraft = (id: string, format: ExportFormat, numbered: boolean) => this.download(`/v1/drafts/${id}/export?format=${format}&numbered=${numbered}`);
  importDraft = (input: { title: string; platform: Platform; text: string }) => this.request<Draft>('POST', '/v1/drafts/import', input);
  /** A comment on the draft, or on one post when `segmentId` is given. */
  addComment = (id: string, clientId: string, clientSeq: number, text: string, segmentId?: string) =>
    this.request<DraftEvent>('POST', `/v1/drafts/${id}/events`, {
      type: 'comment.added',
      clientId,
      clientSeq,
      payload: segmentId === undefined ? { text } : { text, segmentId },
    });

  draftAnalytics = (id: string) => this.request<DraftAnalytics>('GET', `/v1/drafts/${id}/analytics`);
  leaderboard = (metric: LeaderboardMetric, window: LeaderboardWindow) => this.request<Leaderboard>('GET', `/v1/leaderboard?metric=${metric}&window=${window}`);
  momentum = () => this.request<Momentum>('GET', '/v1/me/momentum');
  today = () => this.request<Today>('GET', '/v1/today');
  /** Public: answered to anyone, signed in or not. */
  profile = (userId: string) => this.request<Profile>('GET', `/v1/users/${encodeURIComponent(userId)}/profile`);
  shareCard = (id: string) => this.request<ShareCard>('GET', `/v1/drafts/${id}/share-card`);
  /** The card's 1200×630 PNG, read with this session's token (a draft in progress has no public image). */
  shareCardImage = (id: string) => this.download(`/v1/drafts/${id}/share-card.png`, 'share-card.png');
  previewLinks = (id: string) => this.request<{ items: PreviewLink[]; nextCursor: string | null }>('GET', `/v1/drafts/${id}/preview-links?limit=100`);
  createPreviewLink = (id: string) => this.request<CreatedPreviewLink>('POST', `/v1/drafts/${id}/preview-links`, {});
  revokePreviewLink = (id: string, linkId: string) => this.request<void>('DELETE', `/v1/drafts/${id}/preview-links/${linkId}`);

  /** Public: what each plan allows. */
  plans = () => this.request<{ items: Plan[] }>('GET', '/v1/plans');
  myEntitlements = () => this.request<MyEntitlements>('GET', '/v1/me/entitlements');

  /** The admin console's calls: each answers 404 to anyone who is not an admin. */
  admin = {
    users: (query: Pick<AdminUserQuery, 'q' | 'plan' | 'cursor'>) =>
      this.request<{ items: AdminUserSummary[]; nextCursor: string | null }>('GET', `/v1/admin/users${queryString({ limit: 20, ...query })}`),
    user: (id: string) => this.request<AdminUserDetail>('GET', `/v1/admin/users/${id}`),
    setPlan: (id: string, plan: PlanId) => this.change<unknown>('PUT', `/v1/admin/users/${id}/plan`, { plan }),
    setRole: (id: string, role: Role) => this.change<AdminUserSummary>('PUT', `/v1/admin/users/${id}/role`, { role }),
    revokeSessions: (id: string) => this.change<{ revoked: number }>('POST', `/v1/admin/users/${id}/sessions/revoke`, {}),
    resetGrace: (id: string, key?: EntitlementKey) => this.change<unknown>('POST', `/v1/admin/users/${id}/grace/reset`, key ? { key } : {}),
    overrides: (userId: string) => this.request<{ items: EntitlementOverride[] }>('GET', `/v1/admin/entitlements/overrides${queryString({ userId })}`),
    createOverride: (body: CreateOverrideBody) => this.change<EntitlementOverride>('POST', '/v1/admin/entitlements/overrides', body),
    deleteOverride: (id: string) => this.change<void>('DELETE', `/v1/admin/entitlements/overrides/${id}`),
    plans: () => this.request<{ items: Plan[] }>('GET', '/v1/admin/plans'),
    setEnforcement: (planId: PlanId, enabled: boolean) => this.change<Plan>('PUT', `/v1/admin/plans/${planId}/enforcement`, { enabled }),
    audit: (query: Omit<AuditQuery, 'limit'>) =>
      this.request<{ items: AuditEntry[]; nextCursor: string | null }>('GET', `/v1/admin/audit${queryString({ limit: 50, ...query })}`),
  };
}

/** A fresh random key; randomUUID needs a secure context, getRandomValues does not. */
function idempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** `?a=1&b=2` from the members that are set (an empty string counts as not set). */
function queryString(query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The most events one `GET …/events` answers. */
export const EVENT_PAGE = 1000;

/** The precondition of an edit, delete or reorder: the revision (or `lastServerSeq`) the change was made on. */
const ifMatch = (revision: number) => ({ 'if-match': entityTag(revision) });

function browserDevice(): { name: string; platform: string } {
  const ua = navigator.userAgent;
  const browser = /Firefox\//.test(ua) ? 'Firefox' : /Edg\//.test(ua) ? 'Edge' : /Chrom/.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : 'Browser';
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Mac OS/.test(ua) ? 'macOS' : /Windows/.test(ua) ? 'Windows' : /Linux/.test(ua) ? 'Linux' : 'web';
  return { name: `${browser} on ${os}`, platform: 'web' };
}

export const api = new ApiClient();

/** Whether a refresh failed because the server refused the cookie (missing, expired, revoked, reused). */
function refusedCookie(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  const { status } = error.problem;
  return status < 500 && status !== 408 && status !== 429;
}
