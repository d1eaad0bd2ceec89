import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Collaborator, Draft } from '../../contract/drafts.js';
import { api } from '../api/client.js';
import { draftKeys, localChange, type InviteList } from '../api/draft-cache.js';
import { Avatar } from '../components/avatar.js';
import { useConfirm } from '../components/confirm-dialog.js';
import { FormError } from '../components/form.js';
import { RelativeTime } from '../components/relative-time.js';
import { useDraftChange } from './draft/use-draft.js';

type WritersPanelProps = {
  draft: Draft;
  userId: string;
  editable: boolean;
  onLeft(): void;
};

/** Who writes this draft; the owner removes a writer, a writer may leave; both are asked first. */
export function WritersPanel({ draft, userId, editable, onLeft }: WritersPanelProps) {
  const isOwner = draft.ownerId === userId;
  const change = useDraftChange(draft.id);
  const confirm = useConfirm();
  const remove = useMutation({
    mutationFn: (memberId: string) => api.removeCollaborator(draft.id, memberId),
    onSuccess: (_r, memberId) => (memberId === userId ? onLeft() : change((d) => localChange.left(d, memberId))),
  });

  async function askRemove(member: Collaborator) {
    const leaving = member.userId === userId;
    const holds = member.userId === draft.ringHolderId;
    const ok = await confirm(
      leaving
        ? {
            title: `Leave “${draft.title}”?`,
            body: `You will no longer see this draft; the owner can invite you again.${holds ? ' The ring goes back to the owner.' : ''}`,
            confirmLabel: 'Leave draft',
            danger: true,
          }
        : {
            title: `Remove ${member.displayName}?`,
            body: `${member.displayName} will no longer see or write this draft. Their posts stay.${holds ? ' The ring comes back to you.' : ''}`,
            confirmLabel: `Remove ${member.displayName}`,
            danger: true,
          },
    );
    if (ok) remove.mutate(member.userId);
  }

  return (
    <section className="card" aria-labelledby="people-title">
      <h2 id="people-title">Writers</h2>
      <ul className="plain-list writers">
        {draft.collaborators.map((c) => (
          <li key={c.userId} className="row spread" data-testid="collaborator">
            <span className="row tight">
              <Avatar userId={c.userId} displayName={c.displayName} size="small" />
              <span>
                {c.displayName} <span className="muted">{c.role}</span>
                {c.userId === draft.ringHolderId && <span className="badge ring">◯ ring</span>}
              </span>
            </span>
            {editable && isOwner && c.role !== 'owner' && (
              <button type="button" className="secondary small" onClick={() => askRemove(c)} aria-label={`Remove ${c.displayName}`}>
                Remove
              </button>
            )}
            {editable && !isOwner && c.userId === userId && (
              <button type="button" className="secondary small" onClick={() => askRemove(c)}>
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

/**
 * The owner's invite links: a new one is shown once (its token is never shown again); the pending ones are
 * listed until they are used, revoked or expire — live, from the draft's events.
 */
export function InvitesPanel({ draftId }: { draftId: string }) {
  const queryClient = useQueryClient();
  const [link, setLink] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const invites = useQuery({ queryKey: draftKeys.invites(draftId), queryFn: () => api.invites(draftId), staleTime: Infinity });
  const updateList = (change: (list: InviteList) => InviteList) =>
    queryClient.setQueryData<InviteList>(draftKeys.invites(draftId), (list) => (list ? change(list) : list));
  const create = useMutation({
    mutationFn: () => api.createInvite(draftId),
    onSuccess: (invite) => {
      setLink(invite.url);
      setCopied(false);
      const pending = { id: invite.id, createdAt: new Date().toISOString(), expiresAt: invite.expiresAt, status: 'pending' as const };
      updateList((list) => (list.items.some((i) => i.id === invite.id) ? list : { ...list, items: [pending, ...list.items] }));
    },
  });
  const revoke = useMutation({
    mutationFn: (inviteId: string) => api.revokeInvite(draftId, inviteId),
    onSuccess: (_r, inviteId) => updateList((list) => ({ ...list, items: list.items.map((i) => (i.id === inviteId ? { ...i, status: 'revoked' } : i)) })),
  });
  const pending = invites.data?.items.filter((i) => i.status === 'pending' && new Date(i.expiresAt) > new Date()) ?? [];

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
        <div className="row tight invite-link">
          <label htmlFor="invite-link" className="visually-hidden">
            Invite link
          </label>
          <input id="invite-link" readOnly value={link} onFocus={(e) => e.target.select()} data-testid="invite-link" />
          <button type="button" className="secondary" onClick={copy}>
            {copied ? 'Copied' : 'Copy link'}
          </button>
        </div>
      )}
      <FormError error={create.error ?? revoke.error ?? invites.error} />
      {pending.length > 0 && (
        <>
          <h3 id="pending-invites-title">Pending invites</h3>
          <ul className="plain-list" aria-labelledby="pending-invites-title">
            {pending.map((i) => (
              <li key={i.id} className="row spread" data-testid="invite">
                <span>
                  Created <RelativeTime iso={i.createdAt} /> · <span className="muted">expires <RelativeTime iso={i.expiresAt} /></span>
                </span>
                <button type="button" className="secondary small" onClick={() => revoke.mutate(i.id)}>
                  Revoke
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
