import { describe, expect, it } from 'vitest';
import { deniedWordsIn } from '../../../contract/supportive-copy.js';
import * as copy from './copy.js';

type Copy = Record<string, unknown>;
type Samples = Record<string, unknown[][]>;

/** Every exported copy object with its samples: `<name>` beside `<name>Samples`. */
function areas(): Array<{ name: string; strings: Copy; samples: Samples | undefined }> {
  const exports = copy as unknown as Record<string, unknown>;
  return Object.entries(exports)
    .filter(([name, value]) => !name.endsWith('Samples') && typeof value === 'object' && value !== null && !Array.isArray(value))
    .map(([name, value]) => ({ name, strings: value as Copy, samples: exports[`${name}Samples`] as Samples | undefined }));
}

/** Every string an area can produce: its plain strings, and each function called with each sample. */
function everyString(area: ReturnType<typeof areas>[number]): Array<{ where: string; text: unknown }> {
  return Object.entries(area.strings).flatMap(([key, value]) => {
    if (typeof value !== 'function') return [{ where: `${area.name}.${key}`, text: value }];
    const tuples = area.samples?.[key] ?? [];
    return tuples.map((args) => ({ where: `${area.name}.${key}(${JSON.stringify(args).slice(1, -1)})`, text: (value as (...a: unknown[]) => unknown)(...args) }));
  });
}

describe('copy', () => {
  it('has samples for every function of every area', () => {
    expect(areas().length).toBeGreaterThan(0);
    for (const area of areas()) {
      for (const [key, value] of Object.entries(area.strings)) {
        if (typeof value === 'function') expect(area.samples?.[key]?.length ?? 0, `${area.name}Samples.${key}`).toBeGreaterThan(0);
      }
    }
  });

  it('never compares the reader with others or shames them, in any combination', () => {
    const checked = areas().flatMap(everyString);
    expect(checked.length).toBeGreaterThan(0);
    for (const { where, text } of checked) {
      expect(typeof text, where).toBe('string');
      expect((text as string).trim().length, where).toBeGreaterThan(0);
      expect(deniedWordsIn(text as string), where).toEqual([]);
    }
  });

});
