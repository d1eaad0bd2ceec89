import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();

async function indexesOf(table: string): Promise<Record<string, string>> {
  const result = await t.database.db.execute(sql`select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename = ${table}`);
  const rows = (result as unknown as { rows: Array<{ indexname: string; indexdef: string }> }).rows;
  return Object.fromEntries(rows.map((r) => [r.indexname, r.indexdef]));
}

describe('indexes', () => {
  it('leave every column an append sets on drafts unindexed, so the hot row is updated HOT', async () => {
    // The columns every append, pass or rename sets; an index on any of them forces a new index entry
    // per change, which rules out a heap-only-tuple update of the draft's row.
    const changed = ['segment_count', 'last_server_seq', 'updated_at', 'last_activity_at'];
    for (const definition of Object.values(await indexesOf('drafts'))) {
      for (const column of changed) expect(definition).not.toContain(column);
    }
  });

  it('keep what the hot reads need', async () => {
    expect(await indexesOf('draft_members')).toHaveProperty('draft_members_user_idx');
    expect(Object.values(await indexesOf('draft_members')).join('\n')).toContain('(user_id, draft_id)');
    expect(await indexesOf('sessions')).toHaveProperty('sessions_user_created_idx');
    expect(await indexesOf('segments')).toHaveProperty('segments_draft_position_key');
    expect(await indexesOf('draft_events')).toHaveProperty('draft_events_draft_id_server_seq_pk');
    // A segment's revisions are read newest first by its key; the draft index serves attribution and deletes.
    expect(Object.values(await indexesOf('segment_revisions')).join('\n')).toContain('(segment_id, revision)');
    expect(await indexesOf('segment_revisions')).toHaveProperty('segment_revisions_draft_idx');
  });

  it('serve every analytics read without a scan of the event log', async () => {
    const events = Object.values(await indexesOf('analytics_events')).join('\n');
    // What came after `now`: all of it (the all-time leaderboard), of one draft, by or to one user.
    expect(events).toContain('analytics_events_time_idx ON public.analytics_events USING btree (occurred_at)');
    expect(events).toContain('(draft_id, occurred_at)');
    expect(events).toContain('(user_id, type, occurred_at)');
    expect(events).toContain('(target_user_id, occurred_at)');
    expect(events).toMatch(/UNIQUE INDEX analytics_events_idempotency_key .*\(idempotency_key\)/);
    // A window's day buckets (and the all-time rows, day 'infinity'); one user's days (and each change's upsert).
    const days = Object.values(await indexesOf('analytics_user_days')).join('\n');
    expect(days).toContain('analytics_user_days_day_idx ON public.analytics_user_days USING btree (day)');
    expect(days).toContain('(user_id, day)');
    // A draft's people; first segments written after `now`: everyone's, and one user's.
    const people = Object.values(await indexesOf('analytics_draft_people')).join('\n');
    expect(people).toMatch(/UNIQUE INDEX analytics_draft_people_key .*\(draft_id, user_id\) NULLS NOT DISTINCT/);
    expect(people).toContain('analytics_draft_people_user_idx ON public.analytics_draft_people USING btree (user_id, first_segment_at) WHERE');
    expect(people).toContain('analytics_draft_people_first_idx ON public.analytics_draft_people USING btree (first_segment_at) WHERE');
    expect(await indexesOf('analytics_view_marks')).toHaveProperty('analytics_view_marks_draft_id_user_id_pk');
  });

  it('leave the counters every change adds to unindexed, so the projections are updated HOT', async () => {
    const counters: Record<string, string[]> = {
      analytics_user_days: ['segments', 'segments_edited', 'rings_held', 'rings_passed', 'drafts_created', 'drafts_contributed', 'hold_ms', 'holds', 'last_active_at'],
      analytics_draft_people: ['views', 'shares', 'segments_added', 'segments_deleted', 'edits', 'ring_passes', 'last_activity_at', 'previous_first_segment_at'],
    };
    for (const [table, columns] of Object.entries(counters)) {
      for (const definition of Object.values(await indexesOf(table))) {
        for (const column of columns) expect(definition).not.toMatch(new RegExp(`[(, ]${column}[,)]`));
      }
    }
  });
});
