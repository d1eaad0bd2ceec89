import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { coachKeys, coachRefresh } from './coach.js';

/** A client holding one read under each coach key, none of them stale yet. */
function seeded() {
  const client = new QueryClient();
  const keys = {
    turns: coachKeys.turns(),
    sessions: coachKeys.sessions(),
    session: coachKeys.session('s1'),
    messages: coachKeys.messages('s1'),
    active: coachKeys.goalList('active'),
    completed: coachKeys.goalList('completed'),
    goal1: coachKeys.goal('g1'),
    goal2: coachKeys.goal('g2'),
    today: coachKeys.dayActions(),
  };
  for (const key of Object.values(keys)) client.setQueryData(key, {});
  const stale = () =>
    Object.entries(keys)
      .filter(([, key]) => client.getQueryState(key)?.isInvalidated)
      .map(([name]) => name)
      .sort();
  const gone = () => Object.entries(keys).filter(([, key]) => client.getQueryState(key) === undefined).map(([name]) => name);
  return { client, stale, gone };
}

describe('coachRefresh', () => {
  it('makes a ticked action stale its goal, the goal lists and today’s actions, and nothing else', async () => {
    const { client, stale } = seeded();
    await coachRefresh.action(client, 'g1');
    expect(stale()).toEqual(['active', 'completed', 'goal1', 'today']);
  });

  it('makes a goal created or moved stale the goal lists and today’s actions (and the goal, when named)', async () => {
    const created = seeded();
    await coachRefresh.goal(created.client);
    expect(created.stale()).toEqual(['active', 'completed', 'today']);
    const moved = seeded();
    await coachRefresh.goal(moved.client, 'g2');
    expect(moved.stale()).toEqual(['active', 'completed', 'goal2', 'today']);
  });

  it('drops a deleted goal’s own read', async () => {
    const { client, stale, gone } = seeded();
    await coachRefresh.goalDeleted(client, 'g1');
    expect(gone()).toEqual(['goal1']);
    expect(stale()).toEqual(['active', 'completed', 'today']);
  });

  it('makes a session change stale the list of sessions, not a session’s messages', async () => {
    const { client, stale } = seeded();
    await coachRefresh.sessions(client);
    expect(stale()).toEqual(['sessions']);
  });
});
