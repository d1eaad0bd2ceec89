import { describe, expect, it } from 'vitest';
import { conversationOf, draftContext, MIRROR_DRAFT_CHARS, mirrorEnvelope } from './mirror-prompt.js';

const said = (role: 'user' | 'coach', content: string, safetyCategory: string | null = null) => ({ role, content, safetyCategory });

describe('the context of a Mirror reply', () => {
  it('leaves out the exchanges the safety precheck answered, both the words and the notice', () => {
    const history = [said('user', 'hello'), said('coach', 'hi'), said('user', 'held back'), said('coach', 'notice', 'crisis'), said('user', 'later')];
    expect(conversationOf(history).map((m) => m.content)).toEqual(['hello', 'hi', 'later']);
  });

  it('puts the system prompt first, the draft next, the history as user and assistant turns, and the new message last', () => {
    const envelope = mirrorEnvelope('u1', 'gpt-4o-mini', { draft: { title: 'Launch', posts: ['We shipped.'] }, history: [said('user', 'a'), said('coach', 'b')], content: 'new' });
    expect(envelope).toMatchObject({ feature: 'mirror', model: 'gpt-4o-mini', userId: 'u1' });
    expect(envelope.messages.map((m) => m.role)).toEqual(['system', 'system', 'user', 'assistant', 'user']);
    expect(envelope.messages[1]!.content).toContain('[1] We shipped.');
    expect(envelope.messages.at(-1)).toEqual({ role: 'user', content: 'new' });
  });

  it('leaves out a draft the safety precheck matches, title and posts alike, and keeps the rest of the call', () => {
    const history = [said('user', 'a'), said('coach', 'b')];
    for (const draft of [{ title: 'Launch', posts: ['We shipped.', 'I want to die'] }, { title: 'I want to die', posts: ['We shipped.'] }]) {
      const envelope = mirrorEnvelope('u1', 'gpt-4o-mini', { draft, history, content: 'new' });
      expect(envelope.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
      expect(JSON.stringify(envelope.messages)).not.toContain('die');
    }
  });

  it('cuts a long draft to its opening and says how many posts are not shown', () => {
    const posts = Array.from({ length: 40 }, (_, i) => `${i} ${'x'.repeat(400)}`);
    const context = draftContext({ title: 'Long', posts });
    expect(context.length).toBeLessThan(MIRROR_DRAFT_CHARS + 200);
    expect(context).toMatch(/The draft goes on: \d+ more posts not shown\.\)$/);
    expect(draftContext({ title: 'Short', posts: ['one', 'two'] })).not.toContain('goes on');
  });
});
