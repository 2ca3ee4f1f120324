/**
 * Reading and writing the alert tables (migration 0011). Every insert carries its own random
 * deduplication token (sql/README.md, "Embedded engine caveat").
 */
import 'server-only';
import { randomUUID } from 'node:crypto';
import { storage } from '@/lib/clickhouse';
import { runQuery } from '@/lib/query';
import type { AlertDelivery, AlertEvent, AlertSilence } from '@/lib/contracts/alerts';
import { alertDeliveryRows, alertEventRows, alertSilenceRows, alertStateRows, type SilenceRow } from '@/sql/queries/alerts-store';
import type { SeriesState } from './state-machine';

export function chTime(ms: number | Date): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

async function insert(table: string, values: Record<string, unknown>[]): Promise<void> {
  if (values.length === 0) return;
  await storage().client.insert({
    table,
    values,
    format: 'JSONEachRow',
    clickhouse_settings: {
      insert_deduplicate: 1,
      insert_deduplication_token: randomUUID(),
      distributed_foreground_insert: 1,
      log_comment: `alerts:${table}`,
    },
  });
}

export interface StoredSeries extends SeriesState {
  ruleId: string;
  seriesKey: string;
  labels: Record<string, string>;
  summary: string;
  value: number | null;
  threshold: number | null;
}

function parseLabels(text: string): Record<string, string> {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, string>) : {};
  } catch {
    return {};
  }
}

export async function loadStates(): Promise<StoredSeries[]> {
  const rows = await runQuery(alertStateRows, {});
  return rows.map((row) => ({
    ruleId: row.ruleId,
    seriesKey: row.seriesKey,
    status: row.status,
    since: Date.parse(row.since),
    notified: row.notified,
    lastFiringNoticeAt: row.lastNoticeAt === null ? null : Date.parse(row.lastNoticeAt),
    memo: row.memo,
    labels: parseLabels(row.labels),
    summary: row.summary,
    value: row.value,
    threshold: row.threshold,
  }));
}

const finite = (value: number | null) => (value === null || !Number.isFinite(value) ? null : value);

export async function saveStates(states: StoredSeries[], now: number): Promise<void> {
  await insert(
    'alert_states',
    states.map((state) => ({
      rule_id: state.ruleId,
      series_key: state.seriesKey,
      status: state.status,
      since: chTime(state.since),
      notified: state.notified,
      last_notice_at: state.lastFiringNoticeAt === null ? null : chTime(state.lastFiringNoticeAt),
      memo: state.memo,
      labels: JSON.stringify(state.labels),
      summary: state.summary,
      value: finite(state.value),
      threshold: finite(state.threshold),
      updated_at: chTime(now),
    })),
  );
}

export async function saveEvents(events: AlertEvent[]): Promise<void> {
  await insert(
    'alert_events',
    events.map((event) => ({
      id: event.id,
      at: chTime(Date.parse(event.at)),
      rule_id: event.ruleId,
      series_key: event.seriesKey,
      kind: event.kind,
      severity: event.severity,
      summary: event.summary,
      value: finite(event.value),
      threshold: finite(event.threshold),
      labels: JSON.stringify(event.labels),
    })),
  );
}

export async function saveDeliveries(deliveries: AlertDelivery[]): Promise<void> {
  await insert(
    'alert_deliveries',
    deliveries.map((delivery) => ({
      id: delivery.id,
      at: chTime(Date.parse(delivery.at)),
      event_id: delivery.eventId,
      rule_id: delivery.ruleId,
      kind: delivery.kind,
      target: delivery.target,
      format: delivery.format,
      status: delivery.status,
      attempts: delivery.attempts,
      http_status: delivery.httpStatus,
      error: delivery.error,
      duration_ms: delivery.durationMs,
    })),
  );
}

export async function listEvents(
  limit: number,
  options: { kinds?: string[]; since?: Date; ruleIds?: string[] } = {},
): Promise<AlertEvent[]> {
  const rows = await runQuery(alertEventRows, {
    limit,
    kinds: options.kinds ?? [],
    since: options.since ?? new Date(0),
    ruleIds: options.ruleIds ?? [],
  });
  return rows.map((row) => ({
    ...row,
    at: new Date(row.at).toISOString(),
    severity: row.severity === 'info' || row.severity === 'critical' ? row.severity : 'warning',
    labels: parseLabels(row.labels),
  }));
}

export async function listDeliveries(limit: number): Promise<AlertDelivery[]> {
  const rows = await runQuery(alertDeliveryRows, { limit });
  return rows.map((row) => ({ ...row, at: new Date(row.at).toISOString() }));
}

export function silenceJson(row: SilenceRow, now: number): AlertSilence {
  const iso = (value: string) => new Date(value).toISOString();
  return {
    id: row.id,
    ruleId: row.ruleId,
    seriesKey: row.seriesKey,
    createdAt: iso(row.createdAt),
    until: iso(row.until),
    reason: row.reason,
    actor: row.actor,
    expiredAt: row.expiredAt === null ? null : iso(row.expiredAt),
    expiredBy: row.expiredBy,
    active: row.expiredAt === null && Date.parse(row.until) > now,
  };
}

export async function listSilences(now: number, limit = 500): Promise<AlertSilence[]> {
  const rows = await runQuery(alertSilenceRows, { limit });
  return rows.map((row) => silenceJson(row, now));
}

export async function saveSilence(silence: AlertSilence, version: number): Promise<void> {
  await insert('alert_silences', [
    {
      id: silence.id,
      created_at: chTime(Date.parse(silence.createdAt)),
      rule_id: silence.ruleId,
      series_key: silence.seriesKey,
      until: chTime(Date.parse(silence.until)),
      reason: silence.reason,
      actor: silence.actor,
      expired_at: silence.expiredAt === null ? null : chTime(Date.parse(silence.expiredAt)),
      expired_by: silence.expiredBy,
      version,
    },
  ]);
}

export async function saveLeaseClaim(term: number, holder: string, claimedAt: number): Promise<void> {
  await insert('alert_lease', [{ term, holder, claimed_at: chTime(claimedAt) }]);
}
