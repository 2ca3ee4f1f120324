/**
 * What the alert rules read (lib/alerts/rules.ts; docs/alerts.md). Every window and threshold is a
 * bound parameter; the environments read are the server's (DEFAULT_ENVIRONMENT), as everywhere.
 *
 *   alertCeremonyCounts   ceremonies (successes and failures, cancels excluded) per device class,
 *                         outcome and reason, in the recent window [recentFrom, to) and the
 *                         baseline before it [from, recentFrom): the spike rules.
 *   alertIngestSources    per service and environment, the last time an event was received and how
 *                         many since `from`: the silence rule.
 *   alertQuarantineCounts per service, records rejected and accepted in the recent window and the
 *                         baseline (by time of receipt): the quarantine rule.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { CEREMONIES, ENVIRONMENT_PREDICATE, zWindowFilterParams } from './shared';

const count = z.number().int().nonnegative();

export const alertCeremonyCounts = defineQuery({
  name: 'alert-ceremony-counts',
  params: zWindowFilterParams.extend({ recentFrom: z.date(), types: z.array(z.string()) }),
  row: z.object({ deviceClass: z.string(), outcome: z.string(), reason: z.string(), recent: count, baseline: count }),
  sql: sql`
    WITH ${CEREMONIES}
    SELECT toString(device_class) AS deviceClass, toString(outcome) AS outcome, if(outcome = 'failure', toString(reason), '') AS reason,
           countIf(started_at >= {recentFrom:DateTime64(3, 'UTC')}) AS recent,
           countIf(started_at < {recentFrom:DateTime64(3, 'UTC')}) AS baseline
    FROM ceremonies
    WHERE outcome IN ('success', 'failure') AND (empty({types:Array(String)}) OR has({types:Array(String)}, type))
    GROUP BY deviceClass, outcome, reason
    ORDER BY deviceClass, outcome, reason
  `.text,
});

const zReceiptParams = z.object({ from: z.date(), to: z.date(), environments: z.array(z.string()) });

export const alertIngestSources = defineQuery({
  name: 'alert-ingest-sources',
  params: zReceiptParams,
  row: z.object({ service: z.string(), environment: z.string(), lastReceivedMs: z.coerce.number(), events: count }),
  sql: sql`
    SELECT toString(service_name) AS service, toString(environment) AS environment,
           toUnixTimestamp64Milli(max(received_at)) AS lastReceivedMs, count() AS events
    FROM ceremony_events
    WHERE received_at >= {from:DateTime64(3, 'UTC')} AND received_at < {to:DateTime64(3, 'UTC')}
      AND ${ENVIRONMENT_PREDICATE}
    GROUP BY service, environment
    ORDER BY service, environment
  `.text,
});

export const alertQuarantineCounts = defineQuery({
  name: 'alert-quarantine-counts',
  params: zReceiptParams.extend({ recentFrom: z.date() }),
  row: z.object({ service: z.string(), rejectedRecent: count, rejectedBaseline: count, acceptedRecent: count, acceptedBaseline: count }),
  sql: sql`
    SELECT service, sum(rr) AS rejectedRecent, sum(rb) AS rejectedBaseline, sum(ar) AS acceptedRecent, sum(ab) AS acceptedBaseline
    FROM (
      SELECT toString(service_name) AS service,
             countIf(received_at >= {recentFrom:DateTime64(3, 'UTC')}) AS rr, countIf(received_at < {recentFrom:DateTime64(3, 'UTC')}) AS rb,
             toUInt64(0) AS ar, toUInt64(0) AS ab
      FROM quarantine
      WHERE received_at >= {from:DateTime64(3, 'UTC')} AND received_at < {to:DateTime64(3, 'UTC')}
      GROUP BY service
      UNION ALL
      SELECT toString(service_name) AS service, toUInt64(0) AS rr, toUInt64(0) AS rb,
             countIf(received_at >= {recentFrom:DateTime64(3, 'UTC')}) AS ar, countIf(received_at < {recentFrom:DateTime64(3, 'UTC')}) AS ab
      FROM ceremony_events
      WHERE received_at >= {from:DateTime64(3, 'UTC')} AND received_at < {to:DateTime64(3, 'UTC')}
        AND ${ENVIRONMENT_PREDICATE}
      GROUP BY service
    )
    GROUP BY service
    HAVING rejectedRecent > 0
    ORDER BY service
  `.text,
});
