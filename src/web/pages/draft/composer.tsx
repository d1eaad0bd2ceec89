import { useMutation } from '@tanstack/react-query';
import { useMemo, useRef, type FormEvent, type KeyboardEvent } from 'react';
import type { Draft } from '../../../contract/drafts.js';
import { measurePost, postLengthProblem } from '../../../contract/platform-text.js';
import { api } from '../../api/client.js';
import { localChange } from '../../api/draft-cache.js';
import { FormError, fieldError } from '../../components/form.js';
import { PostCount } from './post-count.js';
import { keepUnsent, readUnsent, unsentKeys, useUnsent } from './unsent.js';
import { useDraftChange } from './use-draft.js';

/** Ctrl+Enter, or Cmd+Enter on a Mac: the composers people know send with it. */
export const isSendShortcut = (event: KeyboardEvent) => event.key === 'Enter' && (event.ctrlKey || event.metaKey);
export const SEND_SHORTCUT = /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘+Enter' : 'Ctrl+Enter';

type ComposerProps = {
  draft: Draft;
  userId: string;
  onTyping(typing: boolean): void;
};

/** The next post, for the ring holder: counted as the platform counts, kept locally as it is typed. */
export function Composer({ draft, userId, onTyping }: ComposerProps) {
  const key = unsentKeys.next(userId, draft.id);
  const content = useUnsent(key);
  const field = useRef<HTMLTextAreaElement>(null);
  const change = useDraftChange(draft.id);
  const { over } = useMemo(() => measurePost(draft.platform, content), [draft.platform, content]);
  const append = useMutation({
    mutationFn: (text: string) => api.appendSegment(draft.id, text),
    onSuccess: (segment, text) => {
      change((d) => localChange.appended(d, segment));
      // Only what was sent is cleared: text typed while it was on its way stays.
      if (readUnsent(key) === text) keepUnsent(key, null);
      onTyping(false);
      field.current?.focus();
    },
  });
  const problem = fieldError(append.error, 'content');
  const blank = content.trim().length === 0;

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!blank && !over && !append.isPending) append.mutate(content);
  }

  return (
    <section className="card composer" aria-labelledby="composer-title">
      <h2 id="composer-title">
        <span aria-hidden="true">◯</span> You hold the ring
      </h2>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="composer">Next post</label>
          <textarea
            id="composer"
            ref={field}
            rows={4}
            value={content}
            aria-invalid={over || problem ? true : undefined}
            aria-describedby="composer-count composer-hint"
            onChange={(e) => {
              keepUnsent(key, e.target.value);
              // An error about the text that was sent says nothing about the text now.
              if (append.error) append.reset();
              onTyping(e.target.value.length > 0);
            }}
            onKeyDown={(e) => {
              if (isSendShortcut(e)) submit();
            }}
            onBlur={() => onTyping(false)}
          />
          <div className="row spread composer-foot">
            <PostCount id="composer-count" platform={draft.platform} text={content} long />
            <span id="composer-hint" className="hint">
              <span className="shortcut-hint">{SEND_SHORTCUT} adds it · </span>kept on this device until sent
            </span>
          </div>
          {over && !problem && <p className="field-error">{postLengthProblem(draft.platform, content)}</p>}
          {problem && (
            <p className="field-error" role="alert">
              {problem}
            </p>
          )}
        </div>
        <FormError error={append.error} fields={['content']} />
        <button type="submit" disabled={append.isPending || blank || over}>
          Add post
        </button>
      </form>
    </section>
  );
}
