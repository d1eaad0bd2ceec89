import { readFile } from 'node:fs/promises';
import type { SatoriOptions } from 'satori';

type Font = SatoriOptions['fonts'][number];

/** The fonts committed in the repository (assets/fonts, each folder with its OFL licence). */
const FONTS_DIR = new URL('../../../../assets/fonts/', import.meta.url);

/** Inter's script subsets, Latin first: a character takes the first family that has it. */
const INTER_SUBSETS = ['latin', 'latin-ext', 'cyrillic', 'cyrillic-ext', 'greek', 'greek-ext', 'vietnamese'];

/**
 * Inter in its script subsets at 400 and 700, then Noto Emoji. Each subset is a family of its own, listed in
 * that order: satori falls back from one family to the next per character, but not between files of one
 * family (a missing glyph would be drawn from the first). Noto Emoji is one file for a like reason: satori
 * remembers the font of a character by its first UTF-16 unit, which every emoji of a plane shares.
 */
async function loadFonts(): Promise<{ fonts: Font[]; families: string[] }> {
  const read = (path: string) => readFile(new URL(path, FONTS_DIR));
  const inter = INTER_SUBSETS.flatMap((subset) =>
    ([400, 700] as const).map(async (weight): Promise<Font> => ({
      name: `inter-${subset}`,
      data: await read(`inter/inter-${subset}-${weight}-normal.woff`),
      weight,
      style: 'normal',
    })),
  );
  const emoji: Font = { name: 'noto-emoji', data: await read('noto-emoji/noto-emoji-emoji-400-normal.woff'), weight: 400, style: 'normal' };
  const fonts = [...(await Promise.all(inter)), emoji];
  return { fonts, families: [...new Set(fonts.map((f) => f.name))] };
}

let loaded: ReturnType<typeof loadFonts> | null = null;

/**
 * The card fonts, read once per process: they are fixed files, and satori keeps its parsed form per font
 * array, so every render passing this same array skips parsing.
 */
export function cardFonts(): ReturnType<typeof loadFonts> {
  loaded ??= loadFonts().catch((error: unknown) => {
    loaded = null;
    throw error;
  });
  return loaded;
}
