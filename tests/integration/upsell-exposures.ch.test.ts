/**
 * Upsell conversion by exposure (sql/queries/upsell-exposures.ts) on random populations, against the
 * definition written as directly as SQL allows: every `shown` event of every user before `to` ranked
 * over the user's whole history, then the window's filtered events kept. The query counts a user's
 * `shown` events before `from` and ranks only the window's; both must give every exposure the same
 * number — with users asked before the window, on other devices (filtered out but still counted),
 * at the same millisecond, and windows that cut days and hours.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJson } from '@/ingest/decode';
import { insertEvents } from '@/ingest/sink';
import { mapRecords } from '@/ingest/to-rows';
import type { Filters } from '@/lib/api/params';
import { setStorage } from '@/lib/clickhouse';
import { defineQuery, runQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { FILTER_PREDICATE, windowFilterParams, zWindowFilterParams } from '@/sql/queries/shared';
import { upsellExposures, zUpsellExposureRow } from '@/sql/queries/upsell-exposures';
import { otlpJson, type TestRecord } from '../helpers/otlp';
import { tempStore } from '../helpers/temp-store';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The definition: each user's `shown` events before `to` ranked over the whole history. */
const definition = defineQuery({
  name: 'upsell-exposures-definition',
  params: zWindowFilterParams,
  row: zUpsellExposureRow,
  sql: sql`
    WITH
    asked AS MATERIALIZED (
      SELECT user_id, flow_id, timestamp, exposure FROM (
        SELECT user_id, flow_id, timestamp,
               timestamp >= {from:DateTime64(3, 'UTC')} AND ${FILTER_PREDICATE} AS in_window,
               least(row_number() OVER (PARTITION BY user_id ORDER BY timestamp, flow_id), 4) AS exposure
        FROM ceremony_events
        WHERE event_name = 'passkey.upsell' AND upsell_outcome = 'shown' AND user_id != ''
          AND timestamp < {to:DateTime64(3, 'UTC')}
      ) WHERE in_window
    ),
    accepted AS (
      SELECT user_id, flow_id, min(timestamp) AS accepted_at FROM ceremony_events
      WHERE event_name = 'passkey.upsell' AND upsell_outcome = 'accepted' AND flow_id != ''
        AND timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')} + INTERVAL 1 HOUR
      GROUP BY user_id, flow_id
    ),
    conversions AS MATERIALIZED (
      SELECT a.user_id AS user_id, a.flow_id AS flow_id, a.exposure AS exposure,
             c.flow_id != '' AND c.accepted_at >= a.timestamp AS was_accepted, c.accepted_at AS accepted_at
      FROM asked AS a LEFT JOIN accepted AS c ON c.user_id = a.user_id AND c.flow_id = a.flow_id
    ),
    registered AS (
      SELECT DISTINCT v.user_id AS user_id, v.flow_id AS flow_id FROM conversions AS v
      INNER JOIN (SELECT user_id, timestamp FROM ceremony_events
                  WHERE event_name = 'passkey.registration' AND result = 'success') AS r ON r.user_id = v.user_id
      WHERE v.was_accepted AND r.timestamp >= v.accepted_at AND r.timestamp < v.accepted_at + INTERVAL 1 HOUR
    )
    SELECT exposure, count() AS shown, countIf(was_accepted) AS accepted,
           countIf(was_accepted AND (user_id, flow_id) IN (SELECT user_id, flow_id FROM registered)) AS registered
    FROM conversions GROUP BY exposure ORDER BY exposure
  `.text,
});

