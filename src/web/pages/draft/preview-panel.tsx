import { memo, useMemo, useState } from 'react';
import { PLATFORMS, type Platform } from '../../../contract/constants.js';
import type { Draft } from '../../../contract/drafts.js';
import { measurePost, PLATFORM_NAMES } from '../../../contract/platform-text.js';
import { Avatar } from '../../components/avatar.js';

function summary(over: number[], total: number, name: string): string {
  if (total === 0) return `Nothing to preview yet: the thread has no posts.`;
  if (over.length === 0) return total === 1 ? `The post fits on ${name}.` : `All ${total} posts fit on ${name}.`;
  const which = over.map((i) => i + 1).join(', ');
  return over.length === 1 ? `Post ${which} is too long for ${name}.` : `${over.length} posts are too long for ${name}: ${which}.`;
}

/**
 * The thread as it will look on a platform, chosen here (the draft's own first): numbered 1/n, each post with
 * its author and its count. Choosing another platform measures every post again before it shows.
 */
export const PreviewPanel = memo(function PreviewPanel({ draft }: { draft: Draft }) {
  const [platform, setPlatform] = useState<Platform>(draft.platform);
  const name = PLATFORM_NAMES[platform];
  const measures = useMemo(() => draft.segments.map((s) => measurePost(platform, s.content)), [platform, draft.segments]);
  const over = measures.flatMap((m, i) => (m.over ? [i] : []));
  const total = draft.segments.length;
  return (
    <section className="card preview-panel" aria-labelledby="preview-title">
      <h2 id="preview-title">Preview</h2>
      <fieldset className="platform-switch">
        <legend className="visually-hidden">Preview on</legend>
        {PLATFORMS.map((p) => (
          <label key={p} className={p === platform ? 'chosen' : undefined}>
            <input type="radio" name="preview-platform" value={p} checked={p === platform} onChange={() => setPlatform(p)} />
            {PLATFORM_NAMES[p]}
          </label>
        ))}
      </fieldset>
      <p className={over.length > 0 ? 'preview-summary over' : 'preview-summary'} role="status" data-testid="preview-summary">
        {summary(over, total, name)}
      </p>
      {total > 0 && (
        // Scrolls on its own beside a long thread; focusable so a keyboard can scroll it too.
        <ol className={`preview-list preview-${platform}`} aria-label={`The thread on ${name}`} tabIndex={0}>
          {draft.segments.map((s, i) => {
            const m = measures[i]!;
            return (
              <li key={s.id} className={m.over ? 'preview-post over' : 'preview-post'} data-testid="preview-post">
                <Avatar userId={s.authorId} displayName={s.authorDisplay} size="small" />
                <div className="preview-body">
                  <div className="row spread">
                    <strong>{s.authorDisplay}</strong>
                    <span className="muted">
                      {i + 1}/{total}
                    </span>
                  </div>
                  <p className="post-text">{s.content}</p>
                  <p className="post-count-line">
                    <span className={m.over ? 'post-count over' : 'post-count'}>
                      {m.length} / {m.limit}
                    </span>
                    {m.over && <strong className="over-label"> too long for {name}</strong>}
                  </p>
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
});
