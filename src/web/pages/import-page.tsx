import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useDeferredValue, useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { PLATFORM_LIMITS, type Platform } from '../../contract/constants.js';
import { measurePost, PLATFORM_NAMES, postLengthProblem } from '../../contract/platform-text.js';
import { splitThread } from '../../contract/thread-text.js';
import { api, ApiError } from '../api/client.js';
import { draftKeys } from '../api/draft-cache.js';
import { Field, FormError, fieldError } from '../components/form.js';
import { PlatformField } from '../components/platform-field.js';
import './draft/draft-page.css';

/** The server's word on one part, when it refused it (`body.text[3]`). */
function partError(error: unknown, index: number): string | undefined {
  return error instanceof ApiError ? error.fieldError(`text[${index}]`) : undefined;
}

/**
 * Pastes a thread written elsewhere into a new draft: split into posts on blank lines (or on `---` lines,
 * when a post has paragraphs of its own), each previewed and counted for the chosen platform before anything
 * is sent; the server checks them again and writes all or nothing.
 */
export function ImportPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState('');
  const [platform, setPlatform] = useState<Platform>('x');
  const [text, setText] = useState('');
  // A long paste is split and counted once typing pauses, not on every key.
  const pasted = useDeferredValue(text);
  const parts = useMemo(() => splitThread(pasted).map((post) => ({ post, ...measurePost(platform, post) })), [pasted, platform]);
  const over = parts.flatMap((p, i) => (p.over ? [i + 1] : []));
  const create = useMutation({
    mutationFn: () => api.importDraft({ title, platform, text }),
    onSuccess: (draft) => {
      queryClient.setQueryData(draftKeys.draft(draft.id), draft);
      void queryClient.invalidateQueries({ queryKey: ['drafts'] });
      navigate(`/drafts/${draft.id}`);
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (parts.length > 0 && over.length === 0) create.mutate();
  }

  const verdict =
    parts.length === 0
      ? 'Paste a thread to see its posts here.'
      : over.length === 0
        ? `${parts.length} ${parts.length === 1 ? 'post' : 'posts'}, all within ${PLATFORM_NAMES[platform]}'s ${PLATFORM_LIMITS[platform]} characters.`
        : `${over.length} of ${parts.length} posts are too long for ${PLATFORM_NAMES[platform]} (${over.join(', ')}): shorten or split them before importing.`;

  return (
    <div className="import-page with-side">
      <form onSubmit={submit} noValidate>
        <p>
          <Link to="/drafts">← Your drafts</Link>
        </p>
        <h1>Import a thread</h1>
        <p className="hint import-intro">
          Paste the whole thread. A blank line starts a new post; if your posts have paragraphs, put a line with --- between posts instead.
        </p>
        <Field label="Title" value={title} onChange={(e) => setTitle(e.target.value)} error={fieldError(create.error, 'title')} />
        <PlatformField id="import-platform" value={platform} onChange={setPlatform} />
        <div className="field">
          <label htmlFor="import-text">Thread</label>
          <textarea
            id="import-text"
            rows={14}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              if (create.error) create.reset();
            }}
            aria-describedby="import-verdict"
          />
        </div>
        <FormError error={create.error} fields={['title', ...parts.map((_, i) => `text[${i}]`)]} />
        <div className="row">
          <button type="submit" disabled={create.isPending || parts.length === 0 || over.length > 0}>
            Import {parts.length > 0 ? `${parts.length} ${parts.length === 1 ? 'post' : 'posts'}` : 'thread'}
          </button>
          <Link to="/drafts">Cancel</Link>
        </div>
      </form>
      <aside className="side" aria-labelledby="import-preview-title">
        <section className="card">
          <h2 id="import-preview-title">Posts</h2>
          <p id="import-verdict" className={over.length > 0 ? 'preview-summary over' : 'preview-summary'} role="status" data-testid="import-verdict">
            {verdict}
          </p>
          {parts.length > 0 && (
            <ol className="preview-list" aria-label="Posts to import" tabIndex={0}>
              {parts.map((part, i) => {
                const problem = partError(create.error, i) ?? (part.over ? postLengthProblem(platform, part.post) : null);
                return (
                  <li key={i} className={problem ? 'preview-post over' : 'preview-post'} data-testid="import-part">
                    <span className="post-number">
                      {i + 1}/{parts.length}
                    </span>
                    <div className="preview-body">
                      <p className="post-text">{part.post}</p>
                      <span className={part.over ? 'post-count over' : 'post-count'}>
                        {part.length} / {part.limit}
                      </span>
                      {problem && <p className="field-error">{problem}</p>}
                    </div>
                  </li>
                );
              })}
            </ol>
          )}
        </section>
      </aside>
    </div>
  );
}