/** A small seeded generator (mulberry32): the same population on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const DEVICES = [
  { 'device.class': 'desktop-windows', 'os.name': 'Windows', 'browser.name': 'Chrome' },
  { 'device.class': 'mobile-android', 'os.name': 'Android', 'browser.name': 'Chrome' },
  { 'device.class': 'mobile-ios', 'os.name': 'iOS', 'browser.name': 'Mobile Safari' },
];

const now = Math.floor(Date.now() / HOUR) * HOUR - 7 * MINUTE;
const START = now - 30 * DAY;

function population(): TestRecord[] {
  const next = random(13);
  const records: TestRecord[] = [];
  for (let u = 0; u < 80; u++) {
    const user = `ups-prop-${u}`;
    const times = Array.from({ length: Math.floor(next() * 8) }, () => START + Math.floor(next() * 30 * DAY));
    // Two exposures in the same millisecond for some users: the rank's tie-break is the flow id.
    if (times.length > 0 && next() < 0.2) times.push(times[0]!);
    times.forEach((t, i) => {
      const device = DEVICES[Math.floor(next() * DEVICES.length)]!;
      const flowId = `flw-ups-${u}-${i}`;
      const base = { 'user.id': user, 'auth.flow.id': flowId, 'passkey.surface': 'post_sign_in_upsell', ...device };
      records.push({ eventName: 'passkey.upsell', timeMs: t, attributes: { ...base, 'passkey.upsell.outcome': 'shown' } });
      const roll = next();
      const answer = roll < 0.4 ? 'accepted' : roll < 0.8 ? 'dismissed' : undefined;
      if (!answer) return;
      const answeredAt = t + Math.floor(next() * 3 * MINUTE);
      records.push({ eventName: 'passkey.upsell', timeMs: answeredAt, attributes: { ...base, 'passkey.upsell.outcome': answer } });
      if (answer === 'accepted' && next() < 0.7) {
        records.push({
          eventName: 'passkey.registration',
          timeMs: answeredAt + Math.floor(next() * 90 * MINUTE),
          attributes: { 'user.id': user, 'passkey.result': 'success', 'webauthn.credential.id': `cred-ups-${u}-${i}`, ...device },
        });
      }
    });
  }
  return records;
}

const NO_FILTERS: Filters = { deviceClass: [], os: [], browser: [], provider: [], credentialKind: [], riskTier: [], variant: [] };

const temp = tempStore('pa-upsell-');
let shownEvents = 0;

beforeAll(async () => {
  await temp.open();
  setStorage(temp.store);
  const records = population();
  shownEvents = records.filter((r) => r.attributes['passkey.upsell.outcome'] === 'shown').length;
  const rows = mapRecords(decodeJson(JSON.stringify(otlpJson(records, { 'service.name': 'upsell-prop' }))), Date.now()).rows;
  await insertEvents(temp.store.ingestClient, rows, 'upsell-exposures');
}, 120_000);

afterAll(async () => {
  setStorage(undefined);
  await temp.close();
});

describe('upsell conversion by exposure', () => {
  it('numbers each exposure as the definition over the whole history does, for windows cutting days and with filters', async () => {
    expect(shownEvents).toBeGreaterThan(200);
    const next = random(7);
    const filterSets: Filters[] = [
      NO_FILTERS,
      { ...NO_FILTERS, deviceClass: ['mobile-android'] },
      { ...NO_FILTERS, os: ['iOS', 'Windows'] },
    ];
    let compared = 0;
    let laterExposures = 0;
    for (let i = 0; i < 12; i++) {
      const from = START + Math.floor(next() * 20 * DAY);
      const to = from + Math.floor((1 + next() * 12) * DAY) + Math.floor(next() * HOUR);
      const filters = filterSets[i % filterSets.length]!;
      const params = windowFilterParams({ from: new Date(from), to: new Date(to) }, filters);
      const [actual, expected] = [await runQuery(upsellExposures, params), await runQuery(definition, params)];
      expect(actual).toEqual(expected);
      compared += expected.reduce((sum, row) => sum + row.shown, 0);
      laterExposures += expected.filter((row) => row.exposure > 1).reduce((sum, row) => sum + row.shown, 0);
    }
    // The windows held exposures, and users asked before them.
    expect(compared).toBeGreaterThan(100);
    expect(laterExposures).toBeGreaterThan(20);
  }, 120_000);
});
