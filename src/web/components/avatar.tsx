const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Up to two initials (whole graphemes, so an emoji or accented letter stays one): first and last word. */
export function initials(name: string): string {
  const words = name.replace(/^@/, '').trim().split(/[\s._-]+/).filter(Boolean);
  const first = (word: string | undefined) => (word ? ([...segmenter.segment(word)][0]?.segment ?? '') : '');
  const letters = words.length > 1 ? first(words[0]) + first(words.at(-1)) : first(words[0]);
  return letters.toLocaleUpperCase() || '?';
}

/** A stable hue for a user id, so a person keeps their colour everywhere and across sessions. */
export function hueOf(id: string): number {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % 360;
}

type AvatarProps = {
  userId: string;
  displayName: string;
  size?: 'small' | 'large';
  /** What a screen reader hears; the display name unless the avatar says more (e.g. "Thorin holds the ring"). */
  label?: string;
  /** Hidden from screen readers, where the name is written right beside it. */
  decorative?: boolean;
};

/**
 * A person's initials on their own colour. The colour is an OKLCH tone dark enough for white text at any
 * hue, set inline because it is computed from the id.
 */
export function Avatar({ userId, displayName, size, label, decorative }: AvatarProps) {
  const named = decorative ? { 'aria-hidden': true } : { role: 'img', 'aria-label': label ?? displayName };
  return (
    <span
      className={size ? `avatar ${size}` : 'avatar'}
      {...named}
      title={label ?? displayName}
      style={{ background: `oklch(46% 0.12 ${hueOf(userId)})`, color: 'white' }}
    >
      <span aria-hidden="true">{initials(displayName)}</span>
    </span>
  );
}
