import { useMutation } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { Platform } from '../../../contract/constants.js';
import type { Segment } from '../../../contract/drafts.js';
import { measurePost } from '../../../contract/platform-text.js';
import { api, ApiError } from '../../api/client.js';
import { localChange } from '../../api/draft-cache.js';
import { useConfirm } from '../../components/confirm-dialog.js';
import { FormError, fieldError } from '../../components/form.js';
import { isSendShortcut, SEND_SHORTCUT } from './composer.js';
import { PostCount } from './post-count.js';
import { editValue, keepUnsent, unsentKeys, type UnsentEdit } from './unsent.js';
import { useDraftChange } from './use-draft.js';

type PostEditorProps = {
  draftId: string;
  platform: Platform;
  segment: Segment;
  userId: string;
  /** The edit as kept on this device: the text typed, and the revision it started from. */
  edit: UnsentEdit;
  /** Opened by the user just now (not restored after a reload): the caret goes into it. */
  focus: boolean;
  /** Saved or given up: the editor closes. */
  onClose(): void;
};

/**
 * Edits a post in place. The save names the revision the edit started from, so a change made meanwhile
 * (on another device, by another writer) is never overwritten unseen: the server refuses it, and the editor
 * shows their text beside this one, which is kept, to save over theirs or give up.
 */
export function PostEditor({ draftId, platform, segment, userId, edit, focus, onClose }: PostEditorProps) {
  const id = useId();
  const key = unsentKeys.edit(userId, draftId, segment.id);
  const change = useDraftChange(draftId);
  const [conflict, setConflict] = useState<Segment | null>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  const confirm = useConfirm();
  // The editor opens where the user asked for it, with the caret after the text.
  useEffect(() => {
    const textarea = field.current!;
    if (!focus) return;
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    // Only as it opens: later renders leave the caret where the user put it.
  }, []);
  const { over } = useMemo(() => measurePost(platform, edit.text), [platform, edit.text]);
  const save = useMutation({
    mutationFn: ({ text, revision }: { text: string; revision: number }) => api.editSegment(draftId, segment.id, text, revision),
    onSuccess: (saved) => {
      change((d) => localChange.edited(d, saved));
      keepUnsent(key, null);
      onClose();
    },
    onError: (error) => {
      // A save that met a newer version: the problem names it.
      const current = error instanceof ApiError ? error.current<Segment>() : undefined;
      if (!current) return;
      change((d) => localChange.edited(d, current));
      setConflict(current);
    },
  });
  const blank = edit.text.trim().length === 0;
  const problem = fieldError(save.error, 'content');

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (blank || over || save.isPending) return;
    // Saving over a conflict means: on top of the version just seen, not the one the edit started from.
    const revision = conflict?.revision ?? edit.revision;
    if (conflict) keepUnsent(key, editValue(revision, edit.text));
    setConflict(null);
    save.mutate({ text: edit.text, revision });
  }

  async function discard() {
    const changed = edit.text !== (conflict ?? segment).content;
    const title = conflict ? 'Drop your text and keep theirs?' : `Discard your changes to post ${segment.position + 1}?`;
    if (changed && !(await confirm({ title, body: 'What you typed here is not kept.', confirmLabel: 'Discard', danger: true }))) return;
    keepUnsent(key, null);
    onClose();
  }

  const changedMeanwhile = !conflict && segment.revision > edit.revision;
  return (
    <form className="post-editor" onSubmit={submit} noValidate aria-label={`Edit post ${segment.position + 1}`}>
      {conflict && (
        <div className="conflict" role="alert" data-testid="edit-conflict">
          <p>
            <strong>This post was changed while you were editing it.</strong> Its text is now:
          </p>
          <blockquote className="conflict-theirs" data-testid="conflict-current">
            {conflict.content}
          </blockquote>
          <p>Your text is kept below. Save it over theirs, or keep theirs and drop yours.</p>
        </div>
      )}
      {changedMeanwhile && (
        <p className="notice warn" role="status">
          Someone changed this post since you started editing. Saving shows you both versions first.
        </p>
      )}
      <label htmlFor={`${id}-text`} className="visually-hidden">
        Text of post {segment.position + 1}
      </label>
      <textarea
        id={`${id}-text`}
        rows={4}
        ref={field}
        value={edit.text}
        aria-invalid={over || problem ? true : undefined}
        aria-describedby={`${id}-count`}
        onChange={(e) => {
          keepUnsent(key, editValue(edit.revision, e.target.value));
          if (save.error && !conflict) save.reset();
        }}
        onKeyDown={(e) => {
          if (isSendShortcut(e)) submit();
        }}
      />
      <div className="row spread">
        <PostCount id={`${id}-count`} platform={platform} text={edit.text} />
        <span className="hint shortcut-hint">{SEND_SHORTCUT} saves</span>
      </div>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      {!conflict && <FormError error={save.error} fields={['content']} />}
      <div className="row">
        <button type="submit" disabled={save.isPending || blank || over}>
          {conflict ? 'Save mine over theirs' : 'Save'}
        </button>
        <button type="button" className="secondary" onClick={discard}>
          {conflict ? 'Keep theirs' : 'Cancel'}
        </button>
      </div>
    </form>
  );
}
