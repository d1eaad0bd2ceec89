import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { Draft } from '../../../contract/drafts.js';
import { api } from '../../api/client.js';
import { useConfirm } from '../../components/confirm-dialog.js';
import { FormError, fieldError } from '../../components/form.js';
import { useDraftAnswer } from './use-draft.js';

/** The owner's settings: the title, and the two one-way doors (publish, archive), each asked first. */
export function SettingsPanel({ draft }: { draft: Draft }) {
  const answered = useDraftAnswer(draft.id);
  const confirm = useConfirm();
  const [title, setTitle] = useState(draft.title);
  const rename = useMutation({ mutationFn: () => api.renameDraft(draft.id, title), onSuccess: answered });
  const publish = useMutation({ mutationFn: () => api.publishDraft(draft.id), onSuccess: answered });
  const archive = useMutation({ mutationFn: () => api.archiveDraft(draft.id), onSuccess: answered });
  const posts = `${draft.segments.length} ${draft.segments.length === 1 ? 'post' : 'posts'}`;

  async function askPublish() {
    const ok = await confirm({
      title: `Publish “${draft.title}”?`,
      body: `Its ${posts} are final once published: nobody can edit, add, move or delete a post afterwards.`,
      confirmLabel: 'Publish',
    });
    if (ok) publish.mutate();
  }

  async function askArchive() {
    const ok = await confirm({
      title: `Archive “${draft.title}”?`,
      body: 'An archived draft can still be read and exported, but nobody can change it any more.',
      confirmLabel: 'Archive',
      danger: true,
    });
    if (ok) archive.mutate();
  }

  return (
    <section className="card settings-panel" id="settings" aria-labelledby="settings-title">
      <h2 id="settings-title">Draft settings</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          rename.mutate();
        }}
        noValidate
      >
        <div className="field">
          <label htmlFor="rename">Title</label>
          <div className="row tight">
            <input
              id="rename"
              value={title}
              onChange={(e) => {
                setTitle(e.target.value);
                if (rename.error) rename.reset();
              }}
            />
            <button type="submit" className="secondary" disabled={rename.isPending || title === draft.title}>
              Rename
            </button>
          </div>
          {fieldError(rename.error, 'title') && (
            <p className="field-error" role="alert">
              {fieldError(rename.error, 'title')}
            </p>
          )}
        </div>
      </form>
      <FormError error={rename.error ?? publish.error ?? archive.error} fields={['title']} />
      <div className="row tight">
        <button type="button" onClick={askPublish} disabled={publish.isPending}>
          Publish
        </button>
        <button type="button" className="secondary" onClick={askArchive} disabled={archive.isPending}>
          Archive
        </button>
      </div>
      <p className="hint">Published and archived drafts can no longer change.</p>
    </section>
  );
}
