import { describe, expect, it } from 'vitest';
import { avgMinutesBetween, buildShareCard, orderContributors, type CardInput } from './card.js';
import { html } from './html.js';

const id = (n: number) => `0190f1c2-0000-7000-8000-${String(n).padStart(12, '0')}`;
const member = (n: number, displayName: string, role = 'collaborator') => ({ userId: id(n), displayName, role });

const input = (over: Partial<CardInput> = {}): CardInput => ({
  draft: { id: id(0), title: 'A thread', platform: 'x', status: 'draft', segmentCount: 3 },
  members: [member(1, 'Owner', 'owner')],
  ring: { count: 0, first: null, last: null, inLast24h: 0 },
  now: new Date('2026-03-01T09:00:00Z'),
  publicUrl: 'https://onering.example',
  ...over,
});

describe('share card model', () => {
  it('orders the owner first, then names as people read them (case and digits), then ids', () => {
    const ordered = orderContributors([member(5, 'item 10'), member(4, 'item 9'), member(3, 'bob'), member(2, 'Bob'), member(9, 'Zoë', 'owner'), member(1, 'Álvaro')]);
    expect(ordered.map((p) => p.displayName)).toEqual(['Zoë', 'Álvaro', 'Bob', 'bob', 'item 9', 'item 10']);
    expect(ordered.slice(2, 4).map((p) => p.userId)).toEqual([id(2), id(3)]);
  });

  it('averages the gaps between ring moves in whole minutes, rounding half up', () => {
    const at = (minutes: number) => new Date(Date.UTC(2026, 2, 1, 9, minutes));
    expect(avgMinutesBetween({ count: 1, first: at(0), last: at(0), inLast24h: 1 })).toBeNull();
    expect(avgMinutesBetween({ count: 2, first: at(0), last: at(0), inLast24h: 2 })).toBe(0);
    expect(avgMinutesBetween({ count: 3, first: at(0), last: at(61), inLast24h: 3 })).toBe(31);
    expect(avgMinutesBetween({ count: 4, first: at(0), last: at(10), inLast24h: 4 })).toBe(3);
  });

  it('gives the image the same hash at any time when what it shows is the same, and another when it is not', () => {
    const early = buildShareCard(input());
    const late = buildShareCard(input({ now: new Date('2026-06-01T00:00:00Z') }));
    expect(late.card.generatedAt).not.toBe(early.card.generatedAt);
    expect(late.hash).toBe(early.hash);
    expect(late.card.imageUrl).toBe(early.card.imageUrl);
    expect(buildShareCard(input({ draft: { ...input().draft, segmentCount: 4 } })).hash).not.toBe(early.hash);
  });
});

describe('html', () => {
  it('escapes every interpolated value, for text and quoted attributes alike', () => {
    const hostile = `<script>"it's" & more</script>`;
    expect(html`<p title="${hostile}">${hostile}</p>`.value).toBe(
      '<p title="&lt;script&gt;&quot;it&#39;s&quot; &amp; more&lt;/script&gt;">&lt;script&gt;&quot;it&#39;s&quot; &amp; more&lt;/script&gt;</p>',
    );
    expect(html`<ul>${['<a>', html`<li>${'&'}</li>`]}</ul>`.value).toBe('<ul>&lt;a&gt;<li>&amp;</li></ul>');
  });
});
