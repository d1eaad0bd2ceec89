import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { PLAN_IDS, type PlanId } from '../../../contract/plans.js';
import { api } from '../../api/client.js';
import { planName } from '../../components/entitlement-words.js';
import { FormError } from '../../components/form.js';
import { usePlans } from '../../components/quota-notice.js';

const joined = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

function pickPlan(value: string | null): PlanId | undefined {
  return PLAN_IDS.find((p) => p === value);
}

/** `/admin`: users, newest first, searched by email or name and filtered by plan, twenty at a time. */
export function AdminUsersPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const plan = pickPlan(params.get('plan'));
  const [text, setText] = useState(q);
  const [planChoice, setPlanChoice] = useState<string>(plan ?? '');
  // The form follows the address when it changes some other way (the nav link, back and forward).
  useEffect(() => {
    setText(q);
    setPlanChoice(plan ?? '');
  }, [q, plan]);
  const plans = usePlans();
  const users = useInfiniteQuery({
    queryKey: ['admin', 'users', q, plan ?? ''],
    queryFn: ({ pageParam }) => api.admin.users({ q: q.trim() || undefined, plan, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const items = users.data?.pages.flatMap((p) => p.items) ?? [];

  function search(event: FormEvent) {
    event.preventDefault();
    const next: Record<string, string> = {};
    if (text.trim()) next.q = text.trim();
    if (planChoice) next.plan = planChoice;
    setParams(next);
  }

  return (
    <>
      <header>
        <h1>Users</h1>
        <p className="muted">Find someone by email or name, then open them to change their plan, limits or role.</p>
      </header>
      <form className="card admin-filters" role="search" aria-label="Users" onSubmit={search}>
        <div className="field">
          <label htmlFor="user-search">Email or name</label>
          <input id="user-search" type="search" value={text} onChange={(e) => setText(e.target.value)} maxLength={254} />
        </div>
        <div className="field">
          <label htmlFor="user-plan">Plan</label>
          <select id="user-plan" value={planChoice} onChange={(e) => setPlanChoice(e.target.value)}>
            <option value="">Any plan</option>
            {PLAN_IDS.map((p) => (
              <option key={p} value={p}>
                {planName(p, plans.data?.items)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Search</button>
      </form>
      <section aria-labelledby="users-title" aria-busy={users.isFetching}>
        <h2 id="users-title" className="visually-hidden">
          Results
        </h2>
        {users.isPending && <p role="status">Loading…</p>}
        <FormError error={users.error} />
        {users.isSuccess && items.length === 0 && <p data-testid="users-empty">Nobody matches this search.</p>}
        <ul className="plain-list admin-users" aria-label="Users found">
          {items.map((u) => (
            <li key={u.id} className="card admin-user" data-testid="admin-user">
              <div>
                <Link to={`/admin/users/${u.id}`} className="admin-user-name">
                  {u.displayName}
                </Link>
                {u.role === 'admin' && <span className="badge">admin</span>}
                <p className="muted">{u.email}</p>
              </div>
              <p className="muted">
                {planName(u.plan, plans.data?.items)} plan · joined {joined.format(new Date(u.createdAt))}
              </p>
            </li>
          ))}
        </ul>
        {users.hasNextPage && (
          <button type="button" className="secondary load-more" onClick={() => users.fetchNextPage()} disabled={users.isFetchingNextPage}>
            Load more
          </button>
        )}
      </section>
    </>
  );
}
