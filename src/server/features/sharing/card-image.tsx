/** @jsxRuntime automatic */
/** @jsxImportSource react */
// The pragmas keep the automatic JSX runtime however tsx is started: from a directory without this
// project's tsconfig (the browser tests' server runs in an empty one), tsx would compile React.createElement.
import type { CSSProperties, ReactElement } from 'react';
import { CARD_HEIGHT, CARD_WIDTH, type CardImageModel } from './card.js';

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The letter in a contributor's round badge: the first character of the name, past a leading `@`. */
function initial(name: string): string {
  const first = graphemes.segment(name.replace(/^@/, '')).containing(0)?.segment ?? '?';
  return first.toUpperCase();
}

/** Long titles get a smaller size so three lines hold most of them; the rest end with an ellipsis. */
function titleSize(title: string): number {
  const length = [...graphemes.segment(title)].length;
  if (length <= 40) return 68;
  if (length <= 90) return 56;
  return 44;
}

export const row: CSSProperties = { display: 'flex', flexDirection: 'row', alignItems: 'center' };
export const muted = '#cbd5e1';

function Contributor({ name, accent, background }: { name: string; accent: string; background: string }) {
  return (
    <div style={{ ...row, marginRight: 28 }}>
      <div
        style={{
          ...row,
          justifyContent: 'center',
          width: 44,
          height: 44,
          borderRadius: 22,
          backgroundColor: accent,
          color: background,
          fontSize: 22,
          fontWeight: 700,
          marginRight: 12,
        }}
      >
        {initial(name)}
      </div>
      <div style={{ display: 'flex', fontSize: 24, maxWidth: 190, overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis' }}>{name}</div>
    </div>
  );
}

export function Metric({ value, label, accent, width = 250 }: { value: string; label: string; accent: string; width?: number }) {
  return (
    <div style={{ display: 'flex', flexDirection: 'column', width }}>
      <div style={{ display: 'flex', fontSize: 48, fontWeight: 700, color: accent }}>{value}</div>
      <div style={{ display: 'flex', fontSize: 22, color: muted }}>{label}</div>
    </div>
  );
}

/** The whole card: 1200×630, the theme's background under a soft diagonal shade, white text. */
export function frame(background: string, fontFamily: string): CSSProperties {
  return {
    display: 'flex',
    flexDirection: 'column',
    width: CARD_WIDTH,
    height: CARD_HEIGHT,
    boxSizing: 'border-box',
    padding: '56px 64px',
    backgroundColor: background,
    backgroundImage: 'linear-gradient(135deg, rgba(255,255,255,0.10) 0%, rgba(0,0,0,0.35) 100%)',
    color: '#f8fafc',
    fontFamily,
  };
}

/** The ring and the product's name, at the top right of every card. */
export function Brand({ name, accent }: { name: string; accent: string }) {
  return (
    <div style={{ ...row, fontSize: 28, fontWeight: 700 }}>
      <div style={{ display: 'flex', width: 32, height: 32, borderRadius: '50%', border: `5px solid ${accent}`, marginRight: 12 }} />
      {name}
    </div>
  );
}

/** Every card's first line: what the card is about, and the brand mark. */
export function CardHeader({ topLine, brand, accent }: { topLine: string; brand: string; accent: string }) {
  return (
    <div style={{ ...row, justifyContent: 'space-between' }}>
      <div style={{ display: 'flex', fontSize: 26, fontWeight: 700, color: accent }}>{topLine}</div>
      <Brand name={brand} accent={accent} />
    </div>
  );
}

/** The 1200×630 share card of a draft, drawn from its image model alone (see `cardImageModel`). */
export function CardImage({ model, fontFamily }: { model: CardImageModel; fontFamily: string }): ReactElement {
  const { accent, background } = model.theme;
  return (
    <div style={frame(background, fontFamily)}>
      <CardHeader topLine={model.topLine} brand={model.brand} accent={accent} />
      <div
        style={{
          display: 'block',
          marginTop: 28,
          fontSize: titleSize(model.title),
          fontWeight: 700,
          lineHeight: 1.15,
          lineClamp: 3,
        }}
      >
        {model.title}
      </div>
      <div style={{ display: 'flex', marginTop: 18, fontSize: 28, color: muted }}>{model.subtitle}</div>
      <div style={{ display: 'flex', flexGrow: 1 }} />
      <div style={{ ...row, flexWrap: 'wrap' }}>
        {model.contributors.map((name, i) => (
          <Contributor key={i} name={name} accent={accent} background={background} />
        ))}
        {model.moreContributors ? <div style={{ display: 'flex', fontSize: 24, color: muted }}>{model.moreContributors}</div> : null}
      </div>
      <div style={{ display: 'flex', height: 2, backgroundColor: 'rgba(255,255,255,0.18)', margin: '24px 0' }} />
      <div style={{ ...row }}>
        {model.metrics.map((m) => (
          <Metric key={m.label} value={m.value} label={m.label} accent={accent} />
        ))}
      </div>
    </div>
  );
}
