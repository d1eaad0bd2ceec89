import { createElement, type ReactElement } from 'react';
import { renderAsync } from '@resvg/resvg-js';
import { LRUCache } from 'lru-cache';
import satori from 'satori';
import { CARD_HEIGHT, CARD_WIDTH, type CardImageModel } from './card.js';
import { CardImage } from './card-image.js';
import { cardFonts } from './fonts.js';
import { PersonalCardImage } from './personal-card-image.js';
import type { PersonalImageModel } from './personal-card.js';

/** Draws a card component as SVG (satori), then PNG (resvg, on libuv's thread pool rather than the event loop). */
async function renderPng(card: (fontFamily: string) => ReactElement): Promise<Buffer> {
  const { fonts, families } = await cardFonts();
  const svg = await satori(card(families.join(', ')), { width: CARD_WIDTH, height: CARD_HEIGHT, fonts });
  const rendered = await renderAsync(svg, { fitTo: { mode: 'original' }, font: { loadSystemFonts: false } });
  return rendered.asPng();
}

/** A draft's share card as PNG. */
export function renderCardPng(model: CardImageModel): Promise<Buffer> {
  return renderPng((fontFamily) => createElement(CardImage, { model, fontFamily }));
}

/** A user's personal share card as PNG. */
export function renderPersonalCardPng(model: PersonalImageModel): Promise<Buffer> {
  return renderPng((fontFamily) => createElement(PersonalCardImage, { model, fontFamily }));
}

/** How many bytes of PNG the cache keeps (a card is 50–200 KB). */
const DEFAULT_CACHE_BYTES = 32 * 1024 * 1024;

/**
 * Card PNGs by content hash: an LRU of the bytes, and one render at a time per hash (requests for an image
 * being drawn wait for that render instead of starting another). Draft and personal cards share it; their
 * hashes start from different versions, so they never meet.
 */
export class CardImages {
  private readonly cache: LRUCache<string, Buffer>;
  private readonly drawing = new Map<string, Promise<Buffer>>();

  constructor(maxBytes = DEFAULT_CACHE_BYTES) {
    this.cache = new LRUCache<string, Buffer>({ maxSize: maxBytes, sizeCalculation: (png) => png.length });
  }

  /** The PNG of a draft's card `model`, whose content hash is `hash`. */
  png(hash: string, model: CardImageModel): Promise<Buffer> {
    return this.cached(hash, () => renderCardPng(model));
  }

  /** The PNG of a personal card `model`, whose content hash is `hash`. */
  personalPng(hash: string, model: PersonalImageModel): Promise<Buffer> {
    return this.cached(hash, () => renderPersonalCardPng(model));
  }

  private async cached(hash: string, draw: () => Promise<Buffer>): Promise<Buffer> {
    const cached = this.cache.get(hash);
    if (cached) return cached;
    let pending = this.drawing.get(hash);
    if (!pending) {
      pending = draw().finally(() => this.drawing.delete(hash));
      this.drawing.set(hash, pending);
    }
    const png = await pending;
    this.cache.set(hash, png);
    return png;
  }
}
