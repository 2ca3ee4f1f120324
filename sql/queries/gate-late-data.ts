/**
 * What arrived since `since` that can change a stored daily evaluation (docs/stage-gates.md,
 * "History"): per earliest affected day, the newest `received_at` of the events received at or after
 * `since`. An event at time t can change the evaluation of every day D whose end (D + 1 day) is after
 * t − 2 h — a ceremony is judged from events up to two hours after its first one — so its earliest
 * affected day is toDate(t − 2 h); all later days are affected too (holders, trends of windows).
 * An erasure changes every day: it is reported as day 1970-01-01 with its start time.
 * The received_at minmax index (migration 0005) keeps this to the recent parts.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';

export const zGateLateDataRow = z.object({ day: z.string(), lastReceivedMs: z.number() });
export type GateLateDataRow = z.infer<typeof zGateLateDataRow>;

export const gateLateData = defineQuery({
  name: 'gate-late-data',
  params: z.object({ since: z.date() }),
  row: zGateLateDataRow,
  sql: sql`
    SELECT toString(toDate(timestamp - INTERVAL 2 HOUR)) AS day, toUnixTimestamp64Milli(max(received_at)) AS lastReceivedMs
    FROM ceremony_events
    WHERE received_at >= {since:DateTime64(3, 'UTC')}
    GROUP BY day
    UNION ALL
    SELECT '1970-01-01' AS day, toUnixTimestamp64Milli(max(erased_at)) AS lastReceivedMs
    FROM erasures
    WHERE erased_at >= {since:DateTime64(3, 'UTC')}
    HAVING count() > 0
  `.text,
});
