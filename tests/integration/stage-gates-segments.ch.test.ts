/**
 * Per-segment stage-gate verdicts (GET /api/v1/stages?segment=…; docs/stage-gates.md "Segments")
 * over the hand-built population (tests/helpers/stage-gates-population.ts) in a private app: each
 * criterion measured within each device class / risk tier equals the counts of the population's
 * model restricted to that value; the transitions keep their overall verdicts; a criterion that
 * cannot apply to a value (the high-risk criteria in the standard tier) is marked so and not
 * counted. Also a past evaluation (`?to=`) says which configuration judged it, and the rollout
 * experiment (GET /api/v1/stages/experiment) compares the population's two arms — the even users in
 * control, the odd ones in treatment, every 20th in both — exactly as the model counts them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentComparison, ExperimentResponse } from '@/lib/contracts/stage-experiment';
import type { SegmentCriterion, StagesResponse } from '@/lib/contracts/stages';
import { experimentOutcome, proportionDifference, rateRatio } from '@/lib/stage-gates/experiment-stats';
import { wilsonInterval } from '@/lib/stage-gates/stats';
import type { TestRecord } from '../helpers/otlp';
import { isolatedApp } from '../helpers/isolated-app';
import { buildStageGatesPopulation, ingestPopulation, type PopulationUser } from '../helpers/stage-gates-population';

const DAY = 86_400_000;
const app = isolatedApp();
const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stage-segments-config-'));
const configFile = path.join(configDir, 'rollout.json');
const defaultConfig = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../config/rollout.default.json'), 'utf8')) as Record<
  string,
  unknown
>;

let users: PopulationUser[] = [];
const FLAG = 'passkey-rollout-test';

/** The experiment's arms: even users control, odd users `treatment`, every 20th also `treatment-b` (both arms). */
const inControl = (index: number) => index % 2 === 0;
const inTreatment = (index: number) => index % 2 === 1 || index % 20 === 0;

function exposures(list: PopulationUser[]): TestRecord[] {
  const at = Date.now() - 25 * DAY;
  const exposure = (user: PopulationUser, variant: string, flag = FLAG): TestRecord => ({
    eventName: 'feature_flag.evaluation',
    timeMs: at,
    attributes: {
      'user.id': user.userId,
      'device.class': user.deviceClass,
      'feature_flag.key': flag,
      'feature_flag.result.variant': variant,
    },
  });
  return list.flatMap((user, index) => [
    exposure(user, inControl(index) ? 'control' : 'treatment'),
    ...(index % 20 === 0 ? [exposure(user, 'treatment-b')] : []),
    // another flag's variants are no arm of this experiment
    ...(index % 7 === 0 ? [exposure(user, 'other-variant', 'some-other-flag')] : []),
  ]);
}
let overall: StagesResponse;
let byClass: StagesResponse;
const to = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();

async function getStages(query: string): Promise<StagesResponse> {
  const response = await fetch(`${app.baseUrl}/api/v1/stages${query}`);
  const body = await response.json();
  expect(response.status, JSON.stringify(body).slice(0, 500)).toBe(200);
  return body as StagesResponse;
}

beforeAll(async () => {
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      ...defaultConfig,
      currentStage: 3,
      stageEnteredAt: new Date(Date.now() - 90 * DAY).toISOString(),
      experiment: { flag: FLAG, control: 'control' },
    }),
  );
  // No history pass: this file measures the on-demand evaluation alone.
  await app.start({ ROLLOUT_CONFIG: configFile, GATE_HISTORY: 'off' });
  const population = buildStageGatesPopulation(Date.now());
  users = population.users;
  await ingestPopulation(app.baseUrl, app.token, [...population.records, ...exposures(users)]);
  overall = await getStages(`?to=${encodeURIComponent(to)}&trend=0`);
  byClass = await getStages(`?to=${encodeURIComponent(to)}&trend=0&segment=deviceClass`);
}, 400_000);

afterAll(async () => {
  await app.stop();
  fs.rmSync(configDir, { recursive: true, force: true });
});

