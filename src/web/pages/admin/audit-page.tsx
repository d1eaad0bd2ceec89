import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES, type AuditAction, type AuditTargetType } from '../../../contract/admin.js';
import { api } from '../../api/client.js';
import { FormError } from '../../components/form.js';
import { ACTION_LABELS, AuditList, TARGET_LABELS } from './audit-list.js';

const FILTERS = ['actorId', 'action', 'targetType', 'targetId', 'from', 'to'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

/** The start of a UTC day, and the start of the day after (the API's `to` is exclusive). */
const dayStart = (day: string) => `${day}T00:00:00.000Z`;
const dayAfter = (day: string) => new Date(Date.parse(dayStart(day)) + 86_400_000).toISOString();

/** `/admin/audit`: every admin change, newest first, filtered by actor, action, target and days, fifty at a time. */
export function AdminAuditPage() {
  const [params, setParams] = useSearchParams();
  const applied = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])) as Filters;
  const [form, setForm] = useState<Filters>(applied);
  // The form follows the address when it changes some other way (a link to a user's rows, back and forward).
  const search = params.toString();
  useEffect(() => setForm(Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])) as Filters), [search]);
  const action = AUDIT_ACTIONS.find((a) => a === applied.action);
  const targetType = AUDIT_TARGET_TYPES.find((t) => t === applied.targetType);
  const audit = useInfiniteQuery({
    queryKey: ['admin', 'audit', applied],
    queryFn: ({ pageParam }) =>
      api.admin.audit({
        actorId: applied.actorId || undefined,
        action,
        targetType,
        targetId: applied.targetId || undefined,
        from: applied.from ? dayStart(applied.from) : undefined,
        to: applied.to ? dayAfter(applied.to) : undefined,
        cursor: pageParam,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const items = audit.data?.pages.flatMap((p) => p.items) ?? [];
  const set = (name: keyof Filters) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value }));

  function apply(event: FormEvent) {
    event.preventDefault();
    setParams(Object.fromEntries(Object.entries(form).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, v.trim()])));
  }
  function clear() {
    const empty = Object.fromEntries(FILTERS.map((f) => [f, ''])) as Filters;
    setForm(empty);
    setParams({});
  }

  return (
    <>
      <header>
        <h1>Audit log</h1>
        <p className="muted">Every change an admin made, newest first. Rows are written with the change and never edited.</p>
      </header>
      <form className="card audit-filters" aria-label="Filter the audit log" onSubmit={apply} noValidate>
        <div className="field">
          <label htmlFor="audit-actor">Actor (user id)</label>
          <input id="audit-actor" value={form.actorId} onChange={set('actorId')} spellCheck={false} />
        </div>
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <select id="audit-action" value={form.action} onChange={set('action')}>
            <option value="">Any action</option>
            {AUDIT_ACTIONS.map((a: AuditAction) => (
              <option key={a} value={a}>
                {ACTION_LABELS[a]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-target-type">Target</label>
          <select id="audit-target-type" value={form.targetType} onChange={set('targetType')}>
            <option value="">Any target</option>
            {AUDIT_TARGET_TYPES.map((t: AuditTargetType) => (
              <option key={t} value={t}>
                {TARGET_LABELS[t]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-target-id">Target id</label>
          <input id="audit-target-id" value={form.targetId} onChange={set('targetId')} spellCheck={false} />
        </div>
        <div className="field">
          <label htmlFor="audit-from">From (UTC day)</label>
          <input id="audit-from" type="date" value={form.from} onChange={set('from')} />
        </div>
        <div className="field">
          <label htmlFor="audit-to">To (UTC day, included)</label>
          <input id="audit-to" type="date" value={form.to} onChange={set('to')} />
        </div>
        <div className="row">
          <button type="submit">Apply filters</button>
          <button type="button" className="secondary" onClick={clear}>
            Clear
          </button>
        </div>
      </form>
      <section className="card" aria-labelledby="audit-title" aria-busy={audit.isFetching}>
        <h2 id="audit-title" className="visually-hidden">
          Changes
        </h2>
        {audit.isPending && <p role="status">Loading…</p>}
        <FormError error={audit.error} />
        {audit.isSuccess && items.length === 0 && <p data-testid="audit-empty">No changes match these filters.</p>}
        {items.length > 0 && <AuditList entries={items} label="Changes" />}
        {audit.hasNextPage && (
          <button type="button" className="secondary load-more" onClick={() => audit.fetchNextPage()} disabled={audit.isFetchingNextPage}>
            Load more
          </button>
        )}
      </section>
    </>
  );
}
