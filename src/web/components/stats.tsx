import type { ReactNode } from 'react';

export type StatItem = { label: string; value: ReactNode; testId?: string };

/** A row of figures, each a big number over its label (a description list, so each reads as "label: value"). */
export function Stats({ items, className }: { items: StatItem[]; className?: string }) {
  return (
    <dl className={className ? `stats ${className}` : 'stats'}>
      {items.map((item) => (
        <div key={item.label} className="stat">
          <dt>{item.label}</dt>
          <dd data-testid={item.testId}>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
