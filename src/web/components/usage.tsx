import { useId } from 'react';
import type { EntitlementStatus } from '../../contract/plans.js';
import { countOf, ENTITLEMENT_WORDS } from './entitlement-words.js';

const dateOnly = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'long', day: 'numeric' });

/** What the next use would get, in words, when it is anything but a plain yes. */
function decisionText(e: EntitlementStatus): string | null {
  switch (e.decision) {
    case 'ALLOW_WITH_GRACE':
      return `At the limit: the next ${e.graceLeft === 1 ? 'one uses' : `${e.graceLeft} use`} extra room.`;
    case 'WARN_ONLY':
      return 'Past the limit: this plan’s limits are paused, so you can keep going.';
    case 'BLOCK':
      return 'Full for now: make room to add more.';
    default:
      return null;
  }
}

function OverrideNote({ e }: { e: EntitlementStatus }) {
  if (!e.override) return null;
  return (
    <p className="hint" data-testid="usage-override">
      Set for you by an admin{e.override.expiresAt ? ` until ${dateOnly.format(new Date(e.override.expiresAt))}` : ''}.
    </p>
  );
}

/** One counted entitlement: its figures, a bar (a progressbar with the same words) and what is left. */
function LimitUsage({ e }: { e: EntitlementStatus }) {
  const id = useId();
  const used = e.used ?? 0;
  const words = ENTITLEMENT_WORDS[e.key];
  const figure = e.limit === null ? `${countOf(e.key, used)}, no limit` : `${used} of ${e.limit}${used > e.limit ? ', with extra room' : ''}`;
  const percent = e.limit === null ? 0 : e.limit === 0 ? 100 : Math.min(100, Math.round((used / e.limit) * 100));
  const decision = decisionText(e);
  const notes = [
    ...(e.remaining !== null ? [`${e.remaining} left`] : []),
    ...(e.graceTotal > 0 ? [`extra room (grace): ${e.graceLeft} of ${e.graceTotal} left`] : []),
    ...(e.key === 'collaborators.max' ? ['counted on your draft with the most'] : []),
  ];
  const state = e.decision === 'BLOCK' ? 'full' : e.decision === 'ALLOW' ? 'open' : 'near';
  return (
    <li className={`usage ${state}`} data-testid="usage" data-key={e.key}>
      <div className="usage-head">
        <span className="usage-label" id={`${id}-label`}>
          {words.label}
        </span>
        <span className="usage-figure" data-testid="usage-figure">
          {figure}
        </span>
      </div>
      {e.limit !== null && (
        <div
          className="usage-bar"
          role="progressbar"
          aria-labelledby={`${id}-label`}
          aria-valuemin={0}
          aria-valuemax={e.limit}
          aria-valuenow={Math.min(used, e.limit)}
          aria-valuetext={`${used} of ${countOf(e.key, e.limit)} used`}
        >
          <span style={{ width: `${percent}%` }} />
        </div>
      )}
      {notes.length > 0 && <p className="hint">{notes.join(' · ')}</p>}
      {decision && <p className="usage-decision">{decision}</p>}
      <OverrideNote e={e} />
    </li>
  );
}

/** A flag entitlement: included or not. */
function FlagUsage({ e }: { e: EntitlementStatus }) {
  const on = e.limit !== 0;
  return (
    <li className="usage flag" data-testid="usage" data-key={e.key}>
      <div className="usage-head">
        <span className="usage-label">{ENTITLEMENT_WORDS[e.key].label}</span>
        <span className={on ? 'flag-state on' : 'flag-state'}>
          <span aria-hidden="true">{on ? '✓ ' : '– '}</span>
          {on ? 'Included' : 'Not included'}
        </span>
      </div>
      <OverrideNote e={e} />
    </li>
  );
}

/** Every entitlement of a user: counted ones as bars, flags as included or not. */
export function UsageList({ entitlements, label }: { entitlements: EntitlementStatus[]; label: string }) {
  return (
    <ul className="plain-list usage-list" aria-label={label}>
      {entitlements.map((e) => (e.kind === 'limit' ? <LimitUsage key={e.key} e={e} /> : <FlagUsage key={e.key} e={e} />))}
    </ul>
  );
}
