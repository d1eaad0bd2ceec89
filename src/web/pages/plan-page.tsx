import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Plan, PlanId } from '../../contract/plans.js';
import { api } from '../api/client.js';
import { useAuth } from '../auth/auth-context.js';
import { ENTITLEMENT_WORDS, limitText, planName } from '../components/entitlement-words.js';
import { FormError } from '../components/form.js';
import { usePlans } from '../components/quota-notice.js';
import { UsageList } from '../components/usage.js';
import './plan-pages.css';

/** One plan's value for an entitlement, as a table cell reads it. */
function PlanValue({ plan, entitlementKey }: { plan: Plan; entitlementKey: string }) {
  const e = plan.entitlements.find((x) => x.key === entitlementKey);
  if (!e) return <>–</>;
  if (e.kind === 'flag') return <>{e.value === 0 ? 'Not included' : 'Included'}</>;
  return (
    <>
      {limitText(e.value)}
      {e.grace > 0 && <span className="grace-note"> +{e.grace} extra</span>}
    </>
  );
}

/** What each plan includes, side by side, the reader's own marked. */
export function PlanTable({ plans, current }: { plans: Plan[]; current?: PlanId }) {
  const keys = plans[0]?.entitlements.map((e) => e.key) ?? [];
  return (
    <div className="table-scroll">
      <table className="plan-table" data-testid="plan-table">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Allowance</span>
            </th>
            {plans.map((p) => (
              <th key={p.id} scope="col" className={p.id === current ? 'current' : undefined}>
                {p.name}
                {p.id === current && <span className="badge">yours</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <tr key={key}>
              <th scope="row">{ENTITLEMENT_WORDS[key].label}</th>
              {plans.map((p) => (
                <td key={p.id} className={p.id === current ? 'current' : undefined}>
                  <PlanValue plan={p} entitlementKey={key} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * `/plan`: the reader's plan, how much of each limit is in use, what each plan includes, and how a plan
 * changes today (an admin changes it; paid plans arrive with billing).
 */
export function PlanPage() {
  const { state } = useAuth();
  const mine = useQuery({ queryKey: ['entitlements'], queryFn: api.myEntitlements });
  const plans = usePlans();
  if (mine.isPending) return <p role="status">Loading…</p>;
  if (!mine.data) return <FormError error={mine.error} />;
  const m = mine.data;
  const plan = plans.data?.items.find((p) => p.id === m.plan);
  const name = planName(m.plan, plans.data?.items);

  return (
    <div className="plan-page stack">
      <header>
        <h1>Your plan</h1>
        <p className="muted">What your account includes, and how much of it is in use.</p>
      </header>
      <section className="card" aria-labelledby="current-plan-title">
        <p className="eyebrow">Current plan</p>
        <h2 id="current-plan-title" data-testid="plan-name">
          {name}
        </h2>
        {plan && <p>{plan.description}</p>}
        {!m.enforcementEnabled && <p className="hint">The limits of this plan are paused for now: going past one is allowed.</p>}
        <UsageList entitlements={m.entitlements} label={`What the ${name} plan includes`} />
        <p className="hint">
          Extra room (grace) is a little more than a limit, lent before the limit holds. Archived drafts, and goals you completed or archived, do not count.
        </p>
      </section>
      <section className="card" aria-labelledby="plans-title">
        <h2 id="plans-title">What each plan includes</h2>
        {plans.isPending && <p role="status">Loading…</p>}
        <FormError error={plans.error} />
        {plans.data && <PlanTable plans={plans.data.items} current={m.plan} />}
      </section>
      <section className="card" aria-labelledby="change-plan-title">
        <h2 id="change-plan-title">Changing your plan</h2>
        <p>
          Billing is not here yet, so plans cannot be bought in the app today. An admin can move your account to another plan or give you more
          room on one limit; paid plans arrive with billing.
        </p>
        {state.status === 'signed-in' && state.user.role === 'admin' && (
          <p>
            You are an admin: <Link to={`/admin/users/${state.user.id}`}>change plans in the admin console</Link>.
          </p>
        )}
      </section>
    </div>
  );
}
