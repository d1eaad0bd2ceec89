/** @jsxRuntime automatic */
/** @jsxImportSource react */
// As in card-image.tsx: the automatic JSX runtime even where tsx finds no tsconfig (an empty working directory).
import type { ReactElement } from 'react';
import { CardHeader, frame, Metric, row } from './card-image.js';
import type { PersonalImageModel } from './personal-card.js';

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Display names are at most 50 characters: a long one gets a smaller size so two lines hold it. */
function nameSize(name: string): number {
  const length = [...graphemes.segment(name)].length;
  if (length <= 16) return 96;
  if (length <= 30) return 72;
  return 56;
}

/** How full the momentum bar is: the score out of 100, drawn over a faint track. */
function MomentumBar({ score, accent }: { score: number; accent: string }) {
  return (
    <div style={{ display: 'flex', width: '100%', height: 14, borderRadius: 7, backgroundColor: 'rgba(255,255,255,0.14)', marginTop: 28 }}>
      <div style={{ display: 'flex', width: `${score}%`, height: 14, borderRadius: 7, backgroundColor: accent }} />
    </div>
  );
}

/** The 1200×630 personal share card of a user, drawn from its image model alone (see `buildPersonalShareCard`). */
export function PersonalCardImage({ model, fontFamily }: { model: PersonalImageModel; fontFamily: string }): ReactElement {
  const { accent, background } = model.theme;
  return (
    <div style={frame(background, fontFamily)}>
      <CardHeader topLine={model.topLine} brand={model.brand} accent={accent} />
      <div style={{ display: 'block', marginTop: 48, fontSize: nameSize(model.displayName), fontWeight: 700, lineHeight: 1.1, lineClamp: 2 }}>
        {model.displayName}
      </div>
      <div style={{ display: 'flex', marginTop: 20, fontSize: 40, fontWeight: 700, color: accent }}>{model.archetype}</div>
      <div style={{ display: 'flex', flexGrow: 1 }} />
      <div style={{ ...row }}>
        {model.metrics.map((m) => (
          <Metric key={m.label} value={m.value} label={m.label} accent={accent} width={360} />
        ))}
      </div>
      <MomentumBar score={model.momentumScore} accent={accent} />
    </div>
  );
}
