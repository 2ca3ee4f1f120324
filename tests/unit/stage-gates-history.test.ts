import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { StageTransitionResult } from '@/lib/contracts/stages';
import { zStageHistoryResponse } from '@/lib/contracts/stage-history';
import { parseRolloutConfig } from '@/lib/stage-gates/config';
import {
  buildHistory,
  configFingerprint,
  dayState,
  daysToEvaluate,
  evaluationRows,
  evaluationTo,
  historyDays,
  isSettled,
  lateDataSince,
  SETTLE_MS,
  storedDays,
  type StoredEvaluationRow,
  type StoredRun,
} from '@/lib/stage-gates/history';
import { loadMigrations, renderStatements } from '@/lib/migrate';
import { DEFAULT_TREND_WINDOWS } from '@/lib/contracts/stages';
import { criterionWindows } from '@/lib/stage-gates/evaluate';

const config = parseRolloutConfig(
  JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../config/rollout.default.json'), 'utf8')),
);
const NOW = Date.parse('2026-12-05T03:00:00Z');
const fingerprint = configFingerprint(config, undefined);

const run = (day: string, watermark: string, print = fingerprint): StoredRun => ({
  day,
  evaluatedAtMs: Date.parse(watermark) + 500,
  watermarkMs: Date.parse(watermark),
  configFingerprint: print,
});

describe('stored days', () => {
  const withWindows = (windowDays: number) => ({
    transitions: config.transitions.map((transition) => ({
      ...transition,
      criteria: transition.criteria.map((criterion) => ({ ...criterion, windowDays })),
    })),
  });

  it('reach back as far as the default trend of an evaluation as of any time in the last two weeks', () => {
    const days = storedDays(config);
    expect(days).toBe(DEFAULT_TREND_WINDOWS * 28 + 15); // the default configuration's windows are 28 days
    const stored = new Set(historyDays(NOW, days));
    for (const hoursAgo of [0, 1, 23, 24 * 7, 24 * 14 - 1]) {
      const to = new Date(NOW - hoursAgo * 3_600_000);
      const previous = criterionWindows(to, 28, DEFAULT_TREND_WINDOWS).slice(0, -1);
      expect(previous).toHaveLength(DEFAULT_TREND_WINDOWS);
      // each previous window ends at a midnight: the day before it is the stored day that judged it
      for (const window of previous) expect(stored.has(utcDayBefore(window.to))).toBe(true);
    }
  });

  it('are never fewer than the 90 shown nor more than a year and a day', () => {
    expect(storedDays(withWindows(7))).toBe(90);
    expect(storedDays(withWindows(400))).toBe(366);
  });
});

const utcDayBefore = (end: Date) => new Date(end.getTime() - 86_400_000).toISOString().slice(0, 10);

describe('history days', () => {
  it('covers the complete UTC days before today, oldest first', () => {
    const days = historyDays(NOW, 90);
    expect(days).toHaveLength(90);
    expect(days.at(-1)).toBe('2026-12-04');
    expect(days[0]).toBe('2026-09-06');
    expect(historyDays(NOW, 3)).toEqual(['2026-12-02', '2026-12-03', '2026-12-04']);
  });

  it('evaluates a day as of its end, once 2 h 15 min have passed', () => {
    expect(evaluationTo('2026-12-04').toISOString()).toBe('2026-12-05T00:00:00.000Z');
    expect(SETTLE_MS).toBe(2 * 3_600_000 + 15 * 60_000);
    expect(isSettled('2026-12-04', Date.parse('2026-12-05T02:14:59.999Z'))).toBe(false);
    expect(isSettled('2026-12-04', Date.parse('2026-12-05T02:15:00Z'))).toBe(true);
  });
});

