import type { CrisisResource, SafetyCategory, SafetyNotice } from '../../../contract/coach.js';

/**
 * What the coach says when the precheck matched: warm words first, then where to talk to a person now.
 * Crisis and self-harm words say plainly that help is there today; self-talk words are gentler (a hard
 * thought, not an emergency) and still say where to talk.
 */

/** Lines that listen day and night, free; Find A Helpline covers the countries the others do not. */
export const CRISIS_RESOURCES: readonly CrisisResource[] = [
  { name: '988 Suicide & Crisis Lifeline', contact: 'Call or text 988', url: 'https://988lifeline.org', region: 'US' },
  { name: 'Samaritans', contact: 'Call 116 123', url: 'https://www.samaritans.org', region: 'GB, IE' },
  { name: 'Crisis Text Line', contact: 'Text HOME to 741741', url: 'https://www.crisistextline.org', region: 'US' },
  { name: 'Find A Helpline', contact: 'Find a free, confidential line in your country', url: 'https://findahelpline.com', region: 'international' },
];

const MESSAGES: Readonly<Record<SafetyCategory, string>> = {
  crisis:
    'Thank you for putting this into words. It sounds like you are carrying something very heavy right now, and you do not have to carry it alone. ' +
    'You matter, and people want to help you through this. Please reach out to one of the lines below today: they listen, day and night. ' +
    'If you are in danger right now, call your local emergency number.',
  self_harm:
    'It sounds like you are going through something really painful, and it took courage to write it down. You deserve care and kindness, including your own. ' +
    'If you feel like hurting yourself, talking with someone can help you through this moment: the people below listen, any time. ' +
    'If you are in danger right now, call your local emergency number.',
  harmful_self_talk:
    'That sounds like a heavy thought to carry. The words we use about ourselves on hard days are not the whole story: one moment, one post or one mistake does not decide who you are. ' +
    'Try speaking to yourself the way you would speak to a friend. If it would help to talk it through with someone, the people below listen, any time.',
};

/** The notice for a precheck match: supportive words and where to find help. */
export function noticeFor(category: SafetyCategory): SafetyNotice {
  return { category, message: MESSAGES[category], resources: CRISIS_RESOURCES.map((resource) => ({ ...resource })) };
}
