/**
 * Stored daily stage-gate evaluations (docs/stage-gates.md "History") through the real app: the
 * hand-built population (tests/helpers/stage-gates-population.ts) in a private instance, the
 * background pass filling the last days, and GET /api/v1/stages/history compared with an
 * on-demand evaluation of the same day (GET /api/v1/stages?to=<end of day>&trend=0) — every
 * verdict, value, interval bound, sample and status equal, not close. Then late data: events
 * dated four days ago outdates that day and every later one, the pass evaluates them again, and the
 * days before keep their evaluation.
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
const defaultConfig = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../config/rollout.default.json'), 'utf8')) as Record<
  string,
  unknown
>;

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
    JSON.stringify({ ...defaultConfig, currentStage: 3, stageEnteredAt: new Date(Date.now() - 90 * DAY).toISOString() }),
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
    // And the new evaluation still equals an on-demand one (a day not asked for before, so not cached).
    const day = settledDays.at(-3)!;
    const live = await getJson<StagesResponse>(
      `/api/v1/stages?to=${encodeURIComponent(new Date(Date.parse(`${day}T00:00:00Z`) + DAY).toISOString())}&trend=0`,
    );
    expectSameAsOnDemand(after, day, live);
  }, 500_000);
});
