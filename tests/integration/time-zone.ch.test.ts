/**
 * `tz` moves the day buckets, not only their labels (DESIGN.md section 11; docs/metrics.md
 * "Time zone"), against the running app: three sign-ins of one service around a UTC midnight D,
 * counted by hand per local day in UTC, Europe/Berlin (UTC+1 in winter) and America/New_York
 * (UTC−5), on the Overview's sign-in share series; an unknown zone is a 400. (The Failures series'
 * day buckets across a clock change: tests/unit/failures-series.test.ts.)
 *
 * The population and its hand count: tests/fixtures/time-zone-scenario.ts.
 */
import { describe, expect, inject, it, beforeAll } from 'vitest';
import type { OverviewResponse } from '@/lib/contracts/overview';
import type { RetentionResponse } from '@/lib/contracts/retention';
import { D, DAY, ingestTimeZoneScenario } from '../fixtures/time-zone-scenario';
import { uid } from '../helpers/otlp';

const baseUrl = inject('baseUrl');
const token = inject('ingestToken');
const day = (offsetDays: number) => new Date(D + offsetDays * DAY).toISOString().slice(0, 10);
const service = uid('tz');

beforeAll(() => ingestTimeZoneScenario(baseUrl, token, service));

async function series(tz?: string) {
  const query = new URLSearchParams({ from: new Date(D - DAY).toISOString(), to: new Date(D + DAY).toISOString(), service });
  if (tz) query.set('tz', tz);
  const response = await fetch(`${baseUrl}/api/v1/overview?${query}`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as OverviewResponse & { tz: string };
  return { tz: body.tz, days: body.passkeySignInShareSeries.map((d) => [d.day, d.successfulSignIns, d.passkeySignIns]) };
}

describe('tz moves the day buckets', () => {
  it('UTC (the default): D−1 holds the 23:30 sign-in, D the other two', async () => {
    expect(await series()).toEqual({
      tz: 'UTC',
      days: [
        [day(-1), 1, 1],
        [day(0), 2, 1],
      ],
    });
  });

  it('Europe/Berlin: all three on D; the window touches three local days', async () => {
    expect(await series('Europe/Berlin')).toEqual({
      tz: 'Europe/Berlin',
      days: [
        [day(-1), 0, 0],
        [day(0), 3, 2],
        [day(1), 0, 0],
      ],
    });
  });

  it('America/New_York: two on D−1, one on D; the window begins on D−2 there', async () => {
    expect(await series('America/New_York')).toEqual({
      tz: 'America/New_York',
      days: [
        [day(-2), 0, 0],
        [day(-1), 2, 1],
        [day(0), 1, 1],
      ],
    });
  });

  it('an unknown zone is a 400 naming the parameter', async () => {
    const response = await fetch(`${baseUrl}/api/v1/overview?tz=Mars%2FOlympus`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_parameter', parameter: 'tz' } });
  });

  it('passkey retention: the cohort week is the Monday of the registration in tz', async () => {
    const cohorts = async (tz: string) => {
      const query = new URLSearchParams({ from: '2026-01-12T00:00:00Z', to: '2026-01-26T00:00:00Z', service, tz });
      const response = await fetch(`${baseUrl}/api/v1/retention?${query}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as RetentionResponse;
      return body.cohorts.map((c) => ({ week: c.week, users: c.users, weeks: c.weeks.map((w) => [w.start, w.end, w.passkeySignIns]) }));
    };
    // UTC: registered in the week of Monday 12 January; the sign-in on the 19th is in its second week
    expect(await cohorts('UTC')).toEqual([
      {
        week: '2026-01-12',
        users: 1,
        weeks: [
          ['2026-01-12T00:00:00.000Z', '2026-01-19T00:00:00.000Z', 0],
          ['2026-01-19T00:00:00.000Z', '2026-01-26T00:00:00.000Z', 1],
        ],
      },
    ]);
    // Berlin: registered on Monday 19 January (00:30), signed in that same week; weeks begin 23:00 UTC
    expect(await cohorts('Europe/Berlin')).toEqual([
      {
        week: '2026-01-19',
        users: 1,
        weeks: [
          ['2026-01-18T23:00:00.000Z', '2026-01-25T23:00:00.000Z', 1],
          // the window's last hour is already Monday 26 January in Berlin: a partial week
          ['2026-01-25T23:00:00.000Z', '2026-01-26T00:00:00.000Z', 0],
        ],
      },
    ]);
  });
});
