/**
 * The alert tables (migration 0011; lib/alerts/store.ts writes them): series state, notifications,
 * deliveries, silences and lease claims. Small tables: the state and silences are read whole.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';

const instant = z.string();
const limitParams = z.object({ limit: z.number().int().min(1).max(10_000) });

export const alertStateRows = defineQuery({
  name: 'alert-states',
  params: z.object({}),
  row: z.object({
    ruleId: z.string(),
    seriesKey: z.string(),
    status: z.enum(['ok', 'firing']),
    since: instant,
    notified: z.boolean(),
    lastNoticeAt: instant.nullable(),
    memo: z.string(),
    labels: z.string(),
    summary: z.string(),
    value: z.number().nullable(),
    threshold: z.number().nullable(),
  }),
  sql: sql`
    SELECT rule_id AS ruleId, series_key AS seriesKey, status, since, notified, last_notice_at AS lastNoticeAt, memo, labels,
           summary, value, threshold
    FROM alert_states FINAL
    ORDER BY rule_id, series_key
  `.text,
});

export const alertEventRows = defineQuery({
  name: 'alert-events',
  params: limitParams.extend({ kinds: z.array(z.string()), since: z.date(), ruleIds: z.array(z.string()) }),
  row: z.object({
    id: z.string(),
    at: instant,
    ruleId: z.string(),
    seriesKey: z.string(),
    kind: z.enum(['firing', 'resolved', 'test']),
    severity: z.string(),
    summary: z.string(),
    value: z.number().nullable(),
    threshold: z.number().nullable(),
    labels: z.string(),
  }),
  sql: sql`
    SELECT id, at, rule_id AS ruleId, series_key AS seriesKey, kind, severity, summary, value, threshold, labels
    FROM alert_events
    WHERE at >= {since:DateTime64(3, 'UTC')} AND (empty({kinds:Array(String)}) OR has({kinds:Array(String)}, toString(kind)))
      AND (empty({ruleIds:Array(String)}) OR has({ruleIds:Array(String)}, rule_id))
    ORDER BY at DESC, id
    LIMIT {limit:UInt32}
  `.text,
});

export const alertDeliveryRows = defineQuery({
  name: 'alert-deliveries',
  params: limitParams,
  row: z.object({
    id: z.string(),
    at: instant,
    eventId: z.string(),
    ruleId: z.string(),
    kind: z.enum(['firing', 'resolved', 'test']),
    target: z.string(),
    format: z.enum(['json', 'slack']),
    status: z.enum(['delivered', 'failed']),
    attempts: z.number().int(),
    httpStatus: z.number().int().nullable(),
    error: z.string().nullable(),
    durationMs: z.number(),
  }),
  sql: sql`
    SELECT id, at, event_id AS eventId, rule_id AS ruleId, kind, target, format, status, attempts, http_status AS httpStatus, error,
           duration_ms AS durationMs
    FROM alert_deliveries
    ORDER BY at DESC, id
    LIMIT {limit:UInt32}
  `.text,
});

export const zSilenceRow = z.object({
  id: z.string(),
  createdAt: instant,
  ruleId: z.string(),
  seriesKey: z.string(),
  until: instant,
  reason: z.string(),
  actor: z.string(),
  expiredAt: instant.nullable(),
  expiredBy: z.string().nullable(),
  version: z.number().int(),
});
export type SilenceRow = z.infer<typeof zSilenceRow>;

export const alertSilenceRows = defineQuery({
  name: 'alert-silences',
  params: limitParams,
  row: zSilenceRow,
  sql: sql`
    SELECT id, created_at AS createdAt, rule_id AS ruleId, series_key AS seriesKey, until, reason, actor, expired_at AS expiredAt,
           expired_by AS expiredBy, version
    FROM alert_silences FINAL
    ORDER BY created_at DESC, id
    LIMIT {limit:UInt32}
  `.text,
});

export const alertLeaseClaims = defineQuery({
  name: 'alert-lease-claims',
  params: z.object({ terms: z.array(z.number().int().nonnegative()) }),
  row: z.object({ term: z.number().int(), holder: z.string(), claimedAt: instant }),
  sql: sql`
    SELECT term, holder, claimed_at AS claimedAt
    FROM alert_lease
    WHERE has({terms:Array(UInt64)}, term)
    ORDER BY term, claimed_at, holder
  `.text,
});
