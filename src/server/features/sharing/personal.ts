import { readFile } from 'node:fs/promises';
import type { PersonalShareCard } from '../../../contract/analytics.js';
import { NotFoundError } from '../../platform/errors.js';
import { publicProfile, type MomentumDeps } from '../momentum/service.js';
import { profilePageHtml } from './pages.js';
import { buildPersonalShareCard } from './personal-card.js';
import { UUID } from './service.js';
import type { CardImages } from './renderer.js';

export type PersonalDeps = MomentumDeps & {
  publicUrl: string;
  images: CardImages;
  /** The built web app's index.html, which the profile page `/u/:id` is; null when the server has no web app. */
  webIndex: string | null;
};

type NowQuery = { now?: string | undefined };

/** The personal card of a user, from their public profile (which answers 404 for no such user). */
async function cardOf(deps: PersonalDeps, userId: string, query: NowQuery) {
  return buildPersonalShareCard(await publicProfile(deps, userId, query), deps.publicUrl);
}

/** `GET /v1/users/:id/share-card`: anyone may see it, as anyone may see the profile. */
export async function personalShareCard(deps: PersonalDeps, userId: string, query: NowQuery): Promise<PersonalShareCard> {
  return (await cardOf(deps, userId, query)).card;
}

/** The personal card image's content hash, and the PNG on demand (drawn only when the client lacks this version). */
export async function personalShareCardImage(deps: PersonalDeps, userId: string, query: NowQuery): Promise<{ hash: string; png: () => Promise<Buffer> }> {
  const { image, hash } = await cardOf(deps, userId, query);
  return { hash, png: () => deps.images.personalPng(hash, image) };
}

/**
 * The profile page `/u/:id`: the web app's index.html, with the profile's link-preview tags when there is such
 * a user; `found` false (and the page untouched, so the web app shows its own not-found) for any other id.
 */
export async function profilePage(deps: PersonalDeps & { webIndex: string }, id: string, query: NowQuery): Promise<{ found: boolean; html: string }> {
  const index = await readFile(deps.webIndex, 'utf8');
  if (!UUID.test(id)) return { found: false, html: index };
  try {
    const { card } = await cardOf(deps, id.toLowerCase(), query);
    return { found: true, html: profilePageHtml(index, card) };
  } catch (error) {
    if (error instanceof NotFoundError) return { found: false, html: index };
    throw error;
  }
}
