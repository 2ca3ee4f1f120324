import { describe, expect, it } from 'vitest';
import { evaluationExportUrl } from '@/components/stages/prepare-history';
import type { StageSegmentsResult, StageTransitionResult } from '@/lib/contracts/stages';
import { zDecisionSnapshot } from '@/lib/contracts/stage-snapshots';
import { snapshotOf, snapshotUrl } from '@/lib/stage-gates/decision-snapshots';
import type { StageEvaluation } from '@/lib/stage-gates/evaluate';
import { STAGES_CSV_COLUMNS, stagesCsv } from '@/lib/stage-gates/export';

const transitions: StageTransitionResult[] = [
  {
    from: 1,
    to: 2,
    verdict: 'inconclusive',
    next: true,
    criteria: [
      {
        id: 'upsell-acceptance',
        metric: 'upsell_acceptance_rate',
        kind: 'proportion',
        unit: 'proportion',
        perUnit: null,
        label: 'Upsell acceptance',
        description: null,
        comparator: 'gte',
        threshold: 0.25,
        minSample: 500,
        sampleUnit: 'upsells shown',
        windowDays: 28,
        window: { from: '2026-11-04T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z' },
        filters: { deviceClass: [], riskTier: null },
        perDeviceClass: false,
        deviceClass: null,
        classes: [],
        measurement: { kind: 'proportion', successes: 140, n: 500 },
        trend: [],
        drillDown: null,
        value: 0.28,
        ciLow: 0.24232009937006612,
        ciHigh: 0.3210960010451095,
        sampleSize: 500,
        status: 'inconclusive',
      },
    ],
  },
];

describe('the evaluation as CSV', () => {
  it('writes one row per criterion with the numbers exactly as computed', () => {
    const { body, rows } = stagesCsv({ evaluatedAt: '2026-12-02T00:00:00.000Z', configVersion: 1, transitions, segments: null });
    expect(rows).toBe(1);
    const [header, line] = body.split('\r\n');
    expect(header).toBe(STAGES_CSV_COLUMNS.join(','));
    expect(line).toBe(
      `2026-12-02T00:00:00.000Z,1,,,1,2,inconclusive,upsell-acceptance,upsell_acceptance_rate,gte,0.25,500,2026-11-04T00:00:00.000Z,2026-12-02T00:00:00.000Z,0.28,${String(0.24232009937006612)},0.3210960010451095,500,inconclusive,true,`,
    );
  });

  it('adds a row per segment value, and neutralises formula-like values unless raw', () => {
    const segments: StageSegmentsResult = {
      dimension: 'os',
      window: { from: '2026-11-04T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z' },
      maxValues: 12,
      values: [
        {
          value: '=cmd',
          transitions: [
            {
              from: 1,
              to: 2,
              verdict: 'insufficient_data',
              criteria: [
                {
                  id: 'upsell-acceptance',
                  applies: true,
                  value: null,
                  ciLow: null,
                  ciHigh: null,
                  sampleSize: 0,
                  status: 'insufficient_data',
                  measurement: { kind: 'proportion', successes: 0, n: 0 },
                },
              ],
            },
          ],
        },
      ],
      summaries: [{ from: 1, to: 2, overall: 'inconclusive', failing: [], inconclusive: [] }],
    };
    const { body, rows } = stagesCsv({ evaluatedAt: '2026-12-02T00:00:00.000Z', configVersion: 1, transitions, segments });
    expect(rows).toBe(2);
    expect(body.split('\r\n')[2]).toContain(",os,'=cmd,1,2,insufficient_data,upsell-acceptance,upsell_acceptance_rate,gte,0.25,500,");
    expect(stagesCsv({ evaluatedAt: 'x', configVersion: 1, transitions, segments }, { raw: true }).body.split('\r\n')[2]).toContain(
      ',os,=cmd,',
    );
  });

  it('links the JSON and CSV exports of the same evaluation', () => {
    expect(evaluationExportUrl('2026-12-02T00:00:00.000Z', 'json')).toBe('/api/v1/stages?trend=0&to=2026-12-02T00%3A00%3A00.000Z');
    expect(evaluationExportUrl('2026-12-02T00:00:00.000Z', 'csv')).toBe(
      '/api/v1/stages?trend=0&to=2026-12-02T00%3A00%3A00.000Z&format=csv',
    );
  });
});

describe('a decision snapshot', () => {
  it('keeps every verdict, value, interval, sample, status, count and window, with the config version', () => {
    const evaluation = {
      currentStage: 1,
      currentStageSource: 'config',
      stageEnteredAt: null,
      daysAtCurrentStage: null,
      stages: [],
      transitions,
    } as StageEvaluation;
    const snapshot = snapshotOf('d-1', evaluation, new Date('2026-12-02T00:00:00Z'), 1);
    expect(zDecisionSnapshot.parse(snapshot)).toEqual(snapshot);
    expect(snapshot).toMatchObject({ decisionId: 'd-1', evaluatedAt: '2026-12-02T00:00:00.000Z', configVersion: 1, currentStage: 1 });
    expect(snapshot.transitions[0]).toMatchObject({ from: 1, to: 2, verdict: 'inconclusive' });
    expect(snapshot.transitions[0]!.criteria[0]).toMatchObject({
      id: 'upsell-acceptance',
      value: 0.28,
      ciLow: 0.24232009937006612,
      ciHigh: 0.3210960010451095,
      sampleSize: 500,
      status: 'inconclusive',
      measurement: { kind: 'proportion', successes: 140, n: 500 },
      window: transitions[0]!.criteria[0]!.window,
    });
    expect(snapshotUrl('a b')).toBe('/api/v1/stages/decisions?id=a%20b');
  });
});
