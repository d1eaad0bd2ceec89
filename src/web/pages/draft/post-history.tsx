import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/client.js';
import { Avatar } from '../../components/avatar.js';
import { FormError } from '../../components/form.js';
import { RelativeTime } from '../../components/relative-time.js';

/** Every version of a post, newest first (the current text included), read each time it is opened. */
export function PostHistory({ draftId, segmentId, position }: { draftId: string; segmentId: string; position: number }) {
  const revisions = useInfiniteQuery({
    queryKey: ['revisions', draftId, segmentId],
    queryFn: ({ pageParam }) => api.revisions(draftId, segmentId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    gcTime: 0,
  });
  const items = revisions.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="post-history" aria-labelledby={`history-${segmentId}`} data-testid="post-history">
      <h3 id={`history-${segmentId}`} className="muted">
        Versions of post {position + 1}
      </h3>
      {revisions.isPending && <p role="status">Loading versions…</p>}
      <FormError error={revisions.error} />
      <ol className="plain-list">
        {items.map((r, i) => (
          <li key={r.revision} className="revision">
            <div className="post-meta">
              <Avatar userId={r.author.userId} displayName={r.author.displayName} size="small" />
              <strong>{r.author.displayName}</strong>
              <span className="muted">
                {i === 0 ? 'current version' : `version ${r.revision}`} · <RelativeTime iso={r.writtenAt} />
              </span>
            </div>
            <p className="post-text">{r.content}</p>
          </li>
        ))}
      </ol>
      {revisions.hasNextPage && (
        <button type="button" className="secondary small" onClick={() => revisions.fetchNextPage()} disabled={revisions.isFetchingNextPage}>
          Show older versions
        </button>
      )}
    </section>
  );
}
