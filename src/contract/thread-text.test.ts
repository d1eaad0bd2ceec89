import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBlank } from './text.js';
import { formatThread, splitThread } from './thread-text.js';

describe('splitThread', () => {
  it.each([
    ['blank lines', 'one\n\ntwo\n\n\nthree', ['one', 'two', 'three']],
    ['lines of only spaces or invisible characters', 'one\n  \t\ntwo\n\u200b\nthree', ['one', 'two', 'three']],
    ['CRLF and CR line endings', 'one\r\nstill one\r\n\r\ntwo\r\rthree', ['one\nstill one', 'two', 'three']],
    ['--- lines, keeping paragraphs inside a post', 'one\n\nstill one\n---\ntwo\n  ----  \nthree', ['one\n\nstill one', 'two', 'three']],
    ['--- with CRLF', 'one\r\n---\r\ntwo', ['one', 'two']],
    ['leading and trailing space', '  one  \n\n\t two\t', ['one', 'two']],
    ['empty parts', '---\n\n---\none\n---\n \n---', ['one']],
    ['nothing', '', []],
    ['only separators and space', '\n\n  \n---\n\u200b', []],
    ['a single post', 'just one post\nover two lines', ['just one post\nover two lines']],
    ['two hyphens, which are text', 'one\n--\ntwo', ['one\n--\ntwo']],
    ['hyphens inside a line, which are text', 'a --- b\n\nc', ['a --- b', 'c']],
  ])('splits on %s', (_name, text, posts) => {
    expect(splitThread(text)).toEqual(posts);
  });
});

describe('formatThread', () => {
  const posts = ['First post.', 'Second post\nwith a line break.', 'Third.'];

  it.each([
    [{ format: 'text', numbered: false }, 'First post.\n\nSecond post\nwith a line break.\n\nThird.'],
    [{ format: 'text', numbered: true }, '1/3 First post.\n\n2/3 Second post\nwith a line break.\n\n3/3 Third.'],
    [{ format: 'text', numbered: false, title: 'Ignored in text' }, 'First post.\n\nSecond post\nwith a line break.\n\nThird.'],
    [{ format: 'markdown', numbered: false, title: 'My thread' }, '# My thread\n\nFirst post.\n\n---\n\nSecond post\nwith a line break.\n\n---\n\nThird.'],
    [{ format: 'markdown', numbered: true }, '1/3 First post.\n\n---\n\n2/3 Second post\nwith a line break.\n\n---\n\n3/3 Third.'],
  ] as const)('writes %j', (options, expected) => {
    expect(formatThread(posts, options)).toBe(expected);
  });

  it('separates posts with --- when one of them has paragraphs', () => {
    expect(formatThread(['One.\n\nStill one.', 'Two.'], { format: 'text', numbered: false })).toBe('One.\n\nStill one.\n\n---\n\nTwo.');
  });

  it('writes an empty thread as nothing, or as its title', () => {
    expect(formatThread([], { format: 'text', numbered: true })).toBe('');
    expect(formatThread([], { format: 'markdown', numbered: false, title: 'Empty' })).toBe('# Empty');
  });
});

// Posts as a thread holds them: trimmed, visible, one line ending, no separator line of their own.
const post = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc.constantFrom('', '  ', '\u200b', '--', 'a --- b', '👨‍👩‍👧‍👦', 'e\u0301', '漢字', 'https://example.com'),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((lines) => lines.join('\n').replace(/\r/g, '').trim())
  .filter((text) => !isBlank(text) && !text.split('\n').some((line) => /^[ \t]*-{3,}[ \t]*$/.test(line)));

describe('splitThread and formatThread', () => {
  it('read back the posts a thread was written from', () => {
    fc.assert(
      fc.property(fc.array(post, { maxLength: 12 }), (posts) => {
        // A lone post with paragraphs has no separator to keep them together: it reads back as its paragraphs.
        fc.pre(posts.length > 1 || !posts.some((text) => text.split('\n').some(isBlank)));
        expect(splitThread(formatThread(posts, { format: 'text', numbered: false }))).toEqual(posts);
      }),
      { numRuns: 500 },
    );
  });

  it('read back the posts of a numbered or Markdown export, without its numbers and title', () => {
    const options = fc.record({ format: fc.constantFrom('text' as const, 'markdown' as const), numbered: fc.boolean(), title: fc.constantFrom('My thread', 'Notes # 2') });
    fc.assert(
      fc.property(fc.array(post, { minLength: 2, maxLength: 12 }), options, (posts, format) => {
        // A post that is itself a lone heading, or starts like a number of its own, reads as what it looks like.
        fc.pre(!/^#[ \t]/.test(posts[0]!) && !posts.some((text) => /^\d+\/\d+ /.test(text)));
        expect(splitThread(formatThread(posts, format))).toEqual(posts);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a heading that opens a post and numbering that is not in order', () => {
    expect(splitThread('# Not a title\nbut a post\n\nTwo')).toEqual(['# Not a title\nbut a post', 'Two']);
    expect(splitThread('1/3 one\n\n3/3 two')).toEqual(['1/3 one', '3/3 two']);
  });

  it('never throw and never answer an empty post, whatever the text', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.array(fc.constantFrom('\n', '\r', '\r\n', '---', ' ', '\t', '\u200b', 'a', '-', '👨‍👩‍👧‍👦', '\u2028'), { maxLength: 60 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, (input) => {
        for (const part of splitThread(input)) {
          expect(isBlank(part)).toBe(false);
          expect(part).toBe(part.trim());
        }
      }),
      { numRuns: 1000 },
    );
  });
});
