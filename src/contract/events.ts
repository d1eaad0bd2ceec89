import { z } from 'zod';
import type { DraftEventType } from './apply-event.js';
import { queryInteger } from './common.js';
import { COMMENT_MAX_LENGTH } from './constants.js';
import { PersonSchema } from './drafts.js';
import { isBlank } from './text.js';

export const DraftEventSchema = z.object({
  serverSeq: z.number().int(),
  type: z.string(),
  payload: z.record(z.string(), z.unknown()),
  actor: PersonSchema.nullable(),
  clientId: z.string().optional(),
  clientSeq: z.number().int().optional(),
  createdAt: z.iso.datetime(),
});
export type DraftEvent = z.infer<typeof DraftEventSchema>;

/** Server sequence numbers are PostgreSQL integers. */
export const MAX_SERVER_SEQ = 2_147_483_647;

export const EventListSchema = z.object({ events: z.array(DraftEventSchema), lastServerSeq: z.number().int() });
export type EventList = z.infer<typeof EventListSchema>;

// Every type the log can hold; `satisfies` keeps it in step with the typed payloads.
const EVENT_TYPES = {
  'draft.created': true,
  'draft.renamed': true,
  'draft.published': true,
  'draft.archived': true,
  'segment.appended': true,
  'segment.edited': true,
  'segment.deleted': true,
  'segments.reordered': true,
  'ring.passed': true,
  'ring.taken': true,
  'collaborator.joined': true,
  'collaborator.left': true,
  'invite.created': true,
  'invite.revoked': true,
  'comment.added': true,
} as const satisfies Record<DraftEventType, true>;
export const DRAFT_EVENT_TYPES = Object.keys(EVENT_TYPES) as DraftEventType[];

const isEventType = (type: string): type is DraftEventType => Object.hasOwn(EVENT_TYPES, type);

/** `?types=a,b`: only events of these types; absent, every type. */
const EventTypesQuerySchema = z
  .string()
  .max(2000)
  .transform((list, ctx) => {
    const types = list.split(',').map((type) => type.trim());
    const unknown = types.filter((type) => !isEventType(type));
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `Unknown event type${unknown.length > 1 ? 's' : ''} ${unknown.map((t) => `"${t}"`).join(', ')}. Known types: ${DRAFT_EVENT_TYPES.join(', ')}.`,
      });
      return z.NEVER;
    }
    return [...new Set(types as DraftEventType[])];
  })
  .optional();

export const EventsQuerySchema = z.object({
  since: queryInteger(0, MAX_SERVER_SEQ, 0),
  limit: queryInteger(1, 1000, 100),
  types: EventTypesQuerySchema,
});

/** Payloads of the event types clients may append, by type. */
export const CLIENT_EVENT_PAYLOADS = {
  'comment.added': z
    .object({
      text: z
        .string()
        .max(COMMENT_MAX_LENGTH)
        .refine((t) => !isBlank(t), 'A comment cannot be empty.'),
      /** The post commented on; the server records its position too. */
      segmentId: z.uuid().optional(),
      /** The post commented on by position, for clients that predate `segmentId`. */
      position: z.number().int().min(0).optional(),
    })
    .strict()
    .refine((p) => p.segmentId === undefined || p.position === undefined, {
      path: ['position'],
      message: 'Name the post by segmentId or by position, not both.',
    }),
} as const;
export type ClientEventType = keyof typeof CLIENT_EVENT_PAYLOADS;
export const CLIENT_EVENT_TYPES = Object.keys(CLIENT_EVENT_PAYLOADS) as ClientEventType[];

export const AppendEventBodySchema = z
  .object({
    type: z.string().min(1).max(100),
    clientId: z.string().min(1).max(100),
    clientSeq: z.number().int().min(0).max(2_147_483_647),
    payload: z.record(z.string(), z.unknown()),
  })
  .strict();
export type AppendEventBody = z.infer<typeof AppendEventBodySchema>;
