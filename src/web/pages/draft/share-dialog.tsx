import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Draft } from '../../../contract/drafts.js';
import { api } from '../../api/client.js';
import { Dialog } from '../../components/dialog.js';
import { FormError } from '../../components/form.js';
import { copyText, saveFile } from '../../components/save-file.js';
import { PreviewLinks } from './preview-links.js';
import { shareCardAlt, shareCardFilename } from './share-card-text.js';

/** The PNG as a data: URL: the page's policy lets images come from the app itself or data: only. */
function dataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('The image could not be read.'));
    reader.readAsDataURL(blob);
  });
}

/** The public page's address, as this browser reaches the app. */
const publicUrl = (draftId: string) => new URL(`/p/${draftId}`, window.location.origin).href;

/**
 * Sharing a draft: its card (the image other sites show for its link), the link itself once it is published
 * (a preview link before that), the card as a PNG, and for the owner the secret preview links. Both the card
 * and its image are read for the point of the log the page shows, so they follow the draft while it is open.
 */
export function ShareDialog({ draft, isOwner, onClose }: { draft: Draft; isOwner: boolean; onClose(): void }) {
  const [copied, setCopied] = useState('');
  const version = draft.lastServerSeq;
  const card = useQuery({ queryKey: ['share-card', draft.id, version], queryFn: () => api.shareCard(draft.id), placeholderData: keepPreviousData });
  const image = useQuery({
    queryKey: ['share-card-image', draft.id, version],
    queryFn: async () => {
      const { blob } = await api.shareCardImage(draft.id);
      return { blob, src: await dataUrl(blob) };
    },
    placeholderData: keepPreviousData,
  });
  const download = useMutation({
    mutationFn: async () => image.data?.blob ?? (await api.shareCardImage(draft.id)).blob,
    onSuccess: (blob) => saveFile(blob, shareCardFilename(draft.title)),
  });
  const published = draft.status === 'published';
  const link = publicUrl(draft.id);

  async function copy() {
    if (await copyText(link)) setCopied('Link copied.');
    else {
      setCopied('');
      (document.getElementById('public-link') as HTMLInputElement | null)?.select();
    }
  }

  return (
    <Dialog labelledBy="share-dialog-title" className="wide share-dialog" onCancel={onClose}>
      <h2 id="share-dialog-title">Share “{draft.title}”</h2>
      <div className="share-layout">
        <div className="share-visual">
          <figure className="share-card-preview">
            {image.data && card.data ? (
              <img src={image.data.src} alt={shareCardAlt(card.data)} width={1200} height={630} data-testid="share-card-image" />
            ) : (
              <div className="image-placeholder" role="status">
                {image.isError || card.isError ? 'The card could not be drawn.' : 'Drawing the card…'}
              </div>
            )}
            <figcaption className="row spread">
              <span className="hint">The card other sites show next to the link.</span>
              <button type="button" className="secondary small" onClick={() => download.mutate()} disabled={download.isPending}>
                Download PNG
              </button>
            </figcaption>
          </figure>
          <FormError error={card.error ?? image.error ?? download.error} />
        </div>
        <div className="share-links">
          <div className="stack tight">
            <h3>Link</h3>
            {published ? (
              <>
                <div className="row tight">
                  <label htmlFor="public-link" className="visually-hidden">
                    Public link
                  </label>
                  <input id="public-link" readOnly value={link} onFocus={(e) => e.target.select()} data-testid="public-link" />
                  <button type="button" onClick={copy}>
                    Copy link
                  </button>
                </div>
                <p className="notice" role="status">
                  {copied}
                </p>
              </>
            ) : (
              <p data-testid="no-public-link">
                This draft is in progress, so it has no public page yet: it gets one when it is published.{' '}
                {isOwner ? 'Until then, a preview link lets people read it.' : 'Until then, its owner can create a preview link for people to read it.'}
              </p>
            )}
          </div>
          {isOwner && <PreviewLinks draftId={draft.id} canCreate={!published} />}
        </div>
      </div>
      <div className="dialog-actions">
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
