import { describe, expect, it } from 'vitest';
import type { ShareCard } from '../../../contract/analytics.js';
import { shareCardAlt, shareCardFilename } from './share-card-text.js';

const person = (n: number, displayName: string) => ({ userId: `01900000-0000-7000-8000-00000000000${n}`, displayName });

function card(overrides: Partial<ShareCard> & { metrics?: Partial<ShareCard['metrics']> } = {}): ShareCard {
  return {
    draftId: '01900000-0000-7000-8000-000000000100',
    title: 'Riddles in the dark',
    subtitle: 'A thread for X',
    topLine: 'Written together',
    contributors: [person(1, 'Bilbo'), person(2, 'Thorin')],
    cta: { label: 'Read it', url: 'https://onering.example/p/1' },
    theme: { background: '#000', accent: '#fff' },
    imageUrl: '/v1/drafts/1/share-card.png',
    generatedAt: '2026-05-01T10:00:00.000Z',
    ...overrides,
    metrics: { contributorsCount: 2, ringPassesLast24h: 3, avgMinutesBetweenPasses: 12, segmentsCount: 5, ...overrides.metrics },
  };
}

describe('shareCardAlt', () => {
  it('says the title, the writers and every figure the card shows', () => {
    expect(shareCardAlt(card())).toBe(
      'Share card for “Riddles in the dark” by Bilbo and Thorin: 5 posts, 2 writers, 3 ring passes in the last 24 hours, 12 minutes between passes on average.',
    );
  });

  it('counts the writers the card leaves out, and leaves out an average it does not have', () => {
    const five = ['Bilbo', 'Thorin', 'Balin', 'Dwalin', 'Kili'].map((name, i) => person(i + 1, name));
    expect(shareCardAlt(card({ contributors: five, metrics: { contributorsCount: 7, avgMinutesBetweenPasses: null, ringPassesLast24h: 1, segmentsCount: 1 } }))).toBe(
      'Share card for “Riddles in the dark” by Bilbo, Thorin, Balin, Dwalin, Kili and 2 others: 1 post, 7 writers, 1 ring pass in the last 24 hours.',
    );
  });

  it('reads without writers when nobody has written yet', () => {
    expect(shareCardAlt(card({ contributors: [], metrics: { contributorsCount: 0, segmentsCount: 0, ringPassesLast24h: 0, avgMinutesBetweenPasses: null } }))).toBe(
      'Share card for “Riddles in the dark”: 0 posts, 0 writers, 0 ring passes in the last 24 hours.',
    );
  });
});

describe('shareCardFilename', () => {
  it('makes a file name of the title', () => {
    expect(shareCardFilename('Po-tay-toes: Boil ’em, mash ’em!')).toBe('po-tay-toes-boil-em-mash-em-share-card.png');
    expect(shareCardFilename('Crème brûlée')).toBe('creme-brulee-share-card.png');
    expect(shareCardFilename('🔥🔥')).toBe('thread-share-card.png');
  });
});
