/**
 * Stage-gate evaluation logic: windows, stage state from config and decision log, decision rules,
 * drill-down links, and evaluateStages over measurements given directly (the storage side is
 * covered by tests/integration/stage-gates-scenarios.ch.test.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRolloutConfig, type GateCriterionInput, type RolloutConfig } from '@/lib/stage-gates/config';
import { drillDownLink } from '@/lib/stage-gates/drill-down';
import { criterionFilters, criterionWindows, emptyMeasurement, evaluateStages, evaluationTime } from '@/lib/stage-gates/evaluate';
import type { CriterionFilters, MeasuredMetricId, MeasureWindow, Measurer } from '@/lib/stage-gates/measure';
import { checkDecision, daysAtStage, stageStateAt, type RecordedDecision } from '@/lib/stage-gates/stage-state';
import { wilsonInterval } from '@/lib/stage-gates/stats';
import type { DeviceClassMeasurement, GateMeasurement } from '@/lib/stage-gates/verdict';

const DAY = 86_400_000;
const TO = new Date('2026-06-15T12:34:56.789Z');

const defaultJson = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../config/rollout.default.json'), 'utf8')) as Record<
  string,
  unknown
>;

function config(overrides: Record<string, unknown> = {}): RolloutConfig {
  return parseRolloutConfig({ ...defaultJson, ...overrides });
}

function decision(at: string, action: RecordedDecision['action'], fromStage: number, toStage: number): RecordedDecision {
  return { id: `d-${at}`, decidedAt: new Date(at), action, fromStage, toStage, actor: 'pm', reason: 'why' };
}

// ---------------------------------------------------------------------------------------------

describe('criterion windows', () => {
  it('measures the current window exactly [to − d, to)', () => {
    expect(criterionWindows(TO, 28, 0)).toEqual([{ from: new Date(TO.getTime() - 28 * DAY), to: TO }]);
  });

  it('adds n contiguous previous windows of the same length, oldest first, ending at the UTC midnight before the current one', () => {
    const windows = criterionWindows(TO, 7, 3);
    expect(windows.map((w) => [w.from.toISOString(), w.to.toISOString()])).toEqual([
      ['2026-05-18T00:00:00.000Z', '2026-05-25T00:00:00.000Z'],
      ['2026-05-25T00:00:00.000Z', '2026-06-01T00:00:00.000Z'],
      ['2026-06-01T00:00:00.000Z', '2026-06-08T00:00:00.000Z'],
      ['2026-06-08T12:34:56.789Z', '2026-06-15T12:34:56.789Z'],
    ]);
  });

  it('keeps the previous windows the same all day (cacheable) and contiguous when the window starts at midnight', () => {
    const morning = criterionWindows(new Date('2026-06-15T00:10:00Z'), 28, 6).slice(0, 6);
    const evening = criterionWindows(new Date('2026-06-15T23:50:00Z'), 28, 6).slice(0, 6);
    expect(morning).toEqual(evening);
    const midnight = criterionWindows(new Date('2026-06-15T00:00:00Z'), 28, 1);
    expect(midnight[0]!.to).toEqual(midnight[1]!.from);
  });

  it('floors the default evaluation time to the minute', () => {
    expect(evaluationTime(TO.getTime()).toISOString()).toBe('2026-06-15T12:34:00.000Z');
  });
});

describe('stage state from the config and the decision log', () => {
  const configured = config({ currentStage: 3, stageEnteredAt: '2026-03-01' });

  it('uses the config without decisions, the date-only entry at UTC midnight', () => {
    expect(stageStateAt(configured, [], TO)).toEqual({
      currentStage: 3,
      currentStageSource: 'config',
      stageEnteredAt: new Date('2026-03-01T00:00:00Z'),
    });
    expect(stageStateAt(config(), [], TO)).toEqual({ currentStage: 1, currentStageSource: 'config', stageEnteredAt: null });
  });

  it('lets the newest decision win, whatever order the log comes in; a hold keeps the entry time', () => {
    const log = [decision('2026-05-10T00:00:00Z', 'hold', 4, 4), decision('2026-04-01T00:00:00Z', 'advance', 3, 4)];
    expect(stageStateAt(configured, log, TO)).toEqual({
      currentStage: 4,
      currentStageSource: 'decision_log',
      stageEnteredAt: new Date('2026-04-01T00:00:00Z'),
    });
  });

  it('ignores decisions after the instant asked about', () => {
    const log = [decision('2026-07-01T00:00:00Z', 'advance', 3, 4)];
    expect(stageStateAt(configured, log, TO).currentStage).toBe(3);
  });

  it('enters a stage again on a roll back', () => {
    const log = [decision('2026-04-01T00:00:00Z', 'advance', 3, 4), decision('2026-05-01T00:00:00Z', 'roll_back', 4, 2)];
    expect(stageStateAt(configured, log, TO)).toMatchObject({ currentStage: 2, stageEnteredAt: new Date('2026-05-01T00:00:00Z') });
  });

  it('keeps the config entry time for holds at the configured stage', () => {
    const log = [decision('2026-04-01T00:00:00Z', 'hold', 3, 3)];
    expect(stageStateAt(configured, log, TO)).toMatchObject({
      currentStage: 3,
      currentStageSource: 'decision_log',
      stageEnteredAt: new Date('2026-03-01T00:00:00Z'),
    });
  });
});

describe('days at a stage', () => {
  const configured = config({ currentStage: 3, stageEnteredAt: '2026-03-01T00:00:00Z' });

  it('counts whole days at the current stage since it was entered', () => {
    expect(daysAtStage(configured, [], 3, new Date('2026-04-30T00:00:00Z'))).toBe(60);
    expect(daysAtStage(configured, [], 3, new Date('2026-04-29T23:59:59.999Z'))).toBe(59);
  });

  it('is unknown (null) without an entry time, and 0 for a stage not reached yet', () => {
    expect(daysAtStage(config({ currentStage: 3 }), [], 3, TO)).toBeNull();
    expect(daysAtStage(configured, [], 4, TO)).toBe(0);
  });

  it('is the length of the last stay for a stage already left', () => {
    const log = [decision('2026-04-10T00:00:00Z', 'advance', 3, 4)];
    expect(daysAtStage(configured, log, 3, TO)).toBe(40);
    const rolledBack = [...log, decision('2026-05-01T00:00:00Z', 'roll_back', 4, 3), decision('2026-05-21T00:00:00Z', 'advance', 3, 4)];
    expect(daysAtStage(configured, rolledBack, 3, TO)).toBe(20);
    // Stage 2 was left before the log begins: unknown.
    expect(daysAtStage(configured, log, 2, TO)).toBeNull();
  });
});

describe('decision rules', () => {
  it('advances exactly one stage', () => {
    expect(checkDecision('advance', 4, 3)).toEqual({ ok: true });
    expect(checkDecision('advance', 5, 3)).toMatchObject({ ok: false, message: expect.stringMatching(/stage 4, not 5/) });
    expect(checkDecision('advance', 3, 3).ok).toBe(false);
    expect(checkDecision('advance', 5, 5)).toMatchObject({ ok: false, message: expect.stringMatching(/last stage/) });
  });

  it('rolls back to any lower stage', () => {
    expect(checkDecision('roll_back', 1, 4)).toEqual({ ok: true });
    expect(checkDecision('roll_back', 3, 4)).toEqual({ ok: true });
    expect(checkDecision('roll_back', 4, 4).ok).toBe(false);
    expect(checkDecision('roll_back', 5, 4).ok).toBe(false);
    expect(checkDecision('roll_back', 1, 1)).toMatchObject({ ok: false, message: expect.stringMatching(/stage 1/) });
  });

  it('holds only the current stage', () => {
    expect(checkDecision('hold', 2, 2)).toEqual({ ok: true });
    expect(checkDecision('hold', 3, 2).ok).toBe(false);
  });
});

describe('drill-down links', () => {
  const window = { from: new Date('2026-05-18T12:00:00Z'), to: new Date('2026-06-15T12:00:00Z') };

  it('opens the evidence page on the window and filters', () => {
    expect(drillDownLink('registration_ceremony_success_rate', { window, deviceClass: ['mobile-ios'], riskTier: null })).toBe(
      '/registration?groupBy=deviceClass&deviceClass=mobile-ios&from=2026-05-18T12%3A00%3A00.000Z&to=2026-06-15T12%3A00%3A00.000Z',
    );
    expect(drillDownLink('fallback_reliant_share_of_holders', { window, deviceClass: [], riskTier: 'standard' })).toBe(
      '/signin?riskTier=standard&from=2026-05-18T12%3A00%3A00.000Z&to=2026-06-15T12%3A00%3A00.000Z',
    );
  });

  it('always narrows high-risk metrics to riskTier=high, and sends durations to the decision log', () => {
    expect(drillDownLink('high_risk_phishable_recoveries', { window, deviceClass: [], riskTier: null })).toMatch(
      /^\/recovery\?riskTier=high&from=/,
    );
    expect(drillDownLink('days_at_current_stage', { window, deviceClass: [], riskTier: null })).toBe('/stages#decisions');
  });

  it('forces the high-risk filter into the measurement filters too', () => {
    const base = { id: 'x', comparator: 'gte', threshold: 0.5, minSample: 1, windowDays: 28 } as const;
    expect(criterionFilters({ ...base, metric: 'high_risk_attested_device_bound_share' })).toEqual({ deviceClass: [], riskTier: 'high' });
    expect(
      criterionFilters({ ...base, metric: 'multi_device_coverage', filters: { deviceClass: ['desktop-linux'], riskTier: 'standard' } }),
    ).toEqual({
      deviceClass: ['desktop-linux'],
      riskTier: 'standard',
    });
  });
});

// ---------------------------------------------------------------------------------------------
// evaluateStages over given measurements

type Script = Partial<Record<MeasuredMetricId, (window: MeasureWindow, index: number) => GateMeasurement>>;
type ClassScript = Partial<Record<MeasuredMetricId, (window: MeasureWindow, index: number) => DeviceClassMeasurement[]>>;

/** Measurements by metric and window (index 0 = the oldest trend window); records what was asked. */
function scriptedMeasurer(script: Script, classScript: ClassScript = {}) {
  const calls: Array<{ metric: MeasuredMetricId; window: MeasureWindow; filters: CriterionFilters; perClass: boolean }> = [];
  const indexOf = (window: MeasureWindow, all: MeasureWindow[]) => all.findIndex((w) => w.to.getTime() === window.to.getTime());
  const measurer: Measurer & { windows: MeasureWindow[] } = {
    windows: [],
    async measure(metric, window, filters) {
      calls.push({ metric, window, filters, perClass: false });
      const make = script[metric];
      if (!make) throw new Error(`unexpected metric ${metric}`);
      return make(window, indexOf(window, measurer.windows));
    },
    async measureByDeviceClass(metric, window, filters) {
      calls.push({ metric, window, filters, perClass: true });
      const make = classScript[metric];
      if (!make) throw new Error(`unexpected per-class metric ${metric}`);
      return make(window, indexOf(window, measurer.windows));
    },
  };
  return { measurer, calls };
}

