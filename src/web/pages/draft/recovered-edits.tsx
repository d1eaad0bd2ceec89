import type { Draft } from '../../../contract/drafts.js';
import { keepUnsent, readUnsent, unsentKeys, type UnsentEdit } from './unsent.js';

/**
 * Edits kept on this device for posts that are gone (deleted while they were being edited, here or on
 * another device): nothing typed is lost, it can go into the next post or be dropped.
 */
export function RecoveredEdits({ draft, userId, edits }: { draft: Draft; userId: string; edits: Map<string, UnsentEdit> }) {
  const orphans = [...edits.values()].filter((e) => !draft.segments.some((s) => s.id === e.segmentId));
  if (orphans.length === 0) return null;
  const nextKey = unsentKeys.next(userId, draft.id);

  function toNextPost(edit: UnsentEdit) {
    const next = readUnsent(nextKey)?.trim();
    keepUnsent(nextKey, next ? `${next}\n\n${edit.text}` : edit.text);
    keepUnsent(unsentKeys.edit(userId, draft.id, edit.segmentId), null);
  }

  return (
    <section className="card recovered" aria-labelledby="recovered-title">
      <h2 id="recovered-title">Your text from a deleted post</h2>
      <p className="hint">You were editing {orphans.length === 1 ? 'a post that was' : 'posts that were'} deleted. Your text is kept here.</p>
      <ul className="plain-list">
        {orphans.map((edit) => (
          <li key={edit.segmentId} data-testid="recovered-edit">
            <blockquote className="post-text">{edit.text}</blockquote>
            <div className="row tight">
              <button type="button" className="secondary small" onClick={() => toNextPost(edit)}>
                Move to the next post
              </button>
              <button type="button" className="secondary small" onClick={() => keepUnsent(unsentKeys.edit(userId, draft.id, edit.segmentId), null)}>
                Discard
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
