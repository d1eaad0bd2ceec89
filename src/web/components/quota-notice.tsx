import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { QuotaExceededFields } from '../../contract/plans.js';
import { api } from '../api/client.js';
import { quotaWords, type QuotaOwner } from './quota-copy.js';

/** The plan list, shared by every page that names plans (public, so it loads signed in or not). */
export function usePlans() {
  return useQuery({ queryKey: ['plans'], queryFn: api.plans, staleTime: 5 * 60_000 });
}

/**
 * Where an action met a plan's limit (`403 quota_exceeded`): which limit, what would make room, and the
 * way to the plan page. The one place that says it, for every gated action.
 */
export function QuotaNotice({ quota, whose = 'mine' }: { quota: QuotaExceededFields; whose?: QuotaOwner }) {
  const plans = usePlans();
  const words = quotaWords(quota, whose, plans.data?.items);
  return (
    <div className="quota-notice" role="alert" data-testid="quota-notice">
      <p className="quota-summary">{words.summary}</p>
      <p>{words.lead}</p>
      <ul>
        {words.remedies.map((remedy) => (
          <li key={remedy.text}>
            {remedy.text}
            {remedy.link && (
              <>
                {' '}
                <Link to={remedy.link.to}>{remedy.link.label}</Link>
              </>
            )}
          </li>
        ))}
      </ul>
      <p>
        <Link to="/plan">See what your plan includes</Link>
      </p>
    </div>
  );
}
