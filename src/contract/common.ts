import { z } from 'zod';

/** A problem+json error body (RFC 9457) as every endpoint answers it. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    requestId: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .loose()
  // One component in the OpenAPI document that every error response refers to.
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof ProblemSchema>;

/**
 * A whole number in a query string, written in decimal digits only: `Number()` alone would also take
 * `0x10`, `1e2` or ` 5`.
 */
export function queryInteger(min: number, max: number, fallback: number) {
  return z.coerce
    .string()
    .regex(/^\d{1,10}$/, 'Expected a whole number written in decimal digits.')
    .pipe(z.coerce.number<string>().int().min(min).max(max))
    .default(fallback);
}

/** `?limit=&cursor=` for every cursor-paginated list. */
export const PageQuerySchema = z.object({
  limit: queryInteger(1, 100, 20),
  cursor: z.string().max(200).optional(),
});
export type PageQuery = z.infer<typeof PageQuerySchema>;

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const IdParamsSchema = z.object({ id: z.uuid() });

const FIRST_INSTANT = Date.parse('0001-01-01T00:00:00.000Z');
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

/** An ISO-8601 instant PostgreSQL can store: years 0001 to 9999 (there is no year 0000). */
export const InstantSchema = z.iso
  .datetime()
  .refine((text) => Date.parse(text) >= FIRST_INSTANT && Date.parse(text) <= LAST_INSTANT, 'Expected an instant from 0001-01-01 to 9999-12-31 (UTC).');
