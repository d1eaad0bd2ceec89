import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { CreatedPreviewLink, PreviewLink } from '../../../contract/analytics.js';
import { api } from '../../api/client.js';
import { useConfirm } from '../../components/confirm-dialog.js';
import { FormError } from '../../components/form.js';
import { RelativeTime } from '../../components/relative-time.js';
import { copyText } from '../../components/save-file.js';

type LinkList = { items: PreviewLink[]; nextCursor: string | null };
const opened = (n: number) => (n === 0 ? 'Not opened yet' : `Opened ${n} ${n === 1 ? 'time' : 'times'}`);

/**
 * The owner's secret read-only links to the draft in progress: a new one is shown once (its token cannot be
 * shown again); each open one lists how often it was opened, and can be revoked, asked first. Once the draft
 * is published (`canCreate` false) it has its public page instead: only links still open are listed.
 */
export function PreviewLinks({ draftId, canCreate }: { draftId: string; canCreate: boolean }) {
  const queryClient = useQueryClient();
  const confirm = useConfirm();
  const key = ['preview-links', draftId];
  const [created, setCreated] = useState<CreatedPreviewLink | null>(null);
  const [copied, setCopied] = useState(false);
  /** Where focus goes once the link whose button had it is revoked and gone. */
  const createButton = useRef<HTMLButtonElement>(null);
  const links = useQuery({ queryKey: key, queryFn: () => api.previewLinks(draftId) });
  const update = (change: (items: PreviewLink[]) => PreviewLink[]) =>
    queryClient.setQueryData<LinkList>(key, (list) => (list ? { ...list, items: change(list.items) } : list));
  const create = useMutation({
    mutationFn: () => api.createPreviewLink(draftId),
    onSuccess: (link) => {
      setCreated(link);
      setCopied(false);
      const { token: _token, url: _url, ...listed } = link;
      update((items) => (items.some((i) => i.id === link.id) ? items : [listed, ...items]));
    },
  });
  const revoke = useMutation({
    mutationFn: (linkId: string) => api.revokePreviewLink(draftId, linkId),
    onSuccess: (_r, linkId) => {
      if (created?.id === linkId) setCreated(null);
      createButton.current?.focus();
      update((items) => items.filter((i) => i.id !== linkId));
      void queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const open = links.data?.items.filter((l) => l.revokedAt === null) ?? [];

  if (!canCreate && open.length === 0) return null;

  async function askRevoke(link: PreviewLink) {
    const ok = await confirm({
      title: 'Revoke this preview link?',
      body: 'Whoever has it will no longer be able to read the draft. A revoked link cannot be turned back on; you can create a new one.',
      confirmLabel: 'Revoke link',
      danger: true,
    });
    if (ok) revoke.mutate(link.id);
  }

  async function copy() {
    if (!created) return;
    if (await copyText(created.url)) setCopied(true);
    else (document.getElementById('preview-link-url') as HTMLInputElement | null)?.select();
  }

  return (
    <section className="preview-links stack tight" aria-labelledby="preview-links-title">
      <h3 id="preview-links-title">Preview links</h3>
      <p className="hint">
        Anyone with a preview link can read the draft as it is, without an account, until you revoke the link. Search engines are asked not to list it.
      </p>
      {canCreate && (
        <div>
          <button type="button" ref={createButton} className="secondary" onClick={() => create.mutate()} disabled={create.isPending}>
            Create preview link
          </button>
        </div>
      )}
      {created && (
        <div className="created-link stack tight" data-testid="created-preview-link">
          <label htmlFor="preview-link-url">New preview link</label>
          <div className="row tight">
            <input id="preview-link-url" readOnly value={created.url} onFocus={(e) => e.target.select()} aria-describedby="preview-link-once" />
            <button type="button" onClick={copy}>
              {copied ? 'Copied' : 'Copy link'}
            </button>
          </div>
          <p className="hint" id="preview-link-once">
            Copy it now: for its safety, this link is shown only this once.
          </p>
        </div>
      )}
      <FormError error={create.error ?? revoke.error ?? links.error} />
      {links.data && open.length === 0 && <p className="muted">No preview links yet.</p>}
      {open.length > 0 && (
        <ul className="plain-list link-list" aria-labelledby="preview-links-title">
          {open.map((l) => (
            <li key={l.id} className="row spread" data-testid="preview-link">
              <span id={`preview-link-${l.id}`}>
                Created <RelativeTime iso={l.createdAt} />
                <br />
                <span className="muted" data-testid="preview-link-opens">
                  {opened(l.opens)}
                  {l.lastOpenedAt && (
                    <>
                      , last <RelativeTime iso={l.lastOpenedAt} />
                    </>
                  )}
                </span>
              </span>
              <button type="button" className="secondary small" onClick={() => askRevoke(l)} disabled={revoke.isPending} aria-describedby={`preview-link-${l.id}`}>
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
