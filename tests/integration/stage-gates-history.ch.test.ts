/**
 * Stored daily stage-gate evaluations (docs/stage-gates.md "History") through the real app: the
 * hand-built population (tests/helpers/stage-gates-population.ts) in a private instance, the
 * background pass filling the last days, and GET /api/v1/stages/history compared with an
 * on-demand evaluation of the same day (GET /api/v1/stages?to=<end of day>&trend=0) — every
 * verdict, value, interval bound, sample and status equal, not close. A live evaluation's trend
 * reads the windows the stored days hold (two probe criteria with one-day windows, so that their
 * trend falls within the days stored here), equal to measuring them. Then late data: events dated
 * four days ago outdates that day and every later one, the pass evaluates them again, the days
 * before keep their evaluation, and the trend reads the new evaluation.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StageHistoryResponse } from '@/lib/contracts/stage-history';
import type { StagesResponse } from '@/lib/contracts/stages';
import { isolatedApp } from '../helpers/isolated-app';
import { otlpJson } from '../helpers/otlp';
import { buildStageGatesPopulation, ingestPopulation } from '../helpers/stage-gates-population';

const DAY = 86_400_000;
const app = isolatedApp();
const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stage-history-config-'));
const configFile = path.join(configDir, 'rollout.json');
const defaultConfig = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../config/rollout.default.json'), 'utf8')) as {
  transitions: Array<{ from: number; criteria: unknown[] }>;
} & Record<string, unknown>;
/** One-day windows: a trend of 6 then ends within the last 8 days, which the test waits for. */
const PROBES = [
  {
    id: 'probe-upsell-daily',
    metric: 'upsell_acceptance_rate',
    comparator: 'gte',
    threshold: 0.25,
    minSample: 1,
    windowDays: 1,
  },
  {
    id: 'probe-registration-daily-per-class',
    metric: 'registration_ceremony_success_rate',
    comparator: 'gte',
    threshold: 0.9,
    minSample: 1,
    windowDays: 1,
    perDeviceClass: true,
  },
];
const PROBE_STAGE = 2;
const stagesWithTrend = () => getJson<StagesResponse>('/api/v1/stages?trend=6');
function probe(live: StagesResponse, id: string) {
  return live.transitions.find((transition) => transition.from === PROBE_STAGE)!.criteria.find((criterion) => criterion.id === id)!;
}
const dayEnding = (to: string) => new Date(Date.parse(to) - DAY).toISOString().slice(0, 10);

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(`${app.baseUrl}${url}`);
  const body = await response.json();
  expect(response.status, JSON.stringify(body).slice(0, 500)).toBe(200);
  return body as T;
}

/** The days the test waits for: the pass evaluates about one day every 5–10 s here (newest first). */
const DAYS = 8;
const history = (days = DAYS) => getJson<StageHistoryResponse>(`/api/v1/stages/history?days=${days}`);

/** Polls the history until `done` holds (the background pass runs every few seconds). */
async function waitForHistory(done: (history: StageHistoryResponse) => boolean, timeoutMs = 420_000): Promise<StageHistoryResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await history();
    if (done(current)) return current;
    if (Date.now() > deadline) throw new Error(`history not ready: ${JSON.stringify(current.counts)}`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

/** Days that have settled (2 h 15 min after their end) — the pass evaluates only those. */
const settled = (h: StageHistoryResponse) => h.transitions[0]!.days.filter((day) => !h.settledThrough || day.day <= h.settledThrough);
const allEvaluated = (h: StageHistoryResponse) =>
  h.transitions.every((transition) =>
    transition.days.every((day) => day.state === 'evaluated' || !h.settledThrough || day.day > h.settledThrough),
  );

function expectSameAsOnDemand(stored: StageHistoryResponse, day: string, live: StagesResponse) {
  for (const transition of live.transitions) {
    const entry = stored.transitions
      .find((candidate) => candidate.from === transition.from)!
      .days.find((candidate) => candidate.day === day)!;
    expect(entry.state).toBe('evaluated');
    expect(entry.evaluationTo).toBe(live.evaluatedAt);
    expect(entry.verdict).toBe(transition.verdict);
    expect(entry.criteria).toEqual(
      transition.criteria.map(({ id, value, ciLow, ciHigh, sampleSize, status }) => ({ id, value, ciLow, ciHigh, sampleSize, status })),
    );
  }
}

let settledDays: string[] = [];

beforeAll(async () => {
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      ...defaultConfig,
      currentStage: 3,
      stageEnteredAt: new Date(Date.now() - 90 * DAY).toISOString(),
      transitions: defaultConfig.transitions.map((transition) =>
        transition.from === PROBE_STAGE ? { ...transition, criteria: [...transition.criteria, ...PROBES] } : transition,
      ),
    }),
  );
  await app.start({ ROLLOUT_CONFIG: configFile, GATE_HISTORY: 'on' });
  await ingestPopulation(app.baseUrl, app.token, buildStageGatesPopulation(Date.now()).records);
  const filled = await waitForHistory(allEvaluated);
  settledDays = settled(filled).map((day) => day.day);
}, 600_000);