describe('the late-data rule', () => {
  it('an evaluation is outdated by an event received at or after its watermark that can reach its day', () => {
    const stored = run('2026-12-01', '2026-12-02T03:00:00Z');
    expect(dayState(undefined, fingerprint, [])).toBe('not_evaluated');
    expect(dayState(stored, fingerprint, [])).toBe('evaluated');
    // An event dated 2026-12-01 (earliest affected day) received after the watermark.
    expect(dayState(stored, fingerprint, [{ day: '2026-12-01', lastReceivedMs: Date.parse('2026-12-03T00:00:00Z') }])).toBe('outdated');
    // An older day's late event affects every later day too (holders, windows).
    expect(dayState(stored, fingerprint, [{ day: '2026-11-10', lastReceivedMs: Date.parse('2026-12-03T00:00:00Z') }])).toBe('outdated');
    // Received exactly at the watermark: not visible to it, so outdated.
    expect(dayState(stored, fingerprint, [{ day: '2026-12-01', lastReceivedMs: stored.watermarkMs }])).toBe('outdated');
    // Received before the watermark: the evaluation saw it.
    expect(dayState(stored, fingerprint, [{ day: '2026-12-01', lastReceivedMs: stored.watermarkMs - 1 }])).toBe('evaluated');
    // A later day's event cannot change it.
    expect(dayState(stored, fingerprint, [{ day: '2026-12-02', lastReceivedMs: Date.parse('2026-12-04T00:00:00Z') }])).toBe('evaluated');
    // An erasure (reported as 1970-01-01) changes every day.
    expect(dayState(stored, fingerprint, [{ day: '1970-01-01', lastReceivedMs: Date.parse('2026-12-03T00:00:00Z') }])).toBe('outdated');
  });

  it('an evaluation under another configuration counts as not evaluated', () => {
    const changed = configFingerprint({ ...config, currentStage: 2 }, undefined);
    expect(changed).not.toBe(fingerprint);
    expect(configFingerprint(config, 'production')).not.toBe(fingerprint);
    expect(dayState(run('2026-12-01', '2026-12-02T03:00:00Z', changed), fingerprint, [])).toBe('not_evaluated');
  });

  it('looks for late data from the oldest current watermark', () => {
    expect(lateDataSince([], fingerprint)).toBeNull();
    const runs = [
      run('2026-12-01', '2026-12-02T03:00:00Z'),
      run('2026-12-02', '2026-12-03T03:00:00Z'),
      run('2026-11-30', '2026-11-01T00:00:00Z', 'other'),
    ];
    expect(lateDataSince(runs, fingerprint)?.toISOString()).toBe('2026-12-02T03:00:00.000Z');
  });

  it('picks settled days that are missing or outdated, newest first', () => {
    const runs = historyDays(NOW, 90).map((day) => run(day, `${day}T23:00:00Z`));
    // Everything stored and nothing late: nothing to do.
    expect(
      daysToEvaluate(
        NOW + 86_400_000 * 0,
        runs.map((entry) => ({ ...entry, watermarkMs: NOW - 1 })),
        fingerprint,
        [],
        90,
      ),
    ).toEqual([]);
    // Yesterday (2026-12-04) ended 3 h ago: settled. A late event of 2026-12-02 outdates 12-02 … 12-04.
    const fresh = runs.map((entry) => ({ ...entry, watermarkMs: NOW - 60_000 }));
    expect(daysToEvaluate(NOW, fresh, fingerprint, [{ day: '2026-12-02', lastReceivedMs: NOW - 1 }], 90)).toEqual([
      '2026-12-04',
      '2026-12-03',
      '2026-12-02',
    ]);
    expect(daysToEvaluate(NOW, fresh, fingerprint, [{ day: '2026-12-02', lastReceivedMs: NOW - 1 }], 2)).toEqual([
      '2026-12-04',
      '2026-12-03',
    ]);
    // Nothing stored at 01:00: yesterday has not settled yet, so the day before is first.
    const early = Date.parse('2026-12-05T01:00:00Z');
    const todo = daysToEvaluate(early, [], fingerprint, [], 90);
    expect(todo[0]).toBe('2026-12-03');
    expect(todo).toHaveLength(89);
    // Further back than the 90 days shown when the stored days reach further (storedDays).
    const longer = daysToEvaluate(early, [], fingerprint, [], 500, 183);
    expect(longer).toHaveLength(182);
    expect(longer.at(-1)).toBe(historyDays(early, 183)[0]);
  });
});

function transitionResults(verdict: StageTransitionResult['verdict']): StageTransitionResult[] {
  return config.transitions.map((transition) => ({
    from: transition.from,
    to: transition.to,
    verdict,
    next: false,
    criteria: transition.criteria.map((criterion, index) => ({
      id: criterion.id,
      metric: criterion.metric,
      kind: 'proportion',
      unit: 'proportion',
      perUnit: null,
      label: criterion.id,
      description: null,
      comparator: criterion.comparator,
      threshold: criterion.threshold,
      minSample: criterion.minSample,
      sampleUnit: 'x',
      windowDays: 28,
      window: { from: '2026-11-05T00:00:00.000Z', to: '2026-12-03T00:00:00.000Z' },
      filters: { deviceClass: [], riskTier: null },
      perDeviceClass: false,
      deviceClass: index === 0 ? 'mobile-ios' : null,
      classes: [],
      measurement: { kind: 'proportion', successes: 3 * index, n: 10 },
      trend: [],
      drillDown: null,
      value: (3 * index) / 10,
      ciLow: 0.1 / 3,
      ciHigh: null,
      sampleSize: 10,
      status: 'inconclusive',
    })),
  }));
}