const total = (list: PopulationUser[], pick: (user: PopulationUser) => number) => list.reduce((sum, user) => sum + pick(user), 0);

function segmentCriterion(response: StagesResponse, value: string, from: number, id: string): SegmentCriterion {
  const found = response.segments?.values
    .find((entry) => entry.value === value)
    ?.transitions.find((transition) => transition.from === from)
    ?.criteria.find((criterion) => criterion.id === id);
  if (!found) throw new Error(`no ${id} for ${value}`);
  return found;
}

function expectProportion(actual: SegmentCriterion, successes: number, n: number) {
  expect(actual.measurement).toEqual({ kind: 'proportion', successes, n });
  expect(actual.sampleSize).toBe(n);
  if (n === 0) {
    expect(actual.value).toBeNull();
    return;
  }
  const interval = wilsonInterval(successes, n);
  expect(actual.value).toBeCloseTo(successes / n, 12);
  expect(actual.ciLow).toBeCloseTo(interval.low, 12);
  expect(actual.ciHigh).toBeCloseTo(interval.high, 12);
}

describe('per-segment stage-gate verdicts', () => {
  it('lists every device class of the population and keeps the overall verdicts', () => {
    const classes = [...new Set(users.map((user) => user.deviceClass))].sort();
    expect(byClass.segments?.dimension).toBe('deviceClass');
    expect(byClass.segments?.values.map((entry) => entry.value).sort()).toEqual(classes);
    expect(byClass.transitions.map((transition) => [transition.from, transition.verdict])).toEqual(
      overall.transitions.map((transition) => [transition.from, transition.verdict]),
    );
    expect(overall.segments).toBeNull();
  });

  it('measures each criterion within each device class exactly as the model counts it', () => {
    for (const deviceClass of new Set(users.map((user) => user.deviceClass))) {
      const inClass = users.filter((user) => user.deviceClass === deviceClass);
      const holders = inClass.filter((user) => user.credentials > 0);
      // 1 → 2: registration success (per device class, so only this class is judged).
      const registrations = total(inClass, (user) => user.credentials);
      expectProportion(
        segmentCriterion(byClass, deviceClass, 1, 'registration-success-per-device-class'),
        registrations,
        registrations + total(inClass, (user) => user.failedRegistrations),
      );
      // 1 → 2: holders' passkey sign-in success.
      const signIns = total(holders, (user) => user.passkeySignIns);
      expectProportion(
        segmentCriterion(byClass, deviceClass, 1, 'holders-signin-success'),
        signIns,
        signIns + total(holders, (user) => user.failedAuthentications),
      );
      // 2 → 3: upsell acceptance and holder share of active users (every user of the model signs in).
      expectProportion(
        segmentCriterion(byClass, deviceClass, 2, 'upsell-acceptance'),
        total(inClass, (user) => user.upsellsAccepted),
        total(inClass, (user) => user.upsellsShown),
      );
      expectProportion(segmentCriterion(byClass, deviceClass, 2, 'holder-share-of-active-users'), holders.length, inClass.length);
      // 3 → 4: multi-device coverage among active holders.
      expectProportion(
        segmentCriterion(byClass, deviceClass, 3, 'multi-device-coverage'),
        holders.filter((user) => user.credentials >= 2).length,
        holders.length,
      );
      // 4 → 5: high-risk users with two attested device-bound keys (only the admins' class has any).
      const highRisk = inClass.filter((user) => user.riskTier === 'high');
      expectProportion(
        segmentCriterion(byClass, deviceClass, 4, 'high-risk-spare-key'),
        highRisk.filter((user) => user.credentials >= 2).length,
        highRisk.length,
      );
      const phishable = segmentCriterion(byClass, deviceClass, 4, 'high-risk-no-phishable-recovery');
      expect(phishable.measurement).toEqual({
        kind: 'count',
        count: total(highRisk, (user) => user.recoveries.filter((recovery) => recovery.method === 'sms_code').length),
        sampleSize: highRisk.length,
      });
    }
  });

  it('says where a gate fails at a glance: 4 → 5 is not ready overall and fails on the admins’ device class', () => {
    const summary = byClass.segments?.summaries.find((entry) => entry.from === 4);
    expect(summary?.overall).toBe('not_ready');
    expect(summary?.failing).toEqual(['desktop-macos']);
    // Every summary agrees with the segment verdicts it lists.
    for (const entry of byClass.segments!.summaries) {
      const failing = byClass.segments!.values.filter(
        (value) => value.transitions.find((t) => t.from === entry.from)?.verdict === 'not_ready',
      );
      expect(entry.failing.sort()).toEqual(failing.map((value) => value.value).sort());
    }
  });

  it('splits by risk tier: the high-risk criteria do not apply to the standard tier', async () => {
    const byTier = await getStages(`?to=${encodeURIComponent(to)}&trend=0&segment=riskTier`);
    expect(byTier.segments?.values.map((entry) => entry.value).sort()).toEqual(['high', 'standard']);
    for (const id of ['high-risk-attested-device-bound', 'high-risk-spare-key', 'high-risk-no-phishable-recovery']) {
      expect(segmentCriterion(byTier, 'standard', 4, id).applies).toBe(false);
      expect(segmentCriterion(byTier, 'high', 4, id).applies).toBe(true);
    }
    const standard = users.filter((user) => user.riskTier === 'standard');
    expectProportion(
      segmentCriterion(byTier, 'standard', 2, 'holder-share-of-active-users'),
      standard.filter((user) => user.credentials > 0).length,
      standard.length,
    );
    // Only the criteria that apply decide a segment's verdict: the standard tier's 4 → 5 has none but the duration-free rest.
    const standard45 = byTier.segments!.values.find((entry) => entry.value === 'standard')!.transitions.find((t) => t.from === 4)!;
    expect(standard45.verdict).toBe('insufficient_data');
    const high45 = byTier.segments!.values.find((entry) => entry.value === 'high')!.transitions.find((t) => t.from === 4)!;
    expect(high45.verdict).toBe('not_ready');
  }, 180_000);

  it('refuses an unknown segment with a 400 naming it', async () => {
    const response = await fetch(`${app.baseUrl}/api/v1/stages?segment=browser`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { parameter?: string } }).error.parameter).toBe('segment');
  });
});

