import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Draft } from '../../contract/drafts.js';
import { api } from '../api/client.js';
import { FormError } from '../components/form.js';

export function CollaboratorsPanel({
  draft,
  userId,
  editable,
  onChange,
  onLeft,
}: {
  draft: Draft;
  userId: string;
  editable: boolean;
  onChange(): void;
  onLeft(): void;
}) {
  const isOwner = draft.ownerId === userId;
  const remove = useMutation({
    mutationFn: (memberId: string) => api.removeCollaborator(draft.id, memberId),
    onSuccess: (_r, memberId) => (memberId === userId ? onLeft() : onChange()),
  });
  return (
    <section className="card" aria-labelledby="people-title">
      <h2 id="people-title">Writers</h2>
      <ul className="plain-list">
        {draft.collaborators.map((c) => (
          <li key={c.userId} className="row spread" data-testid="collaborator">
            <span>
              {c.displayName} <span className="muted">{c.role}</span>
              {c.userId === draft.ringHolderId && <span className="badge ring">◯ ring</span>}
            </span>
            {editable && isOwner && c.role !== 'owner' && (
              <button type="button" className="secondary" onClick={() => remove.mutate(c.userId)} aria-label={`Remove ${c.displayName}`}>
                Remove
              </button>
            )}
            {editable && !isOwner && c.userId === userId && (
              <button type="button" className="secondary" onClick={() => remove.mutate(c.userId)}>
                Leave draft
              </button>
            )}
          </li>
        ))}
      </ul>
      <FormError error={remove.error} />
    </section>
  );
}

export function InvitesPanel({ draftId }: { draftId: string }) {
  const queryClient = useQueryClient();
  const [link, setLink] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const invites = useQuery({ queryKey: ['invites', draftId], queryFn: () => api.invites(draftId) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['invites', draftId] });
  const create = useMutation({
    mutationFn: () => api.createInvite(draftId),
    onSuccess: (invite) => {
      setLink(invite.url);
      setCopied(false);
      void refresh();
    },
  });
  const revoke = useMutation({ mutationFn: (inviteId: string) => api.revokeInvite(draftId, inviteId), onSuccess: () => void refresh() });

  async function copy() {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
    } catch {
      (document.getElementById('invite-link') as HTMLInputElement | null)?.select();
    }
  }

  return (
    <section className="card" aria-labelledby="invites-title">
      <h2 id="invites-title">Invite a writer</h2>
      <p className="hint">Anyone with the link can join once, within 7 days.</p>
      <button type="button" onClick={() => create.mutate()} disabled={create.isPending}>
        Create invite link
      </button>
      {link && (
        <div className="row invite-link">
          <label htmlFor="invite-link" className="visually-hidden">
            Invite link
          </label>
          <input id="invite-link" readOnly value={link} onFocus={(e) => e.target.select()} data-testid="invite-link" />
          <button type="button" className="secondary" onClick={copy}>
            {copied ? 'Copied' : 'Copy link'}
          </button>
        </div>
      )}
      <FormError error={create.error ?? revoke.error} />
      <ul className="plain-list">
        {invites.data?.items.map((i) => (
          <li key={i.id} className="row spread" data-testid="invite">
            <span>
              Invite of {new Date(i.createdAt).toLocaleDateString()} · <strong>{i.status}</strong>
              {i.status === 'pending' && <span className="muted"> · until {new Date(i.expiresAt).toLocaleDateString()}</span>}
            </span>
            {i.status === 'pending' && (
              <button type="button" className="secondary" onClick={() => revoke.mutate(i.id)}>
                Revoke
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
