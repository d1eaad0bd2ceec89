import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import type { AdminUserDetail, EntitlementOverride } from '../../../contract/admin.js';
import { ROLES, type Role } from '../../../contract/auth.js';
import { ENTITLEMENT_KEYS, ENTITLEMENTS, PLAN_IDS, type EntitlementKey, type PlanId } from '../../../contract/plans.js';
import { api } from '../../api/client.js';
import { useAuth } from '../../auth/auth-context.js';
import { useConfirm } from '../../components/confirm-dialog.js';
import { ENTITLEMENT_WORDS, limitText, planName } from '../../components/entitlement-words.js';
import { FormError, Notice } from '../../components/form.js';
import { usePlans } from '../../components/quota-notice.js';
import { UsageList } from '../../components/usage.js';
import { AuditList } from './audit-list.js';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const ROLE_NAMES: Record<Role, string> = { user: 'User', admin: 'Admin' };

const detailKey = (id: string) => ['admin', 'user', id] as const;

/** After a change: the user's detail again, and the lists it shows up in. */
function useRefresh(id: string) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: detailKey(id) });
    void queryClient.invalidateQueries({ queryKey: ['admin', 'users'] });
    void queryClient.invalidateQueries({ queryKey: ['admin', 'audit'] });
    void queryClient.invalidateQueries({ queryKey: ['entitlements'] });
  };
}

