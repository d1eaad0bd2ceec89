import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.js';
import { draftKeys } from '../../api/draft-cache.js';
import { Avatar } from '../../components/avatar.js';
import { FormError } from '../../components/form.js';
import { RelativeTime } from '../../components/relative-time.js';
import { Stats } from '../../components/stats.js';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The draft's figures: views, shares, posts, edits, ring passes, who wrote how much and when it last moved.
 * Read once the draft is shown (so this visit's view is counted), then again after each event that changes
 * them (see `DraftCache`) and when the page is opened or comes back into view: no polling.
 */
export function AnalyticsPanel({ draftId }: { draftId: string }) {
  const analytics = useQuery({ queryKey: draftKeys.analytics(draftId), queryFn: () => api.draftAnalytics(draftId) });
  const a = analytics.data;
  return (
    <section className="card analytics-panel" aria-labelledby="analytics-title" aria-busy={analytics.isFetching}>
      <h2 id="analytics-title">Activity</h2>
      {analytics.isPending && <p role="status">Loading…</p>}
      <FormError error={analytics.error} />
      {a && (
        <>
          <Stats
            className="compact"
            items={[
              { label: 'Views', value: a.views, testId: 'analytics-views' },
              { label: 'Shares', value: a.shares, testId: 'analytics-shares' },
              { label: 'Posts', value: a.segments, testId: 'analytics-posts' },
              { label: 'Edits', value: a.edits, testId: 'analytics-edits' },
              { label: 'Ring passes', value: a.ringPasses, testId: 'analytics-ring-passes' },
              { label: 'Writers', value: a.contributorsCount, testId: 'analytics-writers' },
            ]}
          />
          <p className="hint">Views are writers opening the draft; shares are people outside it opening its card, page or a preview link. Writers are those with a post in it.</p>
          <h3 id="contributors-title">Contributors</h3>
          {a.contributors.length === 0 ? (
            <p className="muted">Nobody has written a post yet.</p>
          ) : (
            <ul className="plain-list contributors" aria-labelledby="contributors-title">
              {a.contributors.map((c) => (
                <li key={c.userId} className="contributor" data-testid="analytics-contributor">
                  <Avatar userId={c.userId} displayName={c.displayName} size="small" decorative />
                  <span className="contributor-name">{c.displayName}</span>
                  <span className="muted">{plural(c.segments, 'post', 'posts')}</span>
                </li>
              ))}
            </ul>
          )}
          <p className="muted last-activity" data-testid="analytics-last-activity">
            {a.lastActivityAt ? (
              <>
                Last activity <RelativeTime iso={a.lastActivityAt} />
              </>
            ) : (
              'No activity yet.'
            )}
          </p>
        </>
      )}
    </section>
  );
}
