import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTurnAnswer } from '../../coach/turn-format.js';
import { createLocalProvider, mirrorAnswer, turnAnswer } from './local.js';

describe('the offline provider', () => {
  it('answers a Turn with one to three distinct rewrites, the same every time for the same words', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 300 }).filter((s) => s.trim().length > 0 && !/^\s*-{3,}\s*$/m.test(s)), (post) => {
        const answer = turnAnswer(post.trim());
        expect(turnAnswer(post.trim())).toBe(answer);
        const rewrites = parseTurnAnswer(answer);
        expect(rewrites.length).toBeGreaterThanOrEqual(1);
        expect(rewrites.length).toBeLessThanOrEqual(3);
        expect(new Set(rewrites).size).toBe(rewrites.length);
      }),
    );
  });

  it('takes filler words out, opens with the point and ends inviting a reply', () => {
    const rewrites = parseTurnAnswer(turnAnswer('I think we basically shipped too late. Next time we ship on Friday.'));
    expect(rewrites[0]).toBe('We shipped too late. Next time we ship on Friday.');
    expect(rewrites[1]).toBe('Next time we ship on Friday. We shipped too late.');
    expect(rewrites[2]).toMatch(/^We shipped too late\. Next time we ship on Friday\. .+\?$/);
  });

  it('keeps "I", names and acronyms capitalised after a lead-in, and lower-cases other first words', () => {
    const leadIn = /^(The short version|Here is the point|Plainly put): /;
    const second = (post: string) => parseTurnAnswer(turnAnswer(post)).find((r) => leadIn.test(r))!.replace(leadIn, '');
    expect(second('I finally shipped the thing')).toBe('I finally shipped the thing');
    expect(second("I'm proud of this launch")).toBe("I'm proud of this launch");
    expect(second('OneRing shipped threads')).toBe('OneRing shipped threads');
    expect(second('AI drafts need an editor')).toBe('AI drafts need an editor');
    expect(second('Shipping daily adds up')).toBe('shipping daily adds up');
    expect(second('Ideas are cheap')).toBe('ideas are cheap');
  });

  it('leaves names, links and handles as they are written when it capitalises a rewrite', () => {
    const first = (post: string) => parseTurnAnswer(turnAnswer(post))[0]!;
    expect(first('iPhone photos just look really good')).toBe('iPhone photos look good');
    expect(first('eBay is basically a museum')).toBe('eBay is a museum');
    expect(first('https://example.com is just live')).toBe('https://example.com is live');
    expect(first('@sam really made this')).toBe('@sam made this');
    expect(first('we just shipped')).toBe('We shipped');
  });

  it('cuts a single word longer than its limit inside, rather than answering nothing', async () => {
    const provider = createLocalProvider();
    const answer = await provider.complete(
      { feature: 'turn', model: 'onering-local', temperature: 0, maxTokens: 10, messages: [{ role: 'user', content: 'a'.repeat(3000) }] },
      new AbortController().signal,
    );
    expect(answer).toMatchObject({ text: `A${'a'.repeat(39)}`, finishReason: 'length' });
  });

  it('answers only whole rewrites when they do not all fit, and keeps a line of dashes inside one', async () => {
    const provider = createLocalProvider();
    const post = `${'Shipping daily adds up over a year. '.repeat(20)}Small steps count.`;
    const ask = (content: string, maxTokens: number) =>
      provider.complete({ feature: 'turn', model: 'onering-local', temperature: 0, maxTokens, messages: [{ role: 'user', content }] }, new AbortController().signal);
    const all = parseTurnAnswer(turnAnswer(post));
    const some = await ask(post, 250);
    expect(some.finishReason).toBe('length');
    const kept = parseTurnAnswer(some.text);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept).toEqual(all.slice(0, kept.length));
    const dashed = parseTurnAnswer((await ask('First part\n---\nsecond part', 700)).text);
    // Two rewrites: the post has no filler words to take out, so the first would be the post itself.
    expect(dashed).toHaveLength(2);
    for (const rewrite of dashed) expect(rewrite).toMatch(/First part\n—\nsecond part|first part\n—\nsecond part/);
  });

  it('answers Mirror with an observation and one question, chosen by the words', () => {
    const one = mirrorAnswer('I keep rewriting my first line.');
    expect(one).toBe(mirrorAnswer('I keep rewriting my first line.'));
    expect(one.match(/\?/g)).toHaveLength(1);
  });

  it('stops at maxTokens with finishReason length', async () => {
    const provider = createLocalProvider();
    const answer = await provider.complete(
      { feature: 'mirror', model: 'onering-local', temperature: 0, maxTokens: 3, messages: [{ role: 'user', content: 'Hello there.' }] },
      new AbortController().signal,
    );
    expect(answer.finishReason).toBe('length');
    expect(answer.usage.outputTokens).toBeLessThanOrEqual(3);
  });
});
