import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Plan } from '../../../contract/plans.js';
import { api } from '../../api/client.js';
import { useConfirm } from '../../components/confirm-dialog.js';
import { FormError } from '../../components/form.js';
import { PlanTable } from '../plan-page.js';

/** `/admin/plans`: what each plan includes, and whether its limits are enforced, switched with a confirmation. */
export function AdminPlansPage() {
  const queryClient = useQueryClient();
  const confirm = useConfirm();
  const plans = useQuery({ queryKey: ['admin', 'plans'], queryFn: api.admin.plans });
  const toggle = useMutation({
    mutationFn: ({ plan, enabled }: { plan: Plan; enabled: boolean }) => api.admin.setEnforcement(plan.id, enabled),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['admin'] });
      void queryClient.invalidateQueries({ queryKey: ['plans'] });
      void queryClient.invalidateQueries({ queryKey: ['entitlements'] });
    },
  });

  async function ask(plan: Plan, enabled: boolean) {
    const sure = await confirm(
      enabled
        ? {
            title: `Enforce the ${plan.name} plan’s limits?`,
            body: 'People on it are held at each limit once its extra room is used.',
            confirmLabel: 'Enforce limits',
          }
        : {
            title: `Pause the ${plan.name} plan’s limits?`,
            body: 'People on it can go past every limit; each use past one is still counted.',
            confirmLabel: 'Pause limits',
            danger: true,
          },
    );
    if (sure) toggle.mutate({ plan, enabled });
  }

  return (
    <>
      <header>
        <h1>Plans</h1>
        <p className="muted">Plans are data; here their limits are enforced or paused. Every change is written to the audit log.</p>
      </header>
      {plans.isPending && <p role="status">Loading…</p>}
      <FormError error={plans.error ?? toggle.error} />
      {plans.data && (
        <>
          <ul className="plain-list admin-plans" aria-label="Plans">
            {plans.data.items.map((plan) => (
              <li key={plan.id} className="card admin-plan" data-testid="admin-plan">
                <h2>{plan.name}</h2>
                <p className="muted">{plan.description}</p>
                <label className="switch">
                  <input
                    type="checkbox"
                    role="switch"
                    checked={plan.enforcementEnabled}
                    disabled={toggle.isPending}
                    onChange={(e) => void ask(plan, e.target.checked)}
                  />
                  Enforce limits
                </label>
                <p className="hint">{plan.enforcementEnabled ? 'On: limits hold once the extra room is used.' : 'Paused: going past a limit is allowed and counted.'}</p>
              </li>
            ))}
          </ul>
          <section className="card" aria-labelledby="admin-plan-table-title">
            <h2 id="admin-plan-table-title">What each plan includes</h2>
            <PlanTable plans={plans.data.items} />
          </section>
        </>
      )}
    </>
  );
}
