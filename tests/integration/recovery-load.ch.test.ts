/**
 * Recovery load (sql/queries/recovery-load.ts) on a random population: the window's figures and its
 * buckets come from one pass (GROUPING SETS), the stage gate and the alerts ask the same text without
 * buckets (`recoveryLoadTotals`). Checked against the definition computed here from the records —
 * |A(W)| and each bucket's own active users (distinct users with a successful sign-in in it), the
 * recoveries started per method in W and in each bucket — and the two texts against each other, for
 * windows cutting days and hours, day and week buckets, with and without a device-class filter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJson } from '@/ingest/decode';
import { insertEvents } from '@/ingest/sink';
import { mapRecords } from '@/ingest/to-rows';
import type { Filters } from '@/lib/api/params';
import { setStorage } from '@/lib/clickhouse';
import { runQuery } from '@/lib/query';
import { recoveryLoad, recoveryLoadTotals, recoveryTotals } from '@/sql/queries/recovery-load';
import { windowFilterParams } from '@/sql/queries/shared';
import { Rng } from '../helpers/fuzz';
import { otlpJson, type TestRecord } from '../helpers/otlp';
import { tempStore } from '../helpers/temp-store';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A seeded generator (the fuzz tests' mulberry32): the same population on every run. */
function random(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

const DEVICE_CLASSES = ['desktop-windows', 'mobile-android', 'mobile-ios'] as const;
const METHODS = ['email_magic_link', 'sms_code', 'support_agent_override', 'saved_recovery_code'] as const;
const ENDINGS = ['completed', 'failed', 'abandoned', undefined] as const;

const now = Math.floor(Date.now() / HOUR) * HOUR - 11 * MINUTE;
const START = now - 20 * DAY;

interface Fact {
  kind: 'sign_in' | 'recovery_start';
  user: string;
  at: number;
  deviceClass: string;
  method?: string;
}

function population(): { records: TestRecord[]; facts: Fact[] } {
  const next = random(29);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const records: TestRecord[] = [];
  const facts: Fact[] = [];
  for (let u = 0; u < 90; u++) {
    const user = `rec-load-${u}`;
    const deviceClass = pick(DEVICE_CLASSES);
    const who = { 'user.id': user, 'device.class': deviceClass };
    for (let i = Math.floor(next() * 12); i > 0; i--) {
      const at = START + Math.floor(next() * 20 * DAY);
      const ok = next() < 0.85;
      records.push({
        eventName: 'auth.sign_in',
        timeMs: at,
        attributes: {
          ...who,
          'auth.flow.id': `flw-rl-${u}-s${i}`,
          'auth.method': pick(['password', 'passkey']),
          'auth.result': ok ? 'success' : 'failure',
        },
      });
      if (ok) facts.push({ kind: 'sign_in', user, at, deviceClass });
    }
    for (let i = Math.floor(next() * 3); i > 0; i--) {
      const at = START + Math.floor(next() * 20 * DAY);
      const method = pick(METHODS);
      const flow = { ...who, 'auth.flow.id': `flw-rl-${u}-r${i}`, 'passkey.surface': 'recovery', 'account.recovery.method': method };
      records.push({ eventName: 'account.recovery', timeMs: at, attributes: { ...flow, 'account.recovery.stage': 'started' } });
      facts.push({ kind: 'recovery_start', user, at, deviceClass, method });
      const ending = pick(ENDINGS);
      if (ending)
        records.push({
          eventName: 'account.recovery',
          timeMs: at + Math.floor(next() * 5 * HOUR),
          attributes: { ...flow, 'account.recovery.stage': ending },
        });
    }
  }
  return { records, facts };
}

const NO_FILTERS: Filters = { deviceClass: [], os: [], browser: [], provider: [], credentialKind: [], riskTier: [], variant: [] };

const temp = tempStore('pa-recovery-load-');
let facts: Fact[] = [];

beforeAll(async () => {
  await temp.open();
  setStorage(temp.store);
  const built = population();
  facts = built.facts;
  const rows = mapRecords(decodeJson(JSON.stringify(otlpJson(built.records, { 'service.name': 'recovery-load-prop' }))), Date.now()).rows;
  await insertEvents(temp.store.ingestClient, rows, 'recovery-load');
}, 120_000);

afterAll(async () => {
  setStorage(undefined);
  await temp.close();
});

/** The definition over [from, to): distinct signed-in users, recoveries started per method. */
function expected(from: number, to: number, deviceClasses: readonly string[]) {
  const kept = facts.filter((f) => f.at >= from && f.at < to && (deviceClasses.length === 0 || deviceClasses.includes(f.deviceClass)));
  const startedByMethod: Record<string, number> = {};
  for (const f of kept) if (f.kind === 'recovery_start') startedByMethod[f.method!] = (startedByMethod[f.method!] ?? 0) + 1;
  return { activeUsers: new Set(kept.filter((f) => f.kind === 'sign_in').map((f) => f.user)).size, startedByMethod };
}

describe('recovery load: the window and its buckets in one pass', () => {
  it('equals the definition for the window and every bucket, and the totals-only text equals the window rows', async () => {
    const next = random(3);
    let recoveries = 0;
    for (let i = 0; i < 10; i++) {
      const from = START + Math.floor(next() * 10 * DAY) + Math.floor(next() * DAY);
      const to = Math.min(now, from + Math.floor((2 + next() * 9) * DAY) + Math.floor(next() * HOUR));
      const intervalMs = i % 3 === 0 ? 7 * DAY : DAY;
      const filters: Filters = i % 2 === 0 ? NO_FILTERS : { ...NO_FILTERS, deviceClass: ['mobile-ios', 'desktop-windows'] };
      const params = windowFilterParams({ from: new Date(from), to: new Date(to) }, filters);
      const [rows, totalsOnly] = [await runQuery(recoveryLoad, { ...params, intervalMs }), await runQuery(recoveryLoadTotals, params)];
      const label = `${new Date(from).toISOString()} → ${new Date(to).toISOString()} every ${intervalMs / DAY} d ${filters.deviceClass.join(',')}`;

      // the window
      const whole = expected(from, to, filters.deviceClass);
      const totals = recoveryTotals(rows);
      expect(totals.activeUsers, label).toBe(whole.activeUsers);
      expect(Object.fromEntries(totals.methods.map((m) => [m.method, m.started])), label).toEqual(whole.startedByMethod);
      for (const m of totals.methods) expect(m.completed + m.failed + m.abandoned, label).toBeLessThanOrEqual(m.started);
      // the text without buckets answers the same for the window
      const sortRows = (list: typeof rows) => list.map((row) => JSON.stringify(row)).sort();
      expect(sortRows(totalsOnly), label).toEqual(sortRows(rows.filter((row) => row.total)));

      // every bucket, with its own active users
      for (let bucket = 0; from + bucket * intervalMs < to; bucket++) {
        const start = from + bucket * intervalMs;
        const own = expected(start, Math.min(to, start + intervalMs), filters.deviceClass);
        const inBucket = rows.filter((row) => !row.total && row.bucket === bucket);
        expect(inBucket.find((row) => row.part === 'active')?.activeUsers ?? 0, `${label} bucket ${bucket}`).toBe(own.activeUsers);
        const started = Object.fromEntries(inBucket.filter((row) => row.part === 'method').map((row) => [row.method, row.started]));
        expect(started, `${label} bucket ${bucket}`).toEqual(own.startedByMethod);
      }
      recoveries += Object.values(whole.startedByMethod).reduce((sum, n) => sum + n, 0);
    }
    // The windows held recoveries to count.
    expect(recoveries).toBeGreaterThan(40);
  }, 120_000);
});
