// What renders as nothing: whitespace, the default-ignorable code points (zero-width space and joiners,
// word joiner, BOM, bidi marks and controls, soft hyphen, variation selectors, Hangul fillers, tags) and
// the blank Braille pattern, a known way to fake a visible name.
const BLANK = /^[\s\p{Default_Ignorable_Code_Point}\u2800]*$/u;

/** True when text shows nothing: empty, whitespace, or only invisible characters. */
export function isBlank(text: string): boolean {
  return BLANK.test(text);
}