afterAll(async () => {
  await app.stop();
  fs.rmSync(configDir, { recursive: true, force: true });
});

describe('stored daily stage-gate evaluations', () => {
  it('answers the last days per transition, each day as of its end, with its state', async () => {
    const h = await history(DAYS);
    expect(h.days).toBe(DAYS);
    expect(h.transitions.map((transition) => [transition.from, transition.to])).toEqual([
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
    ]);
    const today = new Date(Math.floor(Date.now() / DAY) * DAY);
    expect(h.lastDay).toBe(new Date(today.getTime() - DAY).toISOString().slice(0, 10));
    for (const transition of h.transitions) {
      expect(transition.days).toHaveLength(DAYS);
      for (const day of transition.days) {
        expect(day.evaluationTo).toBe(new Date(Date.parse(`${day.day}T00:00:00Z`) + DAY).toISOString());
        if (day.state === 'not_evaluated') expect([day.verdict, day.criteria]).toEqual([null, []]);
        else expect(day.criteria.map((criterion) => criterion.id)).toEqual(transition.criteria.map((criterion) => criterion.id));
      }
    }
    expect(settledDays.length).toBeGreaterThanOrEqual(DAYS - 1);
    expect(h.counts.evaluated).toBeGreaterThanOrEqual(DAYS - 1);
  });

  it('equals an on-demand evaluation of the same day, exactly', async () => {
    const h = await history(DAYS);
    // The newest settled day (the population's whole first 19 days in its windows) and one from its middle.
    for (const day of [settledDays.at(-1)!, settledDays.at(-6)!]) {
      const to = new Date(Date.parse(`${day}T00:00:00Z`) + DAY).toISOString();
      const live = await getJson<StagesResponse>(`/api/v1/stages?to=${encodeURIComponent(to)}&trend=0`);
      expectSameAsOnDemand(h, day, live);
    }
    // The population makes the gates judge something: upsells were shown in the newest day's windows.
    const newest = h.transitions[1]!.days.find((day) => day.day === settledDays.at(-1))!;
    expect(newest.criteria.find((criterion) => criterion.id === 'upsell-acceptance')?.sampleSize).toBeGreaterThan(0);
  }, 180_000);

  it('refuses a bad `days` with a 400 naming it', async () => {
    for (const query of ['days=0', 'days=91', 'days=abc', 'days=1.5']) {
      const response = await fetch(`${app.baseUrl}/api/v1/stages/history?${query}`);
      expect(response.status, query).toBe(400);
      const body = (await response.json()) as { error: { parameter?: string } };
      expect(body.error.parameter).toBe('days');
    }
  });

  it('evaluates again the days late data changed, and only those', async () => {
    const before = await history(DAYS);
    const trendBefore = probe(await stagesWithTrend(), 'probe-upsell-daily').trend;
    const evaluatedAt = new Map(before.transitions[0]!.days.map((day) => [day.day, day.evaluatedAt]));
    const shownBefore = new Map(
      before.transitions[1]!.days.map((day) => [
        day.day,
        day.criteria.find((criterion) => criterion.id === 'upsell-acceptance')?.sampleSize,
      ]),
    );
    // 40 upsells shown at noon four days ago, received now: late data for that day and every later one.
    const lateDay = new Date(Math.floor((Date.now() - 4 * DAY) / DAY) * DAY).toISOString().slice(0, 10);
    const noon = Date.parse(`${lateDay}T12:00:00Z`);
    const records = Array.from({ length: 40 }, (_, index) => ({
      eventName: 'passkey.upsell',
      timeMs: noon + index * 1000,
      attributes: {
        'user.id': `late-upsell-user-${index}`,
        'device.class': 'desktop-windows',
        'user.risk_tier': 'standard',
        'passkey.upsell.outcome': 'shown',
        'passkey.surface': 'post_sign_in_upsell',
      },
    }));
    const sentAt = Date.now();
    const response = await fetch(`${app.baseUrl}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${app.token}` },
      body: JSON.stringify(otlpJson(records)),
    });
    expect(response.status).toBe(200);

    // Right away: every day from the late day on is outdated (or already evaluated again), the rest untouched.
    const right = await history(DAYS);
    for (const day of right.transitions[0]!.days) {
      if (!settledDays.includes(day.day)) continue;
      if (day.day < lateDay) expect([day.day, day.state, day.evaluatedAt]).toEqual([day.day, 'evaluated', evaluatedAt.get(day.day)]);
      else expect(day.state === 'outdated' || Date.parse(day.evaluatedAt!) >= sentAt, day.day).toBe(true);
    }

    const after = await waitForHistory(
      (h) =>
        allEvaluated(h) &&
        h.transitions[0]!.days.every(
          (day) => day.day < lateDay || !settledDays.includes(day.day) || Date.parse(day.evaluatedAt!) >= sentAt,
        ),
    );
    for (const day of after.transitions[1]!.days) {
      if (!settledDays.includes(day.day)) continue;
      const shown = day.criteria.find((criterion) => criterion.id === 'upsell-acceptance')?.sampleSize;
      if (day.day < lateDay) {
        expect(day.evaluatedAt, day.day).toBe(evaluatedAt.get(day.day));
        expect(shown).toBe(shownBefore.get(day.day));
      } else {
        // Every day from the late day on has it in its 28-day upsell window.
        expect(shown, day.day).toBe((shownBefore.get(day.day) ?? 0) + 40);
      }
    }
    // A live trend reads the late day's new evaluation: the 40 upsells are in its one-day window.
    const lateDayEnd = new Date(Date.parse(`${lateDay}T00:00:00Z`) + DAY).toISOString();
    const pointBefore = trendBefore.find((point) => point.to === lateDayEnd)!;
    const pointAfter = probe(await stagesWithTrend(), 'probe-upsell-daily').trend.find((point) => point.to === lateDayEnd)!;
    expect(pointBefore.stored).toBe(true);
    expect([pointAfter.stored, pointAfter.sampleSize]).toEqual([true, (pointBefore.sampleSize ?? 0) + 40]);
    // And the new evaluation still equals an on-demand one (a day not asked for before, so not cached).
    const day = settledDays.at(-3)!;
    const live = await getJson<StagesResponse>(
      `/api/v1/stages?to=${encodeURIComponent(new Date(Date.parse(`${day}T00:00:00Z`) + DAY).toISOString())}&trend=0`,
    );
    expectSameAsOnDemand(after, day, live);
  }, 500_000);

  // Last: its on-demand evaluations fill the stage-gate query cache for the days it asks (the test
  // above needs a day not asked before).
  it("reads a live trend's windows from the stored days, the same judgement as measuring them", async () => {
    const h = await history(DAYS);
    const live = await stagesWithTrend();
    for (const { id } of PROBES) {
      const criterion = probe(live, id);
      expect(criterion.trend).toHaveLength(7);
      // The current window (ending now) is measured; the six before end at the last midnights, each a stored day.
      expect(criterion.trend.at(-1)!.stored).toBe(false);
      for (const point of criterion.trend.slice(0, -1)) {
        const day = dayEnding(point.to);
        expect(settledDays, day).toContain(day);
        expect(h.transitions[0]!.days.find((entry) => entry.day === day)?.state, day).toBe('evaluated');
        expect(point.stored, day).toBe(true);
        // The same window measured now: the on-demand evaluation ending there (its current window is measured).
        const measured = probe(await getJson<StagesResponse>(`/api/v1/stages?to=${encodeURIComponent(point.to)}&trend=0`), id);
        const { value, ciLow, ciHigh, sampleSize, status } = measured;
        expect(
          { value: point.value, ciLow: point.ciLow, ciHigh: point.ciHigh, sampleSize: point.sampleSize, status: point.status },
          day,
        ).toEqual({
          value,
          ciLow,
          ciHigh,
          sampleSize,
          status,
        });
      }
    }
    // The probes judge something: upsells were shown on some of those days.
    expect(probe(live, 'probe-upsell-daily').trend.some((point) => (point.sampleSize ?? 0) > 0)).toBe(true);
  }, 180_000);
});
