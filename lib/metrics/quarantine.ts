/** GET /api/v1/quarantine: the tallies of sql/queries/quarantine.ts by reason, service and day, and the samples. */
import 'server-only';
import type { QuarantineResponse } from '@/lib/contracts/quarantine';
import { runQuery } from '@/lib/query';
import { quarantineSamples, quarantineTallies } from '@/sql/queries/quarantine';
import { windowDays } from './windows';
import { byCountThenName } from './ranking';

export interface QuarantineSelection {
  from: Date;
  to: Date;
  /** The zone of the day buckets (`tz`), default UTC. */
  tz?: string;
  reason: string[];
  service: string[];
  samples: number;
}

type Tally = { day: string; reason: string; service: string; records: number };

/** Pure: the tallies as the response's breakdowns, largest first (ties by name), every day of the window. */
export function quarantineBreakdown(
  rows: readonly Tally[],
  window: { from: Date; to: Date; tz?: string },
): Pick<QuarantineResponse, 'records' | 'byReason' | 'byService' | 'series'> {
  const reasons = new Map<string, { records: number; services: Set<string> }>();
  const services = new Map<string, { records: number; reasons: Set<string> }>();
  const days = new Map<string, { records: number; byReason: Record<string, number> }>();
  for (const row of rows) {
    const reason = reasons.get(row.reason) ?? { records: 0, services: new Set() };
    reason.records += row.records;
    reason.services.add(row.service);
    reasons.set(row.reason, reason);
    const service = services.get(row.service) ?? { records: 0, reasons: new Set() };
    service.records += row.records;
    service.reasons.add(row.reason);
    services.set(row.service, service);
    const day = days.get(row.day) ?? { records: 0, byReason: {} };
    day.records += row.records;
    day.byReason[row.reason] = (day.byReason[row.reason] ?? 0) + row.records;
    days.set(row.day, day);
  }
  const largest = byCountThenName<[string, { records: number }]>(
    ([, tally]) => tally.records,
    ([name]) => name,
  );
  return {
    records: rows.reduce((sum, row) => sum + row.records, 0),
    byReason: [...reasons].sort(largest).map(([reason, tally]) => ({ reason, records: tally.records, services: tally.services.size })),
    byService: [...services]
      .sort(largest)
      .map(([service, tally]) => ({ service, records: tally.records, reasons: [...tally.reasons].sort() })),
    series: windowDays(window).map((day) => ({ day, records: days.get(day)?.records ?? 0, byReason: days.get(day)?.byReason ?? {} })),
  };
}

/** A stored record back as JSON; its text when it was cut at the quarantine's size limit. */
function parseRecord(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

export async function quarantineResponse(selection: QuarantineSelection): Promise<QuarantineResponse> {
  const params = {
    from: selection.from,
    to: selection.to,
    tz: selection.tz ?? 'UTC',
    reasons: selection.reason,
    services: selection.service,
    limit: selection.samples,
  };
  const [tallies, samples] = await Promise.all([
    runQuery(quarantineTallies, params),
    selection.samples > 0 ? runQuery(quarantineSamples, params) : Promise.resolve([]),
  ]);
  return {
    from: selection.from.toISOString(),
    to: selection.to.toISOString(),
    ...quarantineBreakdown(tallies, selection),
    samples: samples.map((row) => ({
      receivedAt: new Date(
        row.receivedAt.endsWith('Z') || row.receivedAt.includes('+') ? row.receivedAt : `${row.receivedAt.replace(' ', 'T')}Z`,
      ).toISOString(),
      reason: row.reason,
      detail: row.detail,
      eventName: row.eventName,
      service: row.service,
      record: parseRecord(row.rawRecord),
    })),
  };
}
