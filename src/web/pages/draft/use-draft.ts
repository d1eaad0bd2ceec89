import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Draft } from '../../../contract/drafts.js';
import type { EventList } from '../../../contract/events.js';
import { api, EVENT_PAGE } from '../../api/client.js';
import { draftKeys, localChange } from '../../api/draft-cache.js';

/**
 * The draft, read once: afterwards only its events change it (see `useLiveDraft`), so it is never stale and
 * neither focus nor a reconnect reads it again.
 */
export function useDraftQuery(id: string) {
  return useQuery({ queryKey: draftKeys.draft(id), queryFn: () => api.draft(id), staleTime: Infinity });
}

/** Every comment of the draft, read in pages of the log filtered to comments. */
async function readComments(id: string): Promise<EventList> {
  const first = await api.comments(id);
  const events = [...first.events];
  let last = first;
  while (last.events.length === EVENT_PAGE) {
    last = await api.comments(id, last.events.at(-1)!.serverSeq);
    events.push(...last.events);
  }
  return { events, lastServerSeq: last.lastServerSeq };
}

/**
 * The comments, read once the draft is there (so they are read at or after the point of the log the draft
 * shows, and the live events after it reach them), then kept by those events.
 */
export function useCommentsQuery(id: string, enabled: boolean) {
  return useQuery({ queryKey: draftKeys.comments(id), queryFn: () => readComments(id), enabled, staleTime: Infinity });
}

/** Changes the page's copy of the draft at once, from an answer of this page's own request. */
export function useDraftChange(id: string): (change: (draft: Draft) => Draft) => void {
  const queryClient = useQueryClient();
  return useCallback(
    (change) => queryClient.setQueryData<Draft>(draftKeys.draft(id), (draft) => (draft ? change(draft) : draft)),
    [queryClient, id],
  );
}

/** Takes a whole draft the server answered (rename, publish, reorder…), unless the page already shows later. */
export function useDraftAnswer(id: string): (answer: Draft) => void {
  const queryClient = useQueryClient();
  return useCallback((answer) => queryClient.setQueryData<Draft>(draftKeys.draft(id), (draft) => localChange.answered(draft, answer)), [queryClient, id]);
}