function PlanForm({ detail }: { detail: AdminUserDetail }) {
  const { user } = detail;
  const plans = usePlans();
  const confirm = useConfirm();
  const refresh = useRefresh(user.id);
  const [plan, setPlan] = useState<PlanId>(user.plan);
  const change = useMutation({ mutationFn: (to: PlanId) => api.admin.setPlan(user.id, to), onSuccess: refresh });
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (plan === user.plan) return;
    const name = planName(plan, plans.data?.items);
    const sure = await confirm({
      title: `Move ${user.displayName} to the ${name} plan?`,
      body: `Their limits become the ${name} plan’s at once. The change is written to the audit log.`,
      confirmLabel: 'Change plan',
    });
    if (sure) change.mutate(plan);
  }
  return (
    <form onSubmit={submit} className="inline-form">
      <div className="field">
        <label htmlFor="admin-plan">Plan</label>
        <select id="admin-plan" value={plan} onChange={(e) => setPlan(e.target.value as PlanId)}>
          {PLAN_IDS.map((p) => (
            <option key={p} value={p}>
              {planName(p, plans.data?.items)}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" disabled={change.isPending || plan === user.plan}>
        Change plan
      </button>
      <FormError error={change.error} />
    </form>
  );
}

function RoleForm({ detail }: { detail: AdminUserDetail }) {
  const { user } = detail;
  const { state } = useAuth();
  const confirm = useConfirm();
  const refresh = useRefresh(user.id);
  const [role, setRole] = useState<Role>(user.role);
  const self = state.status === 'signed-in' && state.user.id === user.id;
  const change = useMutation({
    mutationFn: (to: Role) => api.admin.setRole(user.id, to),
    // An admin who changed their own role reads it again (a new token), so the console follows at once.
    onSuccess: () => {
      refresh();
      // Unreachable now, it is read again on the next request's 401.
      if (self) api.refresh().catch(() => undefined);
    },
  });
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (role === user.role) return;
    const sure = await confirm(
      role === 'admin'
        ? { title: `Make ${user.displayName} an admin?`, body: 'They can change anyone’s plan, limits and role, and read the audit log.', confirmLabel: 'Make admin' }
        : {
            title: `Remove ${self ? 'your own' : `${user.displayName}’s`} admin role?`,
            body: self ? 'You lose the admin console as soon as it is done.' : 'They lose the admin console at once.',
            confirmLabel: 'Remove admin role',
            danger: true,
          },
    );
    if (sure) change.mutate(role);
  }
  return (
    <form onSubmit={submit} className="inline-form">
      <div className="field">
        <label htmlFor="admin-role">Role</label>
        <select id="admin-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_NAMES[r]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" disabled={change.isPending || role === user.role}>
        Change role
      </button>
      <FormError error={change.error} />
    </form>
  );
}

/** A new override: an entitlement, its value (or no limit, or for a flag on or off) and an optional expiry. */
function OverrideForm({ userId }: { userId: string }) {
  const refresh = useRefresh(userId);
  const [key, setKey] = useState<EntitlementKey>('drafts.max');
  const [value, setValue] = useState('');
  const [noLimit, setNoLimit] = useState(false);
  const [flag, setFlag] = useState('1');
  const [expires, setExpires] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const isFlag = ENTITLEMENTS[key] === 'flag';
  const create = useMutation({
    mutationFn: (chosen: number | null) =>
      api.admin.createOverride({ userId, key, value: chosen, ...(expires ? { expiresAt: new Date(expires).toISOString() } : {}) }),
    onSuccess: () => {
      setValue('');
      setNoLimit(false);
      setExpires('');
      refresh();
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    const chosen = isFlag ? Number(flag) : noLimit ? null : /^\d{1,7}$/.test(value.trim()) ? Number(value.trim()) : NaN;
    if (Number.isNaN(chosen)) return setProblem('Enter a whole number of 0 or more, or tick “No limit”.');
    if (expires && new Date(expires) <= new Date()) return setProblem('Choose an expiry in the future, or leave it empty.');
    setProblem(null);
    create.mutate(chosen);
  }
  return (
    <form onSubmit={submit} noValidate className="override-form" aria-labelledby="override-form-title">
      <h3 id="override-form-title">Set an override</h3>
      <div className="field">
        <label htmlFor="override-key">Entitlement</label>
        <select id="override-key" value={key} onChange={(e) => setKey(e.target.value as EntitlementKey)}>
          {ENTITLEMENT_KEYS.map((k) => (
            <option key={k} value={k}>
              {ENTITLEMENT_WORDS[k].label}
            </option>
          ))}
        </select>
      </div>
      {isFlag ? (
        <div className="field">
          <label htmlFor="override-flag">Value</label>
          <select id="override-flag" value={flag} onChange={(e) => setFlag(e.target.value)}>
            <option value="1">Included</option>
            <option value="0">Not included</option>
          </select>
        </div>
      ) : (
        <div className="field">
          <label htmlFor="override-value">Value</label>
          <input
            id="override-value"
            inputMode="numeric"
            value={value}
            disabled={noLimit}
            onChange={(e) => setValue(e.target.value)}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? 'override-problem' : undefined}
          />
          <label className="check">
            <input type="checkbox" checked={noLimit} onChange={(e) => setNoLimit(e.target.checked)} /> No limit
          </label>
        </div>
      )}
      <div className="field">
        <label htmlFor="override-expires">Expires (optional)</label>
        <input id="override-expires" type="datetime-local" value={expires} onChange={(e) => setExpires(e.target.value)} aria-describedby="override-expires-hint" />
        <p className="hint" id="override-expires-hint">
          In your time zone. Empty: it lasts until removed. It replaces any override on the same entitlement.
        </p>
      </div>
      {problem && (
        <p className="form-error" id="override-problem" role="alert">
          {problem}
        </p>
      )}
      <FormError error={create.error} />
      {create.isSuccess && <Notice>Override saved.</Notice>}
      <button type="submit" disabled={create.isPending}>
        Set override
      </button>
    </form>
  );
}

function Overrides({ detail }: { detail: AdminUserDetail }) {
  const confirm = useConfirm();
  const refresh = useRefresh(detail.user.id);
  const remove = useMutation({ mutationFn: (id: string) => api.admin.deleteOverride(id), onSuccess: refresh });
  async function askRemove(o: EntitlementOverride) {
    const label = ENTITLEMENT_WORDS[o.key].label;
    const sure = await confirm({
      title: `Remove the override on ${label}?`,
      body: `${detail.user.displayName} goes back to what their plan includes.`,
      confirmLabel: 'Remove override',
      danger: true,
    });
    if (sure) remove.mutate(o.id);
  }
  return (
    <section className="card" aria-labelledby="overrides-title">
      <h2 id="overrides-title">Overrides</h2>
      {detail.overrides.length === 0 ? (
        <p className="muted">No overrides: the plan’s values apply.</p>
      ) : (
        <ul className="plain-list overrides" aria-labelledby="overrides-title">
          {detail.overrides.map((o) => (
            <li key={o.id} className="override" data-testid="override">
              <div>
                <strong>{ENTITLEMENT_WORDS[o.key].label}</strong>:{' '}
                {ENTITLEMENTS[o.key] === 'flag' ? (o.value === 0 ? 'not included' : 'included') : limitText(o.value).toLowerCase()}
                <p className="muted">
                  {o.expiresAt ? `Until ${when.format(new Date(o.expiresAt))}` : 'No expiry'} · set {when.format(new Date(o.createdAt))}
                </p>
              </div>
              <button type="button" className="secondary" onClick={() => askRemove(o)} disabled={remove.isPending} aria-label={`Remove the override on ${ENTITLEMENT_WORDS[o.key].label}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <FormError error={remove.error} />
      <OverrideForm userId={detail.user.id} />
    </section>
  );
}

/** Grace given back, sessions signed out: the one-way actions, each asked first. */
function Actions({ detail }: { detail: AdminUserDetail }) {
  const { user } = detail;
  const confirm = useConfirm();
  const refresh = useRefresh(user.id);
  const grace = useMutation({ mutationFn: () => api.admin.resetGrace(user.id), onSuccess: refresh });
  const sessions = useMutation({ mutationFn: () => api.admin.revokeSessions(user.id), onSuccess: refresh });
  async function resetGrace() {
    const sure = await confirm({
      title: 'Give back all extra room?',
      body: `${user.displayName}’s grace on every limit is reset to what the plan lends.`,
      confirmLabel: 'Give back extra room',
    });
    if (sure) grace.mutate();
  }
  async function revoke() {
    const sure = await confirm({
      title: `Sign ${user.displayName} out everywhere?`,
      body: `Every device signed in to this account (${detail.activeSessions}) is signed out at once; they can log in again with their password.`,
      confirmLabel: 'Sign out everywhere',
      danger: true,
    });
    if (sure) sessions.mutate();
  }
  return (
    <section className="card" aria-labelledby="actions-title">
      <h2 id="actions-title">Grace and sessions</h2>
      <div className="admin-action">
        <p>Extra room (grace) lets someone go a little past a limit. Giving it back lends it again.</p>
        <button type="button" className="secondary" onClick={resetGrace} disabled={grace.isPending}>
          Give back extra room
        </button>
        <FormError error={grace.error} />
        {grace.isSuccess && <Notice>Extra room given back.</Notice>}
      </div>
      <div className="admin-action">
        <p data-testid="active-sessions">
          {detail.activeSessions} active {detail.activeSessions === 1 ? 'session' : 'sessions'}.
        </p>
        <button type="button" className="danger" onClick={revoke} disabled={sessions.isPending || detail.activeSessions === 0}>
          Sign out everywhere
        </button>
        <FormError error={sessions.error} />
        {sessions.data && <Notice>Signed out of {sessions.data.revoked} {sessions.data.revoked === 1 ? 'session' : 'sessions'}.</Notice>}
      </div>
    </section>
  );
}

/** `/admin/users/:id`: one user's plan, usage, overrides, grace, sessions, role and recent audit. */
export function AdminUserPage() {
  const { id = '' } = useParams();
  const detail = useQuery({ queryKey: detailKey(id), queryFn: () => api.admin.user(id) });
  const plans = usePlans();
  if (detail.isPending) return <p role="status">Loading…</p>;
  if (!detail.data) return <FormError error={detail.error} />;
  const d = detail.data;
  const { user } = d;
  return (
    <>
      <p>
        <Link to="/admin">← Users</Link>
      </p>
      <header>
        <h1>
          {user.displayName}
          {user.role === 'admin' && <span className="badge">admin</span>}
        </h1>
        <p className="muted" data-testid="admin-user-email">
          {user.email}
        </p>
      </header>
      <div className="admin-columns">
        <div className="stack">
          <section className="card" aria-labelledby="plan-title">
            <h2 id="plan-title">Plan and usage</h2>
            <dl className="facts">
              <dt>Plan</dt>
              <dd data-testid="admin-user-plan">{planName(user.plan, plans.data?.items)}</dd>
              <dt>Since</dt>
              <dd>{when.format(new Date(d.planSince))}</dd>
              <dt>Limits</dt>
              <dd>{d.enforcementEnabled ? 'Enforced' : 'Paused for this plan'}</dd>
            </dl>
            <PlanForm key={user.plan} detail={d} />
            <UsageList entitlements={d.entitlements} label={`${user.displayName}’s usage`} />
          </section>
          <Overrides detail={d} />
        </div>
        <div className="stack">
          <Actions detail={d} />
          <section className="card" aria-labelledby="role-title">
            <h2 id="role-title">Role</h2>
            <RoleForm key={user.role} detail={d} />
          </section>
          <section className="card" aria-labelledby="counters-title">
            <h2 id="counters-title">Requests today</h2>
            {d.usageCounters.length === 0 ? (
              <p className="muted">None counted today.</p>
            ) : (
              <dl className="facts">
                {d.usageCounters.map((c) => (
                  <div key={c.name} className="fact-pair">
                    <dt>{c.name}</dt>
                    <dd>{c.count}</dd>
                  </div>
                ))}
              </dl>
            )}
          </section>
        </div>
      </div>
      <section className="card" aria-labelledby="recent-audit-title">
        <div className="row spread">
          <h2 id="recent-audit-title">Recent changes</h2>
          <Link to={`/admin/audit?targetId=${user.id}`}>Audit rows with this user as target</Link>
        </div>
        {d.recentAudit.length === 0 ? <p className="muted">No admin has changed this account yet.</p> : <AuditList entries={d.recentAudit} label="Recent changes" about={user.id} />}
      </section>
    </>
  );
}