/** A config whose four transitions each carry the given criteria (ids made unique). */
function configWith(criteria: Record<1 | 2 | 3 | 4, GateCriterionInput[]>, overrides: Record<string, unknown> = {}): RolloutConfig {
  return parseRolloutConfig({
    ...defaultJson,
    ...overrides,
    transitions: ([1, 2, 3, 4] as const).map((from) => ({ from, to: from + 1, criteria: criteria[from] })),
  });
}

const proportion = (successes: number, n: number): GateMeasurement => ({ kind: 'proportion', successes, n });
const share = (id: string, threshold = 0.5, minSample = 10): GateCriterionInput => ({
  id,
  metric: 'multi_device_coverage',
  comparator: 'gte',
  threshold,
  minSample,
  windowDays: 28,
});

describe('evaluateStages', () => {
  it('judges every transition: ready only when all pass, not_ready on a fail, inconclusive, insufficient_data', async () => {
    const cfg = configWith({
      1: [share('a', 0.5), share('b', 0.6)],
      2: [share('c', 0.5), share('d', 0.95)],
      3: [share('e', 0.5), share('f', 0.85)],
      4: [share('g', 0.5, 1000)],
    });
    // 90 of 100 everywhere: Wilson [0.826, 0.945].
    const { measurer } = scriptedMeasurer({ multi_device_coverage: () => proportion(90, 100) });
    const result = await evaluateStages({ config: cfg, decisions: [], to: TO, trendWindows: 0, measurer });
    expect(result.transitions.map((t) => [t.from, t.to, t.verdict, t.criteria.map((c) => c.status)])).toEqual([
      [1, 2, 'ready', ['pass', 'pass']],
      [2, 3, 'not_ready', ['pass', 'fail']],
      [3, 4, 'inconclusive', ['pass', 'inconclusive']],
      [4, 5, 'insufficient_data', ['insufficient_data']],
    ]);
    const interval = wilsonInterval(90, 100);
    expect(result.transitions[0]!.criteria[0]).toMatchObject({
      id: 'a',
      metric: 'multi_device_coverage',
      kind: 'proportion',
      unit: 'proportion',
      perUnit: null,
      comparator: 'gte',
      threshold: 0.5,
      minSample: 10,
      windowDays: 28,
      value: 0.9,
      ciLow: interval.low,
      ciHigh: interval.high,
      sampleSize: 100,
      measurement: proportion(90, 100),
      perDeviceClass: false,
      deviceClass: null,
      classes: [],
      trend: [],
      window: { from: new Date(TO.getTime() - 28 * DAY).toISOString(), to: TO.toISOString() },
      sampleUnit: 'active passkey holders',
    });
  });

  it('marks the current stage, the transition out of it and the stages before and after', async () => {
    const { measurer } = scriptedMeasurer({ multi_device_coverage: () => proportion(1, 2) });
    const cfg = configWith(
      { 1: [share('a')], 2: [share('b')], 3: [share('c')], 4: [share('d')] },
      { currentStage: 2, stageEnteredAt: '2026-06-01' },
    );
    const result = await evaluateStages({ config: cfg, decisions: [], to: TO, trendWindows: 0, measurer });
    expect(result).toMatchObject({ currentStage: 2, currentStageSource: 'config', daysAtCurrentStage: 14 });
    expect(result.stages.map((s) => s.state)).toEqual(['done', 'current', 'upcoming', 'upcoming', 'upcoming']);
    expect(result.transitions.map((t) => t.next)).toEqual([false, true, false, false]);
  });

  it('returns the trend over the previous windows with the current window last, and measures each window once', async () => {
    const { measurer, calls } = scriptedMeasurer({ multi_device_coverage: (_window, index) => proportion(10 * (index + 1), 100) });
    measurer.windows = criterionWindows(TO, 28, 2);
    const cfg = configWith({ 1: [share('a', 0.5, 50)], 2: [share('b', 0.5, 50)], 3: [share('c', 0.5, 50)], 4: [share('d', 0.5, 50)] });
    const result = await evaluateStages({ config: cfg, decisions: [], to: TO, trendWindows: 2, measurer });
    const criterion = result.transitions[0]!.criteria[0]!;
    expect(criterion.trend.map((p) => [p.from, p.to, p.value, p.status])).toEqual([
      [measurer.windows[0]!.from.toISOString(), measurer.windows[0]!.to.toISOString(), 0.1, 'fail'],
      [measurer.windows[1]!.from.toISOString(), measurer.windows[1]!.to.toISOString(), 0.2, 'fail'],
      [measurer.windows[2]!.from.toISOString(), TO.toISOString(), 0.3, 'fail'],
    ]);
    expect(criterion.value).toBe(0.3);
    expect(calls.filter((call) => call.window.to.getTime() === TO.getTime())).toHaveLength(4);
    expect(calls).toHaveLength(12);
  });

  it('reads a trend window from a stored judgement when one is given, and measures the rest', async () => {
    const { measurer, calls } = scriptedMeasurer({ multi_device_coverage: (_window, index) => proportion(10 * (index + 1), 100) });
    measurer.windows = criterionWindows(TO, 28, 2);
    const cfg = configWith({ 1: [share('a', 0.5, 50)], 2: [share('b', 0.5, 50)], 3: [share('c', 0.5, 50)], 4: [share('d', 0.5, 50)] });
    const oldest = measurer.windows[0]!;
    const asked: string[] = [];
    const storedJudgement = { value: 0.77, ciLow: 0.7, ciHigh: 0.8, sampleSize: 500, status: 'pass' as const };
    const result = await evaluateStages({
      config: cfg,
      decisions: [],
      to: TO,
      trendWindows: 2,
      measurer,
      stored: (fromStage, criterionId, windowTo) => {
        asked.push(`${fromStage}:${criterionId}:${windowTo.toISOString()}`);
        return fromStage === 1 && windowTo.getTime() === oldest.to.getTime() ? storedJudgement : undefined;
      },
    });
    const [first, second, current] = result.transitions[0]!.criteria[0]!.trend;
    expect(first).toEqual({ ...storedJudgement, from: oldest.from.toISOString(), to: oldest.to.toISOString(), stored: true });
    expect([second!.value, second!.stored, current!.value, current!.stored]).toEqual([0.2, false, 0.3, false]);
    // Only the previous windows are looked up (the current one ends now), and the stored one is not measured.
    expect(asked).toHaveLength(8);
    expect(asked.every((key) => !key.endsWith(TO.toISOString()))).toBe(true);
    expect(calls).toHaveLength(11);
    expect(result.transitions[1]!.criteria[0]!.trend.map((point) => point.stored)).toEqual([false, false, false]);
  });

  it('judges per-device-class criteria in every class; small classes are shown but do not decide', async () => {
    const registration: GateCriterionInput = {
      id: 'registration',
      metric: 'registration_ceremony_success_rate',
      comparator: 'gte',
      threshold: 0.9,
      minSample: 100,
      perDeviceClass: true,
    };
    const { measurer, calls } = scriptedMeasurer(
      { multi_device_coverage: () => proportion(1, 2) },
      {
        registration_ceremony_success_rate: () => [
          { deviceClass: 'mobile-ios', measurement: proportion(190, 200) },
          { deviceClass: 'desktop-windows', measurement: proportion(99, 100) },
          { deviceClass: 'desktop-linux', measurement: proportion(5, 12) },
        ],
      },
    );
    const cfg = configWith({ 1: [registration], 2: [share('b')], 3: [share('c')], 4: [share('d')] });
    const result = await evaluateStages({ config: cfg, decisions: [], to: TO, trendWindows: 0, measurer });
    const criterion = result.transitions[0]!.criteria[0]!;
    expect(calls.find((call) => call.metric === 'registration_ceremony_success_rate')?.perClass).toBe(true);
    expect(criterion.classes.map((c) => [c.deviceClass, c.status, c.qualifies, c.sampleSize])).toEqual([
      ['desktop-linux', 'insufficient_data', false, 12],
      ['desktop-windows', 'pass', true, 100],
      ['mobile-ios', 'pass', true, 200],
    ]);
    // mobile-ios (95 %, low 0.910) is nearer to failing than desktop-windows (99 %, low 0.946).
    expect(criterion).toMatchObject({
      status: 'pass',
      deviceClass: 'mobile-ios',
      value: 0.95,
      sampleSize: 200,
      measurement: proportion(190, 200),
    });
    expect(criterion.classes[0]!.drillDown).toMatch(/^\/registration\?groupBy=deviceClass&deviceClass=desktop-linux&from=/);
    expect(result.transitions[0]!.verdict).toBe('ready');
  });

  it('reports an empty measurement for a per-class criterion with no class at all', async () => {
    const registration: GateCriterionInput = {
      id: 'r',
      metric: 'registration_ceremony_success_rate',
      comparator: 'gte',
      threshold: 0.9,
      minSample: 100,
      perDeviceClass: true,
    };
    const { measurer } = scriptedMeasurer(
      { multi_device_coverage: () => proportion(1, 2) },
      { registration_ceremony_success_rate: () => [] },
    );
    const result = await evaluateStages({
      config: configWith({ 1: [registration], 2: [share('b')], 3: [share('c')], 4: [share('d')] }),
      decisions: [],
      to: TO,
      trendWindows: 0,
      measurer,
    });
    expect(result.transitions[0]!.criteria[0]).toMatchObject({
      status: 'insufficient_data',
      value: null,
      sampleSize: 0,
      deviceClass: null,
      classes: [],
      measurement: proportion(0, 0),
    });
  });

  it('judges the time-at-stage rule from the stage state, without measuring anything', async () => {
    const days: GateCriterionInput = { id: 'days', metric: 'days_at_current_stage', comparator: 'gte', threshold: 60, minSample: 0 };
    const { measurer, calls } = scriptedMeasurer({ multi_device_coverage: () => proportion(1, 2) });
    const cfg = configWith(
      { 1: [share('a')], 2: [share('b')], 3: [days], 4: [share('d')] },
      { currentStage: 3, stageEnteredAt: '2026-04-01T00:00:00Z' },
    );
    const atThree = await evaluateStages({ config: cfg, decisions: [], to: TO, trendWindows: 6, measurer });
    expect(atThree.transitions[2]!.criteria[0]).toMatchObject({
      label: 'Days at stage 3',
      unit: 'days',
      value: 75,
      status: 'pass',
      sampleSize: null,
      trend: [],
      measurement: { kind: 'duration', days: 75 },
      drillDown: '/stages#decisions',
    });
    expect(calls.some((call) => call.metric === ('days_at_current_stage' as MeasuredMetricId))).toBe(false);

    const early = await evaluateStages({ config: cfg, decisions: [], to: new Date('2026-05-01T00:00:00Z'), trendWindows: 0, measurer });
    expect(early.transitions[2]!.criteria[0]).toMatchObject({ value: 30, status: 'fail' });
    const unknown = await evaluateStages({
      config: configWith({ 1: [share('a')], 2: [share('b')], 3: [days], 4: [share('d')] }, { currentStage: 3 }),
      decisions: [],
      to: TO,
      trendWindows: 0,
      measurer,
    });
    expect(unknown.transitions[2]).toMatchObject({
      verdict: 'insufficient_data',
      criteria: [{ value: null, status: 'insufficient_data' }],
    });
    // Judged at `stateAt` (now) while the windows end at `to`.
    const later = await evaluateStages({
      config: cfg,
      decisions: [],
      to: TO,
      stateAt: new Date(TO.getTime() + 10 * DAY),
      trendWindows: 0,
      measurer,
    });
    expect(later.transitions[2]!.criteria[0]!.value).toBe(85);
  });

  it('measures high-risk metrics with riskTier=high and reports counts, rates and ratios in their units', async () => {
    const cfg = configWith({
      1: [{ id: 'ratio', metric: 'holders_recovery_rate_vs_non_holders', comparator: 'lte', threshold: 1, minSample: 30 }],
      2: [{ id: 'tickets', metric: 'passkey_tickets_per_1000_active_users', comparator: 'lte', threshold: 2, minSample: 2000 }],
      3: [share('c')],
      4: [{ id: 'phish', metric: 'high_risk_phishable_recoveries', comparator: 'lte', threshold: 0, minSample: 20 }],
    });
    const { measurer, calls } = scriptedMeasurer({
      holders_recovery_rate_vs_non_holders: () => ({
        kind: 'rate_comparison',
        subject: { events: 5, exposure: 1000 },
        reference: { events: 40, exposure: 1000 },
      }),
      passkey_tickets_per_1000_active_users: () => ({ kind: 'rate', events: 0, exposure: 5000, perUnit: 1000, sampleSize: 5000 }),
      multi_device_coverage: () => proportion(1, 2),
      high_risk_phishable_recoveries: () => ({ kind: 'count', count: 1, sampleSize: 3 }),
    });
    const result = await evaluateStages({ config: cfg, decisions: [], to: TO, trendWindows: 0, measurer });
    expect(calls.find((call) => call.metric === 'high_risk_phishable_recoveries')?.filters).toEqual({ deviceClass: [], riskTier: 'high' });
    const [ratio, tickets, , phish] = result.transitions.map((t) => t.criteria[0]!);
    expect(ratio).toMatchObject({ unit: 'ratio', value: 0.125, status: 'pass', sampleSize: 45 });
    expect(tickets).toMatchObject({ unit: 'rate', perUnit: 1000, value: 0, ciLow: 0, status: 'pass', sampleSize: 5000 });
    // One phishable recovery fails even among 3 high-risk users (below the minimum sample).
    expect(phish).toMatchObject({
      unit: 'count',
      value: 1,
      status: 'fail',
      sampleSize: 3,
      drillDown: expect.stringContaining('riskTier=high'),
    });
  });
});

describe('empty measurements', () => {
  it('carry no observation for every kind', () => {
    expect(emptyMeasurement('proportion')).toEqual({ kind: 'proportion', successes: 0, n: 0 });
    expect(emptyMeasurement('rate', 1000)).toEqual({ kind: 'rate', events: 0, exposure: 0, perUnit: 1000 });
    expect(emptyMeasurement('rate_comparison')).toEqual({
      kind: 'rate_comparison',
      subject: { events: 0, exposure: 0 },
      reference: { events: 0, exposure: 0 },
    });
    expect(emptyMeasurement('count')).toEqual({ kind: 'count', count: 0, sampleSize: 0 });
    expect(emptyMeasurement('duration')).toEqual({ kind: 'duration', days: null });
  });
});
