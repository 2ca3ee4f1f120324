/**
 * The rollout experiment's statistics (lib/stage-gates/experiment-stats.ts), the panel's texts
 * (components/stages/prepare-experiment.ts) and the configuration's `experiment` block. Expected
 * values computed by hand (Wilson bounds, Newcombe's combination, the z statistics) in Python.
 */
import { describe, expect, it } from 'vitest';
import { effectText, experimentHeadline, pValueText } from '@/components/stages/prepare-experiment';
import type { ExperimentComparison, ExperimentResponse } from '@/lib/contracts/stage-experiment';
import { parseRolloutConfig } from '@/lib/stage-gates/config';
import { compareExperiment } from '@/lib/stage-gates/experiment';
import { experimentOutcome, proportionDifference, rateRatio } from '@/lib/stage-gates/experiment-stats';
import defaultConfig from '../../config/rollout.default.json';

describe('proportionDifference (Newcombe interval, pooled two-proportion z-test)', () => {
  it('90/100 against 80/100: +10 points, interval (0.00015, 0.19947), z = 1.9803, p = 0.0477', () => {
    const effect = proportionDifference({ successes: 90, n: 100 }, { successes: 80, n: 100 });
    expect(effect.estimate).toBeCloseTo(0.1, 12);
    expect(effect.ciLow).toBeCloseTo(0.00014902511855761913, 10);
    expect(effect.ciHigh).toBeCloseTo(0.19947387007806955, 10);
    expect(effect.pValue).toBeCloseTo(0.047670380656161505, 6);
  });

  it('is symmetric: swapping the arms negates the difference and mirrors the interval', () => {
    const forward = proportionDifference({ successes: 90, n: 100 }, { successes: 80, n: 100 });
    const backward = proportionDifference({ successes: 80, n: 100 }, { successes: 90, n: 100 });
    expect(backward.estimate).toBeCloseTo(-forward.estimate!, 12);
    expect(backward.ciLow).toBeCloseTo(-forward.ciHigh!, 12);
    expect(backward.ciHigh).toBeCloseTo(-forward.ciLow!, 12);
    expect(backward.pValue).toBeCloseTo(forward.pValue!, 12);
  });

  it('an empty arm has nothing to compare; two identical all-success arms differ by 0 with p = 1', () => {
    expect(proportionDifference({ successes: 0, n: 0 }, { successes: 5, n: 10 })).toEqual({
      estimate: null,
      ciLow: null,
      ciHigh: null,
      pValue: null,
    });
    const same = proportionDifference({ successes: 50, n: 50 }, { successes: 30, n: 30 });
    expect([same.estimate, same.pValue]).toEqual([0, 1]);
    expect(same.ciLow).toBeLessThan(0);
    expect(same.ciHigh).toBeGreaterThan(0);
  });
});

describe('rateRatio (conditional interval and test)', () => {
  it('30 events over 1,000 against 10 over 1,000: 3×, interval (1.4879, 6.0486), p = 0.00157', () => {
    const effect = rateRatio({ events: 30, exposure: 1000 }, { events: 10, exposure: 1000 });
    expect(effect.estimate).toBeCloseTo(3, 12);
    expect(effect.ciLow).toBeCloseTo(1.4879359104009713, 10);
    expect(effect.ciHigh).toBeCloseTo(6.048647617876678, 10);
    expect(effect.pValue).toBeCloseTo(0.0015654022580025523, 6);
  });

  it('no events at all cannot be tested; no control events leave the ratio open above', () => {
    expect(rateRatio({ events: 0, exposure: 100 }, { events: 0, exposure: 100 }).pValue).toBeNull();
    const open = rateRatio({ events: 4, exposure: 100 }, { events: 0, exposure: 100 });
    expect([open.estimate, open.ciHigh]).toEqual([Infinity, Infinity]);
    expect(open.pValue).toBeLessThan(0.05);
    expect(rateRatio({ events: 1, exposure: 0 }, { events: 1, exposure: 10 }).estimate).toBeNull();
  });
});

