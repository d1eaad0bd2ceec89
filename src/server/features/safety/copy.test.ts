import { describe, expect, it } from 'vitest';
import { SAFETY_CATEGORIES, SafetyNoticeSchema } from '../../../contract/coach.js';
import { COLD_OR_DISMISSIVE_WORDS, COMPARING_OR_SHAMING_WORDS, deniedWordsIn } from '../../../contract/supportive-copy.js';
import { noticeFor } from './copy.js';

describe('the safety notices', () => {
  it.each(SAFETY_CATEGORIES)('for %s: warm words and the four places to talk, in the contract shape', (category) => {
    const notice = SafetyNoticeSchema.parse(noticeFor(category));
    expect(notice.category).toBe(category);
    expect(notice.resources.map((r) => [r.name, r.contact, r.url])).toEqual([
      ['988 Suicide & Crisis Lifeline', 'Call or text 988', 'https://988lifeline.org'],
      ['Samaritans', 'Call 116 123', 'https://www.samaritans.org'],
      ['Crisis Text Line', 'Text HOME to 741741', 'https://www.crisistextline.org'],
      ['Find A Helpline', 'Find a free, confidential line in your country', 'https://findahelpline.com'],
    ]);
  });

  it('say a crisis plainly, and keep self-talk gentle', () => {
    expect(noticeFor('crisis').message).toContain('call your local emergency number');
    expect(noticeFor('self_harm').message).toContain('call your local emergency number');
    expect(noticeFor('harmful_self_talk').message).not.toContain('emergency');
  });

  it('never compare, shame, diagnose or dismiss, in any message or resource', () => {
    const denied = [...COMPARING_OR_SHAMING_WORDS, ...COLD_OR_DISMISSIVE_WORDS];
    for (const category of SAFETY_CATEGORIES) {
      const notice = noticeFor(category);
      for (const text of [notice.message, ...notice.resources.flatMap((r) => [r.name, r.contact])]) {
        expect(deniedWordsIn(text, denied), `${category}: ${text}`).toEqual([]);
      }
    }
  });

  it('hand each caller its own copy, so no one can change the next notice', () => {
    const first = noticeFor('crisis');
    first.resources[0]!.contact = 'changed';
    expect(noticeFor('crisis').resources[0]!.contact).toBe('Call or text 988');
  });
});