describe('a past evaluation', () => {
  it('is judged with the configuration in force now, and says so', async () => {
    expect(overall.pastEvaluation).toBe(true);
    expect(overall.configUsed).toBe('current');
    expect(overall.configNote).toContain('configuration in force now (version 1)');
    expect(overall.configNote).toContain(to);
    const now = await getStages('?trend=0');
    expect([now.pastEvaluation, now.configNote]).toEqual([false, null]);
  });
});

/** A CSV export's rows as objects (the exports here hold no quoted fields). */
function parseCsv(text: string): Array<Record<string, string>> {
  const [header, ...lines] = text.trimEnd().split('\r\n');
  const names = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((value, index) => [names[index]!, value])));
}

const num = (text: string | undefined) => (text === '' || text === undefined ? null : Number(text));

describe('exports and decision snapshots', () => {
  it('exports the evaluation as CSV with exactly the JSON values, and per segment value', async () => {
    const response = await fetch(`${app.baseUrl}/api/v1/stages?to=${encodeURIComponent(to)}&trend=0&format=csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=stage-gates-.*\.csv$/);
    const rows = parseCsv(await response.text());
    const criteria = overall.transitions.flatMap((transition) => transition.criteria.map((criterion) => ({ transition, criterion })));
    expect(rows).toHaveLength(criteria.length);
    expect(response.headers.get('x-total-count')).toBe(String(criteria.length));
    criteria.forEach(({ transition, criterion }, index) => {
      const row = rows[index]!;
      expect([row.evaluated_at, row.from_stage, row.transition_verdict, row.criterion_id, row.status, row.segment]).toEqual([
        to,
        String(transition.from),
        transition.verdict,
        criterion.id,
        criterion.status,
        '',
      ]);
      expect([num(row.value), num(row.ci_low), num(row.ci_high), num(row.sample_size)]).toEqual([
        criterion.value,
        criterion.ciLow,
        criterion.ciHigh,
        criterion.sampleSize,
      ]);
    });

    const segmented = parseCsv(
      await (await fetch(`${app.baseUrl}/api/v1/stages?to=${encodeURIComponent(to)}&trend=0&segment=deviceClass&format=csv`)).text(),
    );
    expect(segmented).toHaveLength(criteria.length * (1 + byClass.segments!.values.length));
    const macos = segmented.find((row) => row.segment_value === 'desktop-macos' && row.criterion_id === 'high-risk-no-phishable-recovery');
    expect(macos).toMatchObject({ segment: 'deviceClass', status: 'fail', applies: 'true', transition_verdict: 'not_ready' });
  }, 180_000);

  it('keeps the evaluation a decision was made on; the log links it and it reads back exactly', async () => {
    const future = await fetch(`${app.baseUrl}/api/v1/stages/decisions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'hold', stage: 3, reason: 'too early', evaluatedAt: new Date(Date.now() + 3_600_000).toISOString() }),
    });
    expect(future.status).toBe(400);
    expect(((await future.json()) as { error: { parameter?: string } }).error.parameter).toBe('evaluatedAt');

    const response = await fetch(`${app.baseUrl}/api/v1/stages/decisions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'hold', stage: 3, reason: 'The fallback-reliant holders need help first.', evaluatedAt: to }),
    });
    expect(response.status).toBe(201);
    const recorded = (await response.json()) as { decision: { id: string; snapshotUrl: string | null } };
    expect(recorded.decision.snapshotUrl).toBe(`/api/v1/stages/decisions?id=${recorded.decision.id}`);

    const read = await fetch(`${app.baseUrl}${recorded.decision.snapshotUrl}`);
    expect(read.status).toBe(200);
    const { snapshot } = (await read.json()) as {
      snapshot: { evaluatedAt: string; configVersion: number; currentStage: number; transitions: StagesResponse['transitions'] };
    };
    expect([snapshot.evaluatedAt, snapshot.configVersion, snapshot.currentStage]).toEqual([to, 1, 3]);
    expect(snapshot.transitions.map((transition) => [transition.from, transition.verdict])).toEqual(
      overall.transitions.map((transition) => [transition.from, transition.verdict]),
    );
    for (const transition of overall.transitions) {
      const stored = snapshot.transitions.find((entry) => entry.from === transition.from)!;
      expect(
        stored.criteria.map(({ id, value, ciLow, ciHigh, sampleSize, status, measurement }) => ({
          id,
          value,
          ciLow,
          ciHigh,
          sampleSize,
          status,
          measurement,
        })),
      ).toEqual(
        transition.criteria.map(({ id, value, ciLow, ciHigh, sampleSize, status, measurement }) => ({
          id,
          value,
          ciLow,
          ciHigh,
          sampleSize,
          status,
          measurement,
        })),
      );
    }

    const log = await getStages('?trend=0');
    expect(log.decisions[0]).toMatchObject({ id: recorded.decision.id, snapshotUrl: recorded.decision.snapshotUrl });
    const unknown = (await (await fetch(`${app.baseUrl}/api/v1/stages/decisions?id=no-such-decision`)).json()) as { snapshot: unknown };
    expect(unknown.snapshot).toBeNull();
    const missing = await fetch(`${app.baseUrl}/api/v1/stages/decisions`);
    expect(missing.status).toBe(400);
  }, 180_000);
});

describe('the rollout experiment', () => {
  let experiment: Extract<ExperimentResponse, { configured: true }>;
  beforeAll(async () => {
    const response = await fetch(`${app.baseUrl}/api/v1/stages/experiment?to=${encodeURIComponent(to)}`);
    const body = (await response.json()) as ExperimentResponse;
    expect(response.status, JSON.stringify(body).slice(0, 500)).toBe(200);
    if (!body.configured) throw new Error('the experiment should be configured');
    experiment = body;
  }, 180_000);

  const arm = (pick: (index: number) => boolean) => users.filter((_, index) => pick(index));
  const comparison = (id: string): ExperimentComparison => {
    const found = experiment.comparisons.find((entry) => entry.criterionId === id);
    if (!found) throw new Error(`no comparison for ${id}`);
    return found;
  };

  it('names the arms: the flag, its control, the other variants as treatments, and who saw both', () => {
    expect([experiment.flag, experiment.control, experiment.evaluatedAt]).toEqual([FLAG, 'control', to]);
    expect(experiment.treatments).toEqual(['treatment', 'treatment-b']);
    expect(experiment.exposed).toEqual({
      control: arm(inControl).length,
      treatment: arm(inTreatment).length,
      both: users.filter((_, index) => inControl(index) && inTreatment(index)).length,
    });
  });

  it('compares the proportions and rates, and only those', () => {
    const compared = experiment.comparisons.map((entry) => entry.criterionId);
    expect(compared).toEqual([
      'registration-success-per-device-class',
      'holders-signin-success',
      'upsell-acceptance',
      'holder-share-of-active-users',
      'passkey-tickets',
      'passkey-share-of-holder-signins',
      'fallback-reliant-holders',
      'recovery-starts-per-week',
      'multi-device-coverage',
      'high-risk-attested-device-bound',
      'high-risk-spare-key',
    ]);
  });

  it('measures each arm exactly as the model counts it', () => {
    for (const [name, pick] of [
      ['control', inControl],
      ['treatment', inTreatment],
    ] as const) {
      const members = arm(pick);
      const holders = members.filter((user) => user.credentials > 0);
      const signIns = total(holders, (user) => user.passkeySignIns);
      expect(comparison('holders-signin-success')[name].measurement).toEqual({
        kind: 'proportion',
        successes: signIns,
        n: signIns + total(holders, (user) => user.failedAuthentications),
      });
      expect(comparison('holder-share-of-active-users')[name].measurement).toEqual({
        kind: 'proportion',
        successes: holders.length,
        n: members.length,
      });
      // Every user of the model signs in within the 28 days: exposure = the arm's users × 4 weeks.
      expect(comparison('recovery-starts-per-week')[name].measurement).toEqual({
        kind: 'rate',
        events: total(members, (user) => user.recoveries.length),
        exposure: members.length * 4,
        perUnit: 1000,
        sampleSize: members.length,
      });
    }
  });

  it('judges every comparison from its two arms: difference or ratio, interval, test and call', () => {
    for (const entry of experiment.comparisons) {
      const effect =
        entry.control.measurement.kind === 'proportion' && entry.treatment.measurement.kind === 'proportion'
          ? proportionDifference(entry.treatment.measurement, entry.control.measurement)
          : entry.control.measurement.kind === 'rate' && entry.treatment.measurement.kind === 'rate'
            ? rateRatio(entry.treatment.measurement, entry.control.measurement)
            : null;
      expect(effect, entry.criterionId).not.toBeNull();
      expect([entry.estimate, entry.ciLow, entry.pValue]).toEqual([effect!.estimate, effect!.ciLow, effect!.pValue]);
      expect(entry.ciHigh).toBe(Number.isFinite(effect!.ciHigh) ? effect!.ciHigh : null);
      const enough = entry.control.sampleSize >= Math.max(1, entry.minSample) && entry.treatment.sampleSize >= Math.max(1, entry.minSample);
      expect(entry.outcome, entry.criterionId).toBe(experimentOutcome(effect!, entry.kind, entry.better === 'higher', enough));
    }
    // 200 users in control, 220 in treatment: enough for the criteria asking up to 200, so calls are made.
    expect(experiment.comparisons.filter((entry) => entry.outcome !== 'insufficient_data').length).toBeGreaterThan(0);
  });
});
