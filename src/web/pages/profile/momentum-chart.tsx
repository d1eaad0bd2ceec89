import { useId } from 'react';
import type { MomentumDay } from '../../../contract/analytics.js';
import { dayLabel, momentumChartGeometry, momentumSummary } from './chart-geometry.js';

/*
 * Drawn in a wide, short box stretched to the card's width (preserveAspectRatio none): bars and a line stay
 * crisp at any width, and every word is HTML beside the drawing, so it stays readable on a phone.
 */
const BOX = { width: 300, height: 100, top: 4, right: 0, bottom: 0, left: 0 };

/**
 * Thirty days of momentum: a bar for the posts written each day and a line for the day's momentum score.
 * Named and summed up for screen readers, with every number in a table one click away.
 */
export function MomentumChart({ days }: { days: readonly MomentumDay[] }) {
  const id = useId();
  const g = momentumChartGeometry(days, BOX);
  const summary = momentumSummary(days);
  const first = days[0];
  const last = days.at(-1);
  return (
    <figure className="momentum-chart">
      <svg
        role="img"
        aria-labelledby={`${id}-name`}
        aria-describedby={`${id}-summary`}
        viewBox={`0 0 ${BOX.width} ${BOX.height}`}
        preserveAspectRatio="none"
        data-testid="momentum-chart"
      >
        <title id={`${id}-name`}>Momentum over the last 30 days</title>
        {g.scoreTicks.map((t) => (
          <line key={t.score} className={t.score === 0 ? 'baseline' : 'grid'} x1={g.plot.left} x2={g.plot.right} y1={t.y} y2={t.y} vectorEffect="non-scaling-stroke" />
        ))}
        {g.bars.map((b) => (b.height > 0 ? <rect key={b.date} className="bar" x={b.x} y={b.y} width={b.width} height={b.height} rx={0.6} /> : null))}
        <path className="score-line" d={g.path} vectorEffect="non-scaling-stroke" />
      </svg>
      {first && last && (
        <div className="chart-axis" aria-hidden="true">
          <span>{dayLabel(first.date)}</span>
          <span>{dayLabel(last.date)}</span>
        </div>
      )}
      <figcaption className="stack tight">
        <p className="chart-legend">
          <span className="legend-item">
            <span className="swatch bar" aria-hidden="true" /> Posts written each day{g.maxSegments > 0 ? ` (busiest day: ${g.maxSegments})` : ''}
          </span>
          <span className="legend-item">
            <span className="swatch line" aria-hidden="true" /> Momentum score, 0 to 100 (grid at 50 and 100)
          </span>
        </p>
        <p id={`${id}-summary`} data-testid="momentum-summary">
          {summary}
        </p>
        <details>
          <summary>Show the numbers</summary>
          <div className="table-scroll">
            <table className="momentum-table" data-testid="momentum-table">
              <caption className="visually-hidden">Posts written and momentum score for each of the last 30 days</caption>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Posts</th>
                  <th scope="col">Score</th>
                </tr>
              </thead>
              <tbody>
                {days.map((d) => (
                  <tr key={d.date}>
                    <th scope="row">
                      <time dateTime={d.date}>{dayLabel(d.date)}</time>
                    </th>
                    <td>{d.segments}</td>
                    <td>{d.score}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      </figcaption>
    </figure>
  );
}
