import type { MomentumDay } from '../../../contract/analytics.js';

/** The drawing's size and the margins around its plot, in SVG user units. */
export type ChartBox = { width: number; height: number; top: number; right: number; bottom: number; left: number };

export type ChartBar = { date: string; segments: number; x: number; y: number; width: number; height: number };
export type ChartPoint = { date: string; score: number; x: number; y: number };

export type MomentumChartGeometry = {
  /** One bar per day, posts written that day; the tallest day fills the plot. */
  bars: ChartBar[];
  /** The momentum score (0..100 over the plot's height), one point per day at the middle of its bar. */
  points: ChartPoint[];
  /** The line through the points, as an SVG path. */
  path: string;
  /** Where the score's 0, 50 and 100 fall, for the grid lines. */
  scoreTicks: Array<{ score: number; y: number }>;
  /** The most posts in one day (what the tallest bar stands for); 0 when nothing was written. */
  maxSegments: number;
  plot: { left: number; right: number; top: number; bottom: number };
};

/** Share of a day's slot a bar takes, so neighbouring bars stay apart. */
const BAR_SHARE = 0.6;
const SCORE_MAX = 100;

/** Two decimals: enough for a crisp drawing, and the same numbers on every machine. */
const round = (n: number) => Math.round(n * 100) / 100;

/** Where the bars, the score line and its grid go for days of momentum (oldest first) in a box. */
export function momentumChartGeometry(days: readonly MomentumDay[], box: ChartBox): MomentumChartGeometry {
  const plot = { left: box.left, right: box.width - box.right, top: box.top, bottom: box.height - box.bottom };
  const plotHeight = plot.bottom - plot.top;
  const slot = days.length > 0 ? (plot.right - plot.left) / days.length : 0;
  const maxSegments = days.reduce((max, d) => Math.max(max, d.segments), 0);
  const scoreY = (score: number) => round(plot.bottom - (Math.min(Math.max(score, 0), SCORE_MAX) / SCORE_MAX) * plotHeight);

  const bars = days.map((d, i) => {
    const height = maxSegments === 0 ? 0 : round((d.segments / maxSegments) * plotHeight);
    return {
      date: d.date,
      segments: d.segments,
      x: round(plot.left + i * slot + (slot * (1 - BAR_SHARE)) / 2),
      y: round(plot.bottom - height),
      width: round(slot * BAR_SHARE),
      height,
    };
  });
  const points = days.map((d, i) => ({ date: d.date, score: d.score, x: round(plot.left + (i + 0.5) * slot), y: scoreY(d.score) }));
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x} ${p.y}`).join(' ');
  const scoreTicks = [0, 50, 100].map((score) => ({ score, y: scoreY(score) }));
  return { bars, points, path, scoreTicks, maxSegments, plot };
}

const dayFormat = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** "Mar 4" for `2026-03-04`: the day as the API means it, a UTC calendar day, whatever the reader's zone. */
export function dayLabel(date: string): string {
  return dayFormat.format(new Date(`${date}T00:00:00Z`));
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What the chart shows, in one or two sentences: its text alternative for a screen reader and a glance. */
export function momentumSummary(days: readonly MomentumDay[]): string {
  const first = days[0];
  const last = days.at(-1);
  if (!first || !last) return 'No momentum to show yet.';
  const posts = days.reduce((sum, d) => sum + d.segments, 0);
  const active = days.filter((d) => d.segments > 0).length;
  const span = `${dayLabel(first.date)} to ${dayLabel(last.date)}`;
  if (posts === 0) return `No posts from ${span} yet; the chart fills in with the next one. Momentum score ${last.score}.`;
  return `From ${span}: ${plural(posts, 'post', 'posts')} on ${plural(active, 'day', 'days')}. Momentum score ${last.score} on ${dayLabel(last.date)}; ${first.score} on ${dayLabel(first.date)}.`;
}
