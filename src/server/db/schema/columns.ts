import { timestamp } from 'drizzle-orm/pg-core';

/** Every time column: `timestamptz`, read as a JS Date, UTC on the wire. */
export const time = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
