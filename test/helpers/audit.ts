import { sql } from 'drizzle-orm';
import type { Db } from '../../src/server/db/client.js';

/** Makes every insert into audit_log fail in the database itself, for the length of `work`. */
export async function withAuditBroken(db: Db, work: () => Promise<void>): Promise<void> {
  await db.execute(sql.raw(`create function test_refuse_audit() returns trigger language plpgsql as $$
    begin raise exception 'audit_log is refusing writes for this test'; end $$`));
  await db.execute(sql.raw('create trigger test_refuse_audit before insert on audit_log for each row execute function test_refuse_audit()'));
  try {
    await work();
  } finally {
    await db.execute(sql.raw('drop trigger test_refuse_audit on audit_log'));
    await db.execute(sql.raw('drop function test_refuse_audit()'));
  }
}
