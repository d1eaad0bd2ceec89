import { sql } from 'drizzle-orm';
import { PNG } from 'pngjs';
import type { Db } from '../../src/server/db/client.js';

export type ShareRow = { channel: string; userId: string | null; key: string };

/** The DraftShared events of a draft, in recording order. */
export async function sharesOf(db: Db, draftId: string): Promise<ShareRow[]> {
  const result = await db.execute(sql`
    select payload->>'channel' as channel, user_id, idempotency_key from analytics_events
    where type = 'DraftShared' and draft_id = ${draftId} order by id`);
  return (result as unknown as { rows: Array<{ channel: string; user_id: string | null; idempotency_key: string }> }).rows.map((r) => ({
    channel: r.channel,
    userId: r.user_id,
    key: r.idempotency_key,
  }));
}

/** Width and height as the PNG's IHDR chunk states them (right after the 8-byte signature and the chunk header). */
export function ihdrSize(png: Buffer): { width: number; height: number } {
  if (png.subarray(12, 16).toString('latin1') !== 'IHDR') throw new Error('not a PNG: no IHDR chunk first');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** How many distinct RGBA colours the decoded image has. */
export function distinctColours(png: Buffer): number {
  const { data } = PNG.sync.read(png);
  const colours = new Set<number>();
  for (let i = 0; i < data.length; i += 4) colours.add(data.readUInt32BE(i));
  return colours.size;
}
