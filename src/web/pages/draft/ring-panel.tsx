import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Draft, RingHistory } from '../../../contract/drafts.js';
import { api } from '../../api/client.js';
import { draftKeys, localChange } from '../../api/draft-cache.js';
import { Avatar } from '../../components/avatar.js';
import { useConfirm } from '../../components/confirm-dialog.js';
import { FormError } from '../../components/form.js';
import { RelativeTime } from '../../components/relative-time.js';
import { useDraftChange } from './use-draft.js';

type Move = RingHistory['items'][number];

function describe(move: Move): string {
  if (move.kind === 'take') return `${move.to.displayName} took the ring back`;
  if (move.kind === 'return') return `The ring went back to ${move.to.displayName} when ${move.from?.displayName ?? 'its holder'} left`;
  return move.from ? `${move.from.displayName} passed the ring to ${move.to.displayName}` : `${move.to.displayName} got the ring`;
}

/** The whole history (the API lists it oldest first, a hundred at a time). */
async function readHistory(draftId: string): Promise<RingHistory> {
  let page = await api.ringHistory(draftId);
  const items = [...page.items];
  while (page.nextCursor) {
    page = await api.ringHistory(draftId, page.nextCursor);
    items.push(...page.items);
  }
  return { items, nextCursor: null };
}

/** The most recent moves shown; the rest are one click away. */
const RECENT = 5;

/** Who holds the ring, passing it on (its holder) or taking it back (the owner), and where it has been. */
export function RingPanel({ draft, userId }: { draft: Draft; userId: string }) {
  const change = useDraftChange(draft.id);
  const confirm = useConfirm();
  const [to, setTo] = useState('');
  const [all, setAll] = useState(false);
  const history = useQuery({ queryKey: draftKeys.ring(draft.id), queryFn: () => readHistory(draft.id), staleTime: Infinity });
  const moved = ({ ringHolderId }: { ringHolderId: string }) => change((d) => localChange.ringMoved(d, ringHolderId));
  const pass = useMutation({ mutationFn: () => api.passRing(draft.id, to), onSuccess: moved });
  const take = useMutation({ mutationFn: () => api.takeRing(draft.id), onSuccess: moved });
  const holder = draft.collaborators.find((c) => c.userId === draft.ringHolderId);
  const others = draft.collaborators.filter((c) => c.userId !== userId);
  const editable = draft.status === 'draft';
  const mine = draft.ringHolderId === userId;
  const canTake = editable && draft.ownerId === userId && !mine;
  const moves = [...(history.data?.items ?? [])].reverse();
  const shown = all ? moves : moves.slice(0, RECENT);

  async function askTake() {
    const ok = await confirm({
      title: 'Take the ring back?',
      body: `${holder?.displayName ?? 'The holder'} can no longer change the thread until the ring is passed back. Anything they are typing stays on their device.`,
      confirmLabel: 'Take the ring',
    });
    if (ok) take.mutate();
  }

  return (
    <section className="card ring-panel" aria-labelledby="ring-title">
      <h2 id="ring-title">The ring</h2>
      <p className="ring-holder row tight" data-testid="ring-holder">
        {holder && <Avatar userId={holder.userId} displayName={holder.displayName} />}
        <span>{mine ? 'You hold the ring.' : `The ring is with ${holder?.displayName ?? 'someone'}.`}</span>
      </p>
      {editable && mine && others.length > 0 && (
        <form
          className="row tight pass-ring"
          onSubmit={(e) => {
            e.preventDefault();
            pass.mutate();
          }}
        >
          <label htmlFor="pass-to">Pass the ring to</label>
          <select id="pass-to" value={to} onChange={(e) => setTo(e.target.value)}>
            <option value="">Choose…</option>
            {others.map((c) => (
              <option key={c.userId} value={c.userId}>
                {c.displayName}
              </option>
            ))}
          </select>
          <button type="submit" className="secondary" disabled={!to || pass.isPending}>
            Pass the ring
          </button>
        </form>
      )}
      {canTake && (
        <button type="button" className="secondary" onClick={askTake} disabled={take.isPending}>
          Take the ring
        </button>
      )}
      <FormError error={pass.error ?? take.error} />
      <h3 id="ring-history-title">History</h3>
      {history.data && moves.length === 0 && <p className="muted">The ring has not moved yet.</p>}
      <FormError error={history.error} />
      <ol className="plain-list ring-history" aria-labelledby="ring-history-title">
        {shown.map((m) => (
          <li key={`${m.passedAt}-${m.to.userId}`}>
            {describe(m)} <span className="muted">· <RelativeTime iso={m.passedAt} /></span>
          </li>
        ))}
      </ol>
      {moves.length > RECENT && (
        <button type="button" className="link-button small" onClick={() => setAll(!all)} aria-expanded={all}>
          {all ? 'Show recent moves only' : `Show all ${moves.length} moves`}
        </button>
      )}
    </section>
  );
}
