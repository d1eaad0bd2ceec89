import { Link } from 'react-router';
import type { AuditAction, AuditEntry, AuditTargetType } from '../../../contract/admin.js';

export const ACTION_LABELS: Record<AuditAction, string> = {
  'user.plan_set': 'Plan changed',
  'user.role_set': 'Role changed',
  'user.sessions_revoked': 'Sessions signed out',
  'entitlement.override_set': 'Override set',
  'entitlement.override_deleted': 'Override removed',
  'entitlement.grace_reset': 'Extra room given back',
  'plan.enforcement_set': 'Plan enforcement changed',
};

export const TARGET_LABELS: Record<AuditTargetType, string> = { user: 'User', plan: 'Plan' };

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Bookkeeping members a summary leaves to the full before-and-after. */
const QUIET = new Set(['id', 'createdAt', 'createdBy', 'updatedAt']);
const show = (v: unknown) => (v === null ? 'none' : typeof v === 'string' ? v : JSON.stringify(v));

/** The changed members of a before/after pair, as "plan: free → creator"; a creation lists what was set. */
export function changeSummary(before: unknown, after: unknown): string {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    const changed = keys.filter((k) => !QUIET.has(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    return changed.map((k) => `${k}: ${show(before[k] ?? null)} → ${show(after[k] ?? null)}`).join('; ');
  }
  const only = isRecord(after) ? after : isRecord(before) ? before : null;
  if (only) return Object.entries(only).filter(([k]) => !QUIET.has(k)).map(([k, v]) => `${k}: ${show(v)}`).join('; ');
  return `${show(before ?? null)} → ${show(after ?? null)}`;
}

/** The user an entry is about: the target itself, or the `userId` an override names. */
function userOf(entry: AuditEntry): string | undefined {
  if (entry.targetType === 'user') return entry.targetId;
  for (const side of [entry.after, entry.before]) if (isRecord(side) && typeof side.userId === 'string') return side.userId;
  return undefined;
}

/**
 * Audit rows, newest first: what was done, by whom, to what, with the before and after. `about` is the user
 * whose page shows the list (no link to where the reader already is).
 */
export function AuditList({ entries, label, about }: { entries: AuditEntry[]; label: string; about?: string }) {
  return (
    <ol className="plain-list audit-list" aria-label={label}>
      {entries.map((entry) => {
        const user = userOf(entry);
        return (
          <li key={entry.id} className="audit-entry" data-testid="audit-entry" data-action={entry.action}>
            <div className="audit-head">
              <strong>{ACTION_LABELS[entry.action]}</strong>
              <time dateTime={entry.createdAt}>{when.format(new Date(entry.createdAt))}</time>
            </div>
            <p className="muted">
              by {entry.actorEmail} · {TARGET_LABELS[entry.targetType]} <code>{entry.targetId}</code>
              {user && user !== about && (
                <>
                  {' '}
                  · <Link to={`/admin/users/${user}`}>open the user</Link>
                </>
              )}
            </p>
            <p className="audit-change">{changeSummary(entry.before, entry.after)}</p>
            <details>
              <summary>Before and after</summary>
              <pre>{JSON.stringify({ before: entry.before ?? null, after: entry.after ?? null }, null, 2)}</pre>
              <p className="hint">Request {entry.requestId}</p>
            </details>
          </li>
        );
      })}
    </ol>
  );
}
