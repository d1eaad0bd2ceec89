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

/** `?limit=&cursor=` for every cursor-paginated list. */
export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});
export type PageQuery = z.infer<typeof PageQuerySchema>;

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const IdParamsSchema = z.object({ id: z.uuid() });