describe('stored rows and the history built from them', () => {
  const meta = {
    configVersion: 1,
    configFingerprint: fingerprint,
    evaluatedAtMs: Date.parse('2026-12-05T02:30:00Z'),
    watermarkMs: Date.parse('2026-12-05T02:29:59Z'),
  };

  it('stores one row per transition and criterion with the verdict, the judgement and the counts', () => {
    const rows = evaluationRows('2026-12-02', transitionResults('not_ready'), meta);
    expect(rows).toHaveLength(config.transitions.reduce((sum, transition) => sum + transition.criteria.length, 0));
    expect(rows[1]).toMatchObject({
      day: '2026-12-02',
      from_stage: 1,
      to_stage: 2,
      transition_verdict: 'not_ready',
      status: 'inconclusive',
      value: 0.3,
      ci_low: 0.1 / 3,
      ci_high: null,
      sample_size: 10,
      measurement: JSON.stringify({ kind: 'proportion', successes: 3, n: 10 }),
      device_class: '',
      evaluated_at: '2026-12-05 02:30:00.000',
      watermark: '2026-12-05 02:29:59.000',
    });
    expect(rows[0]?.device_class).toBe('mobile-ios');
  });

  it('gives every day of the range its state; missing days carry no values', () => {
    const stored: StoredEvaluationRow[] = evaluationRows('2026-12-03', transitionResults('ready'), meta).map((row) => ({
      day: row.day,
      fromStage: row.from_stage,
      criterionId: row.criterion_id,
      transitionVerdict: row.transition_verdict,
      status: row.status,
      value: row.value,
      ciLow: row.ci_low,
      ciHigh: row.ci_high,
      sampleSize: row.sample_size,
      configFingerprint: row.config_fingerprint,
      evaluatedAtMs: meta.evaluatedAtMs,
      watermarkMs: meta.watermarkMs,
    }));
    const history = buildHistory({ config, fingerprint, now: NOW, days: 3, rows: stored, late: [] });
    expect(zStageHistoryResponse.parse(history)).toEqual(history);
    expect(history).toMatchObject({ days: 3, firstDay: '2026-12-02', lastDay: '2026-12-04', settledThrough: '2026-12-04' });
    expect(history.counts).toEqual({ evaluated: 1, outdated: 0, notEvaluated: 2 });
    const gate = history.transitions[0]!;
    expect(gate.criteria.map((criterion) => criterion.id)).toEqual(config.transitions[0]!.criteria.map((criterion) => criterion.id));
    expect(gate.days.map((day) => [day.day, day.state, day.verdict, day.criteria.length])).toEqual([
      ['2026-12-02', 'not_evaluated', null, 0],
      ['2026-12-03', 'evaluated', 'ready', 3],
      ['2026-12-04', 'not_evaluated', null, 0],
    ]);
    expect(gate.days[1]).toMatchObject({ evaluationTo: '2026-12-04T00:00:00.000Z', evaluatedAt: '2026-12-05T02:30:00.000Z' });
    expect(gate.days[1]!.criteria[1]).toEqual({
      id: config.transitions[0]!.criteria[1]!.id,
      value: 0.3,
      ciLow: 0.1 / 3,
      ciHigh: null,
      sampleSize: 10,
      status: 'inconclusive',
    });

    const late = buildHistory({ config, fingerprint, now: NOW, days: 3, rows: stored, late: [{ day: '2026-12-03', lastReceivedMs: NOW }] });
    expect(late.transitions[0]!.days[1]!.state).toBe('outdated');
    expect(late.transitions[0]!.days[1]!.criteria).toHaveLength(3);
    expect(late.counts).toEqual({ evaluated: 0, outdated: 1, notEvaluated: 2 });
  });
});

describe('migration 0012 (gate_evaluations, stage_decision_snapshots)', () => {
  const migration = loadMigrations().find((entry) => entry.version === 12)!;

  it('renders single-node tables', () => {
    expect(migration.name).toBe('0012_gate_evaluations');
    const statements = renderStatements(migration.sql, undefined);
    expect(statements).toHaveLength(2);
    expect(statements[1]).toMatch(/CREATE TABLE IF NOT EXISTS stage_decision_snapshots\s+\(/);
    expect(statements[1]).toMatch(/ENGINE = MergeTree\s+ORDER BY decision_id/);
    expect(statements[0]).toMatch(/CREATE TABLE IF NOT EXISTS gate_evaluations\s+\(/);
    expect(statements[0]).toMatch(/ENGINE = ReplacingMergeTree\(evaluated_at\)/);
    expect(statements[0]).toMatch(/ORDER BY \(day, from_stage, criterion_id\)/);
  });

  it('renders the cluster variant: replicated local tables and Distributed tables on one shard', () => {
    const statements = renderStatements(migration.sql, 'analytics');
    expect(statements).toHaveLength(4);
    expect(statements[2]).toMatch(
      /CREATE TABLE IF NOT EXISTS stage_decision_snapshots_local ON CLUSTER `analytics`[\s\S]*ENGINE = ReplicatedMergeTree/,
    );
    expect(statements[3]).toMatch(/ENGINE = Distributed\('analytics', currentDatabase\(\), stage_decision_snapshots_local, 0\)/);
    expect(statements[0]).toMatch(/CREATE TABLE IF NOT EXISTS gate_evaluations_local ON CLUSTER `analytics`/);
    expect(statements[0]).toMatch(/ENGINE = ReplicatedReplacingMergeTree\(evaluated_at\)/);
    expect(statements[1]).toMatch(
      /CREATE TABLE IF NOT EXISTS gate_evaluations ON CLUSTER `analytics` AS gate_evaluations_local\s+ENGINE = Distributed\('analytics', currentDatabase\(\), gate_evaluations_local, 0\)/,
    );
  });
});
