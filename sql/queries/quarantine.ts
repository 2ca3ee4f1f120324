/**
 * The quarantine (records ingest rejected, ingest/sink.ts): tallies by day × reason × service, and
 * the newest samples. Reads only the window's days (the table is partitioned by day of receipt).
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';

const count = z.number().int().nonnegative();

export const zQuarantineParams = z.object({
  from: z.date(),
  to: z.date(),
  /** The zone of the day buckets. */
  tz: z.string(),
  reasons: z.array(z.string()),
  services: z.array(z.string()),
  limit: z.number().int().min(0).max(1000),
});

const SELECTION = sql`received_at >= {from:DateTime64(3, 'UTC')} AND received_at < {to:DateTime64(3, 'UTC')}
  AND (empty({reasons:Array(String)}) OR has({reasons:Array(String)}, reason))
  AND (empty({services:Array(String)}) OR has({services:Array(String)}, service_name))`;

export const quarantineTallies = defineQuery({
  name: 'quarantine-tallies',
  params: zQuarantineParams,
  row: z.object({ day: z.string(), reason: z.string(), service: z.string(), records: count }),
  sql: sql`
    SELECT toString(toDate(received_at, {tz:String})) AS day, toString(reason) AS reason, toString(service_name) AS service, count() AS records
    FROM quarantine
    WHERE ${SELECTION}
    GROUP BY day, reason, service
    ORDER BY day, reason, service
  `.text,
});

export const quarantineSamples = defineQuery({
  name: 'quarantine-samples',
  params: zQuarantineParams,
  row: z.object({
    receivedAt: z.string(),
    reason: z.string(),
    detail: z.string(),
    eventName: z.string(),
    service: z.string(),
    rawRecord: z.string(),
  }),
  sql: sql`
    SELECT received_at AS receivedAt, toString(reason) AS reason, detail, toString(event_name) AS eventName,
           toString(service_name) AS service, raw_record AS rawRecord
    FROM quarantine
    WHERE ${SELECTION}
    ORDER BY received_at DESC
    LIMIT {limit:UInt32}
  `.text,
});
