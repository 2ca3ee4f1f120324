import { z } from 'zod';
import { zCredentialState, zEventRow } from '@/lib/domain/event-rows';
import { EVENT_NAMES } from '../vocabulary';
import { zTimeRange } from '../api/params';

export type { CredentialState, EventRow } from '@/lib/domain/event-rows';

const subject = z.string().trim().max(2048, 'must be at most 2048 characters').default('');
const list = z
  .string()
  .max(2000)
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  );

export const zEventsQuery = z
  .object({
    userId: subject,
    credentialId: subject,
    flowId: subject,
    ceremonyId: subject,
    traceId: subject,
    eventName: list.pipe(z.array(z.enum(EVENT_NAMES)).max(20)),
    deviceClass: list.pipe(z.array(z.string().max(64)).max(20)),
    reason: list.pipe(z.array(z.string().max(128)).max(40)),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .and(zTimeRange);
export type EventsQuery = z.input<typeof zEventsQuery>;

export const zEventsResponse = z.object({
  from: z.string(),
  to: z.string(),
  limit: z.number(),
  events: z.array(zEventRow),
  /** The subject's credentials (full history, not only the window) when userId or credentialId is given. */
  credentials: z.array(zCredentialState),
  /** TRACE_URL_TEMPLATE: a trace viewer's URL with `{traceId}` where the id goes; null when not configured. */
  traceUrlTemplate: z.string().nullable(),
});
export type EventsResponse = z.infer<typeof zEventsResponse>;
