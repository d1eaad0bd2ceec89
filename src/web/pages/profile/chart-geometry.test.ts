import { describe, expect, it } from 'vitest';
import type { MomentumDay } from '../../../contract/analytics.js';
import { dayLabel, momentumChartGeometry, momentumSummary } from './chart-geometry.js';

const BOX = { width: 320, height: 120, top: 10, right: 10, bottom: 10, left: 10 };

/** 30 days ending 2026-03-30, with posts and scores where given (day index → value). */
function month(segments: Record<number, number> = {}, scores: Record<number, number> = {}): MomentumDay[] {
  return Array.from({ length: 30 }, (_, i) => ({
    date: `2026-03-${String(i + 1).padStart(2, '0')}`,
    segments: segments[i] ?? 0,
    score: scores[i] ?? 0,
  }));
}

describe('momentumChartGeometry', () => {
  it('gives each day an equal slot across the plot, the bar centred in it and the score point at its middle', () => {
    const g = momentumChartGeometry(month({ 0: 1 }), BOX);
    expect(g.bars).toHaveLength(30);
    expect(g.points).toHaveLength(30);
    // 300 units over 30 days: 10 each, a 6-unit bar starting 2 units in.
    expect(g.bars[0]).toMatchObject({ x: 12, width: 6 });
    expect(g.bars[29]).toMatchObject({ x: 302, width: 6 });
    expect(g.points[0]!.x).toBe(15);
    expect(g.points[29]!.x).toBe(305);
  });

  it('makes the busiest day fill the plot and the others proportional, standing on the baseline', () => {
    const g = momentumChartGeometry(month({ 3: 4, 4: 2, 5: 1 }), BOX);
    expect(g.maxSegments).toBe(4);
    expect(g.bars[3]).toMatchObject({ y: 10, height: 100 });
    expect(g.bars[4]).toMatchObject({ y: 60, height: 50 });
    expect(g.bars[5]).toMatchObject({ y: 85, height: 25 });
    expect(g.bars[6]).toMatchObject({ y: 110, height: 0 });
  });

  it('draws no bar and no NaN when nothing was written', () => {
    const g = momentumChartGeometry(month(), BOX);
    expect(g.maxSegments).toBe(0);
    expect(g.bars.every((b) => b.height === 0 && b.y === 110)).toBe(true);
    expect(g.path).not.toContain('NaN');
  });

  it('puts a score of 0 on the baseline and 100 at the top, through one path', () => {
    const g = momentumChartGeometry(month({}, { 0: 0, 1: 50, 2: 100 }), BOX);
    expect(g.points.slice(0, 3).map((p) => p.y)).toEqual([110, 60, 10]);
    expect(g.path.startsWith('M15 110 L25 60 L35 10 L45 110')).toBe(true);
    expect(g.scoreTicks).toEqual([
      { score: 0, y: 110 },
      { score: 50, y: 60 },
      { score: 100, y: 10 },
    ]);
  });

  it('answers the same numbers for the same days (rounded to two decimals)', () => {
    const odd = { ...BOX, width: 333 };
    const g = momentumChartGeometry(month({ 1: 3, 2: 1 }, { 2: 33 }), odd);
    expect(g).toEqual(momentumChartGeometry(month({ 1: 3, 2: 1 }, { 2: 33 }), odd));
    for (const n of g.bars.flatMap((b) => [b.x, b.y, b.width, b.height])) expect(String(n)).toMatch(/^\d+(\.\d{1,2})?$/);
  });
});

describe('the chart in words', () => {
  it('names a UTC day the same in every time zone', () => {
    expect(dayLabel('2026-03-01')).toBe('Mar 1');
  });

  it('sums the posts and the days with posts, and gives the score at both ends', () => {
    expect(momentumSummary(month({ 0: 2, 29: 1 }, { 0: 7, 29: 23 }))).toBe(
      'From Mar 1 to Mar 30: 3 posts on 2 days. Momentum score 23 on Mar 30; 7 on Mar 1.',
    );
    expect(momentumSummary(month({ 5: 1 }))).toContain('1 post on 1 day.');
  });

  it('invites the next post when the month is empty', () => {
    expect(momentumSummary(month())).toBe('No posts from Mar 1 to Mar 30 yet; the chart fills in with the next one. Momentum score 0.');
  });
});
