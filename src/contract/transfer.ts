import { z } from 'zod';
import { PlatformSchema, DraftStatusSchema } from './drafts.js';

/** At most this many posts come in with one import. */
export const IMPORT_MAX_POSTS = 500;

export const EXPORT_FORMATS = ['text', 'markdown', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const ExportQuerySchema = z.object({
  format: z.enum(EXPORT_FORMATS).default('text'),
  numbered: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
});

/** `GET /v1/drafts/:id/export?format=json`: the thread in order, with who wrote each post. */
export const DraftExportSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  platform: PlatformSchema,
  status: DraftStatusSchema,
  lastServerSeq: z.number().int(),
  posts: z.array(
    z.object({
      id: z.uuid(),
      position: z.number().int(),
      /** `1/n`, only when `numbered=true`. */
      label: z.string().optional(),
      content: z.string(),
      authorId: z.uuid(),
      authorDisplay: z.string(),
    }),
  ),
});
export type DraftExport = z.infer<typeof DraftExportSchema>;

export const ImportDraftBodySchema = z
  .object({
    title: z.string().max(1000),
    platform: PlatformSchema,
    /** The thread as pasted: posts separated by blank lines, or by `---` lines. */
    text: z.string().max(1_000_000),
  })
  .strict();
export type ImportDraftBody = z.infer<typeof ImportDraftBodySchema>;
