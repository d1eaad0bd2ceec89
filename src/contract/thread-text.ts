import { isBlank } from './text.js';

/** How `formatThread` lays a thread out. */
export interface ThreadFormat {
  format: 'text' | 'markdown';
  /** Prefix each post with its place, `1/n`. */
  numbered: boolean;
  /** Markdown opens with it as a heading; plain text leaves it out, so the text pastes straight into a composer. */
  title?: string;
}

// A separator line: three or more hyphens alone on a line (a Markdown thematic break).
const SEPARATOR = /^[ \t]*-{3,}[ \t]*$/;
const EXPLICIT_BREAK = '\n\n---\n\n';

// A Markdown heading line, as a Markdown export opens with the thread's title.
const HEADING = /^#[ \t]+\S/;

/** The lines without a leading heading that stands alone (the title of a Markdown export is not a post). */
function withoutTitle(lines: string[]): string[] {
  const first = lines.findIndex((line) => !isBlank(line));
  const next = lines[first + 1];
  const alone = next === undefined || isBlank(next) || SEPARATOR.test(next);
  return first >= 0 && HEADING.test(lines[first]!) && alone ? lines.slice(first + 1) : lines;
}

/** The posts without the `1/n ` numbering `formatThread` adds, when every post carries its own. */
function withoutNumbering(posts: string[]): string[] {
  const numbered = posts.length > 0 && posts.every((post, index) => post.startsWith(`${index + 1}/${posts.length} `));
  return numbered ? posts.map((post) => post.slice(post.indexOf(' ') + 1).trim()).filter((post) => !isBlank(post)) : posts;
}

/**
 * Splits pasted text into posts. Posts are separated by `---` lines when the text has any (so a post keeps its
 * own paragraphs), otherwise by blank lines. Line endings become `\n`; each post is trimmed; posts with nothing
 * visible are dropped. What `formatThread` adds is read back out: a Markdown title heading standing alone at
 * the start, and `1/n ` numbering when every post is numbered in order.
 */
export function splitThread(text: string): string[] {
  const lines = withoutTitle(text.replace(/\r\n?/g, '\n').split('\n'));
  const explicit = lines.some((line) => SEPARATOR.test(line));
  const breaksAt = explicit ? (line: string) => SEPARATOR.test(line) : isBlank;
  const posts: string[] = [];
  let current: string[] = [];
  const close = () => {
    const post = current.join('\n').trim();
    if (!isBlank(post)) posts.push(post);
    current = [];
  };
  for (const line of lines) {
    if (breaksAt(line)) close();
    else current.push(line);
  }
  close();
  return withoutNumbering(posts);
}

/**
 * Writes a thread as one text that `splitThread` reads back into the same posts: posts are separated by a blank
 * line, or by `---` lines when a post has paragraphs of its own (and always in Markdown, where they render as
 * rules between posts).
 */
export function formatThread(posts: readonly string[], { format, numbered, title }: ThreadFormat): string {
  const body = posts.map((post, index) => (numbered ? `${index + 1}/${posts.length} ${post}` : post));
  const paragraphs = format === 'markdown' || posts.some((post) => post.split('\n').some(isBlank));
  const thread = body.join(paragraphs ? EXPLICIT_BREAK : '\n\n');
  if (format === 'text' || title === undefined) return thread;
  return posts.length === 0 ? `# ${title}` : `# ${title}\n\n${thread}`;
}
