/**
 * GET /api/v1/quarantine — the records ingest rejected (kept 14 days, sql/migrations/0003): how many
 * by reason per day and by sending service, and the newest samples, redacted as stored
 * (docs/metrics-recovery-support.md, "Quarantine"; ingest/sink.ts redacts them).
 */
import { z } from 'zod';
import { zTimeRange } from '@/lib/api/params';
import { zCount } from '@/lib/metrics/contract-parts';

/** Days the quarantine keeps a record (its table's TTL). */
export const QUARANTINE_DAYS = 14;
export const MAX_QUARANTINE_SAMPLES = 200;

const list = (max: number) =>
  z
    .string()
    .max(2000, 'must be at most 2000 characters')
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().max(max, `each value must be at most ${max} characters`)).max(20, 'at most 20 values'));

export const zQuarantineQuery = z
  .object({
    /** Narrow to these rejection reasons (`invalid_attributes`, `unknown_event`, …). */
    reason: list(64),
    /** Narrow to these sending services (resource `service.name`; '' cannot be named). */
    service: list(200),
    samples: z.coerce
      .number()
      .int('must be a whole number')
      .min(0)
      .max(MAX_QUARANTINE_SAMPLES, `must be at most ${MAX_QUARANTINE_SAMPLES}`)
      .default(50),
  })
  .and(zTimeRange);
export type QuarantineQuery = z.input<typeof zQuarantineQuery>;

const zTally = z.object({ records: zCount });

export const zQuarantineResponse = z.object({
  from: z.string(),
  to: z.string(),
  /** Every rejected record in the window and selection. */
  records: zCount,
  byReason: z.array(zTally.extend({ reason: z.string(), services: zCount })),
  byService: z.array(zTally.extend({ service: z.string(), reasons: z.array(z.string()) })),
  /** Per UTC day of receipt, every day of the window, empty ones as zeros. */
  series: z.array(z.object({ day: z.iso.date(), records: zCount, byReason: z.record(z.string(), zCount) })),
  /** The newest rejected records, as stored (contact details redacted). */
  samples: z.array(
    z.object({
      receivedAt: z.iso.datetime(),
      reason: z.string(),
      detail: z.string(),
      eventName: z.string(),
      service: z.string(),
      /** The stored record: event name, time, attributes, resource, scope, trace id (JSON), or its text when it was cut. */
      record: z.unknown(),
    }),
  ),
});
export type QuarantineResponse = z.infer<typeof zQuarantineResponse>;
