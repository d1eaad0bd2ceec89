import { describe, expect, it } from 'vitest';
import { relativeTime } from './relative-time.js';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const MINUTE = 60_000;
const said = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });

describe('relativeTime', () => {
  it.each([
    ['20 seconds ago', -20_000, said.format(0, 'second')],
    ['3 minutes ago', -3 * MINUTE, said.format(-3, 'minute')],
    ['89 minutes ago', -89 * MINUTE, said.format(-1, 'hour')],
    ['5 hours ago', -5 * 60 * MINUTE, said.format(-5, 'hour')],
    ['a day ago', -24 * 60 * MINUTE, said.format(-1, 'day')],
    ['10 days ago', -10 * 24 * 60 * MINUTE, said.format(-1, 'week')],
    ['45 days ago', -45 * 24 * 60 * MINUTE, said.format(-2, 'month')],
    ['400 days ago', -400 * 24 * 60 * MINUTE, said.format(-1, 'year')],
    ['in 2 hours', 2 * 60 * MINUTE, said.format(2, 'hour')],
  ])('says %s in the largest whole unit', (_case, offset, expected) => {
    expect(relativeTime(new Date(NOW + offset), NOW)).toBe(expected);
  });
});