describe('experimentOutcome', () => {
  const significant = { estimate: 0.1, ciLow: 0.01, ciHigh: 0.19, pValue: 0.01 };
  it('follows the criterion: higher is better for gte, lower for lte', () => {
    expect(experimentOutcome(significant, 'proportion', true, true)).toBe('treatment_better');
    expect(experimentOutcome(significant, 'proportion', false, true)).toBe('treatment_worse');
    expect(experimentOutcome({ ...significant, estimate: 0.5 }, 'rate', false, true)).toBe('treatment_better');
    expect(experimentOutcome({ ...significant, estimate: 1.5 }, 'rate', false, true)).toBe('treatment_worse');
  });
  it('needs p < 0.05 and enough sample in both arms', () => {
    expect(experimentOutcome({ ...significant, pValue: 0.05 }, 'proportion', true, true)).toBe('no_difference');
    expect(experimentOutcome(significant, 'proportion', true, false)).toBe('insufficient_data');
    expect(experimentOutcome({ estimate: null, ciLow: null, ciHigh: null, pValue: null }, 'proportion', true, true)).toBe(
      'insufficient_data',
    );
  });
});

describe('the panel texts', () => {
  const base = {
    from: 1,
    to: 2,
    criterionId: 'holders-signin-success',
    label: "Holders' passkey sign-in success rate",
    metric: 'holders_passkey_signin_success_rate',
    kind: 'proportion',
    perUnit: null,
    window: { from: '2026-11-07T00:00:00.000Z', to: '2026-12-05T00:00:00.000Z' },
    better: 'higher',
    minSample: 200,
    control: { value: 0.8, sampleSize: 100, measurement: { kind: 'proportion', successes: 80, n: 100 } },
    treatment: { value: 0.9, sampleSize: 100, measurement: { kind: 'proportion', successes: 90, n: 100 } },
    effect: 'difference',
    estimate: 0.1,
    ciLow: 0.00014902511855761913,
    ciHigh: 0.19947387007806955,
    pValue: 0.0477,
    outcome: 'treatment_better',
  } satisfies ExperimentComparison;

  it('writes a difference in points and a ratio with an open end', () => {
    expect(effectText(base)).toBe('+10.0 pts (0.0 to +19.9)');
    expect(effectText({ ...base, effect: 'ratio', kind: 'rate', estimate: 3, ciLow: 1.4879, ciHigh: null })).toBe('3.00× (1.49 to ∞)');
    expect(effectText({ ...base, estimate: null })).toBe('—');
    expect([pValueText(0.0477), pValueText(0.0004), pValueText(null)]).toEqual(['p = 0.048', 'p < 0.001', '—']);
  });

  it('headlines a loss first, then wins, then "no clear difference"', () => {
    const data = (comparisons: ExperimentComparison[], treatments = ['treatment']) =>
      ({
        configured: true,
        evaluatedAt: base.window.to,
        configVersion: 1,
        flag: 'passkey-rollout',
        control: 'control',
        treatments,
        exposed: { control: 100, treatment: 100, both: 0 },
        alpha: 0.05,
        environments: [],
        comparisons,
      }) satisfies Extract<ExperimentResponse, { configured: true }>;
    expect(experimentHeadline(data([base, { ...base, outcome: 'treatment_worse', label: 'Upsell acceptance rate' }]))).toBe(
      'Treatment worse on upsell acceptance rate.',
    );
    expect(experimentHeadline(data([base, { ...base, outcome: 'no_difference' }]))).toBe(
      'Treatment better on 1 of 2 criteria, worse on none.',
    );
    expect(experimentHeadline(data([{ ...base, outcome: 'insufficient_data' }]))).toBe(
      'No clear difference between treatment and control on any criterion yet.',
    );
    expect(experimentHeadline(data([], []))).toBe('No user has been given a treatment variant of passkey-rollout yet.');
  });
});

describe('the configuration', () => {
  it('accepts a flag and its control variant, and refuses an empty or unknown field', () => {
    const config = parseRolloutConfig({ ...defaultConfig, experiment: { flag: 'passkey-rollout', control: 'control' } });
    expect(config.experiment).toEqual({ flag: 'passkey-rollout', control: 'control' });
    expect(() => parseRolloutConfig({ ...defaultConfig, experiment: { flag: '', control: 'control' } })).toThrow(/experiment\.flag/);
    expect(() => parseRolloutConfig({ ...defaultConfig, experiment: { flag: 'f', control: 'c', arms: 2 } })).toThrow(/arms/);
  });

  it('answers "not configured" without an experiment, reading nothing', async () => {
    const config = parseRolloutConfig(defaultConfig);
    const unused = {
      measure: () => Promise.reject(new Error('must not measure')),
      measureByDeviceClass: () => Promise.reject(new Error('must not measure')),
    };
    await expect(compareExperiment(config, new Date('2026-12-05T00:00:00Z'), unused)).resolves.toEqual({
      configured: false,
      evaluatedAt: '2026-12-05T00:00:00.000Z',
    });
  });
});
