/**
 * A model's text as the product keeps it. A provider may send what no user could type: NUL and other
 * control characters (PostgreSQL refuses NUL in text), half of a surrogate pair, or far more than the
 * `maxTokens` it was asked for. The gateway hands on only text that can be stored and shown.
 */

/**
 * The most characters an answer may hold for its `maxTokens`: far above what a tokenizer makes of any
 * language (about four characters a token in English, one in Chinese), so only a model ignoring its limit
 * meets it.
 */
const MAX_CHARS_PER_TOKEN = 8;

export function maxAnswerChars(maxTokens: number): number {
  return maxTokens * MAX_CHARS_PER_TOKEN;
}

// NUL cannot be stored; the other C0 controls but tab, line feed and carriage return are noise no one wrote.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** Each lone surrogate half replaced by U+FFFD, then the control characters dropped (so none pairs two halves). */
function clean(text: string): string {
  return text.toWellFormed().replace(CONTROL, '');
}

/** A whole answer, cleaned and cut at the cap; `cut` says whether it had to be. */
export function cleanAnswer(text: string, maxTokens: number): { text: string; cut: boolean } {
  const cleaned = clean(text);
  const cap = maxAnswerChars(maxTokens);
  if (cleaned.length <= cap) return { text: cleaned, cut: false };
  return { text: cleaned.slice(0, endOfWholeCharacter(cleaned, cap)), cut: true };
}

/** `at`, moved back one place when it would split a surrogate pair. */
function endOfWholeCharacter(text: string, at: number): number {
  const before = text.charCodeAt(at - 1);
  return before >= 0xd800 && before <= 0xdbff ? at - 1 : at;
}

/**
 * A streamed answer, cleaned piece by piece. A high surrogate at the end of a piece waits for the next one
 * (its pair may come there); the pieces never pass the cap together, and `full` says when one would have.
 */
export class StreamedAnswerText {
  private held = '';
  private length = 0;
  private readonly cap: number;
  full = false;

  constructor(maxTokens: number) {
    this.cap = maxAnswerChars(maxTokens);
  }

  /** The part of `piece` to pass on now ('' when nothing yet, or when the answer is full). */
  push(piece: string): string {
    if (this.full) return '';
    let text = this.held + piece;
    this.held = '';
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.held = text.slice(-1);
      text = text.slice(0, -1);
    }
    return this.take(clean(text));
  }

  /** What is still held back, at the end of the stream (a lone high surrogate: U+FFFD). */
  end(): string {
    const rest = this.held;
    this.held = '';
    return this.full || rest === '' ? '' : this.take(clean(rest));
  }

  private take(text: string): string {
    const room = this.cap - this.length;
    if (text.length <= room) {
      this.length += text.length;
      return text;
    }
    this.full = true;
    const kept = text.slice(0, endOfWholeCharacter(text, room));
    this.length += kept.length;
    return kept;
  }
}
