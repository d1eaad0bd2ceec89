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
});
