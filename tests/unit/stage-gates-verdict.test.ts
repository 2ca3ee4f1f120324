import { describe, expect, it } from 'vitest';
import {
  judgeCriterion,
  judgeExact,
  judgeInterval,
  judgePerDeviceClass,
  transitionVerdict,
  worstStatus,
  type CriterionRule,
  type CriterionStatus,
} from '@/lib/stage-gates/verdict';
import { wilsonInterval } from '@/lib/stage-gates/stats';

const atLeast90: CriterionRule = { comparator: 'gte', threshold: 0.9, minSample: 100 };
const atMost10: CriterionRule = { comparator: 'lte', threshold: 0.1, minSample: 200 };

describe('judgeCriterion — proportions (Wilson 95 %)', () => {
  it('is insufficient_data at n = 0 with nothing to show, whatever minSample says', () => {
    expect(judgeCriterion({ ...atLeast90, kind: 'proportion', successes: 0, n: 0 })).toEqual({
      value: null,
      ciLow: null,
      ciHigh: null,
      sampleSize: 0,
      status: 'insufficient_data',
    });
    expect(judgeCriterion({ ...atLeast90, minSample: 0, kind: 'proportion', successes: 0, n: 0 }).status).toBe('insufficient_data');
  });

  it('is insufficient_data below the minimum sample but still reports value and interval', () => {
    // 99/99 would comfortably pass with enough sample.
    const judgement = judgeCriterion({ ...atLeast90, kind: 'proportion', successes: 99, n: 99 });
    expect(judgement.status).toBe('insufficient_data');
    expect(judgement.value).toBe(1);
    expect(judgement.ciLow).toBeCloseTo(wilsonInterval(99, 99).low, 15);
    expect(judgement.ciHigh).toBe(1);
    expect(judgement.sampleSize).toBe(99);
  });

  it('judges from exactly the minimum sample on', () => {
    const judgement = judgeCriterion({ ...atLeast90, kind: 'proportion', successes: 100, n: 100 });
    expect(judgement.status).toBe('pass'); // Wilson low 0.963 ≥ 0.9
    expect(judgement.sampleSize).toBe(100);
  });

  it('passes when the whole interval clears the threshold', () => {
    // 190/200: [0.9104, 0.9726]
    const judgement = judgeCriterion({ ...atLeast90, kind: 'proportion', successes: 190, n: 200 });
    expect(judgement).toMatchObject({ status: 'pass', value: 0.95, sampleSize: 200 });
    expect(judgement.ciLow).toBeCloseTo(0.910421851861224, 12);
    expect(judgement.ciHigh).toBeCloseTo(0.972617354399236, 12);
  });

  it('is inconclusive when the interval straddles the threshold', () => {
    // 180/200 = exactly 90 %: [0.8506, 0.9343]
    const judgement = judgeCriterion({ ...atLeast90, kind: 'proportion', successes: 180, n: 200 });
    expect(judgement).toMatchObject({ status: 'inconclusive', value: 0.9 });
  });

  it('fails when the whole interval is on the wrong side', () => {
    // 160/200: [0.7397, 0.8503]
    expect(judgeCriterion({ ...atLeast90, kind: 'proportion', successes: 160, n: 200 }).status).toBe('fail');
  });

  it('judges upper-bounded proportions the other way round', () => {
    // fallback-reliant share ≤ 10 %
    expect(judgeCriterion({ ...atMost10, kind: 'proportion', successes: 5, n: 400 }).status).toBe('pass');
    expect(judgeCriterion({ ...atMost10, kind: 'proportion', successes: 40, n: 400 }).status).toBe('inconclusive');
    expect(judgeCriterion({ ...atMost10, kind: 'proportion', successes: 80, n: 400 }).status).toBe('fail');
  });

  it('passes a low bound lying exactly on the threshold', () => {
    // Wilson low of 73/73 is 0.95000799…; use that very number as the threshold.
    const low = wilsonInterval(73, 73).low;
    expect(judgeCriterion({ comparator: 'gte', threshold: low, minSample: 1, kind: 'proportion', successes: 73, n: 73 }).status).toBe(
      'pass',
    );
  });

  it('rejects impossible measurements', () => {
    expect(() => judgeCriterion({ ...atLeast90, kind: 'proportion', successes: 5, n: 4 })).toThrow(RangeError);
    expect(() => judgeCriterion({ ...atLeast90, minSample: -1, kind: 'proportion', successes: 5, n: 5 })).toThrow(RangeError);
  });
});

describe('judgeInterval and judgeExact — the boundary rule', () => {
  it('treats a bound exactly at the threshold as meeting it', () => {
    // ≥ 0.9: low = 0.9 passes; high = 0.9 is not (yet) a fail.
    expect(judgeInterval({ low: 0.9, high: 0.95 }, 'gte', 0.9)).toBe('pass');
    expect(judgeInterval({ low: 0.85, high: 0.9 }, 'gte', 0.9)).toBe('inconclusive');
    expect(judgeInterval({ low: 0.85, high: 0.8999 }, 'gte', 0.9)).toBe('fail');
    expect(judgeInterval({ low: 0.9, high: 0.9 }, 'gte', 0.9)).toBe('pass');
    // ≤ 5: high = 5 passes; low = 5 is not (yet) a fail.
    expect(judgeInterval({ low: 3, high: 5 }, 'lte', 5)).toBe('pass');
    expect(judgeInterval({ low: 5, high: 7 }, 'lte', 5)).toBe('inconclusive');
    expect(judgeInterval({ low: 5.0001, high: 7 }, 'lte', 5)).toBe('fail');
  });

  it('absorbs floating-point noise at the threshold', () => {
    expect(judgeInterval({ low: 0.8999999999999999, high: 0.95 }, 'gte', 0.9)).toBe('pass');
    expect(judgeInterval({ low: 0.1, high: 0.30000000000000004 }, 'lte', 0.3)).toBe('pass');
    expect(judgeExact(0.1 + 0.2, 'lte', 0.3)).toBe('pass');
  });

  it('compares exact values with equality included', () => {
    expect(judgeExact(60, 'gte', 60)).toBe('pass');
    expect(judgeExact(59.5, 'gte', 60)).toBe('fail');
    expect(judgeExact(0, 'lte', 0)).toBe('pass');
    expect(judgeExact(1, 'eq_zero', 123)).toBe('fail');
    expect(judgeExact(0, 'eq_zero', 123)).toBe('pass');
  });
});

describe('judgeCriterion — rates (exact Poisson 95 %)', () => {
  const tickets: CriterionRule = { comparator: 'lte', threshold: 2, minSample: 2000 };

  it('passes zero tickets among 2,000 active users (upper bound 1.84 per 1,000)', () => {
    const judgement = judgeCriterion({ ...tickets, kind: 'rate', events: 0, exposure: 2000, perUnit: 1000 });
    expect(judgement).toMatchObject({ status: 'pass', value: 0, ciLow: 0, sampleSize: 2000 });
    expect(judgement.ciHigh).toBeCloseTo(1.8444397270569677, 12);
  });

  it('is insufficient below the minimum population', () => {
    expect(judgeCriterion({ ...tickets, kind: 'rate', events: 0, exposure: 1999, perUnit: 1000 }).status).toBe('insufficient_data');
  });

  it('uses sampleSize, not exposure, when the exposure is in user-weeks', () => {
    // 800 active users over 4 weeks: 3,200 user-weeks; 8 recovery starts = 2.5 per 1,000 per week.
    const recovery: CriterionRule = { comparator: 'lte', threshold: 5, minSample: 1000 };
    const measurement = { kind: 'rate', events: 8, exposure: 3200, perUnit: 1000 } as const;
    expect(judgeCriterion({ ...recovery, ...measurement, sampleSize: 800 }).status).toBe('insufficient_data');
    const judged = judgeCriterion({ ...recovery, ...measurement, sampleSize: 1000 });
    expect(judged.value).toBeCloseTo(2.5, 14);
    // Garwood upper bound for 8 events is 15.763, per 3.2 thousand user-weeks: 4.926 ≤ 5.
    expect(judged.ciHigh).toBeCloseTo(4.92599663131041, 10);
    expect(judged.status).toBe('pass');
  });

  it('fails when even the lower bound exceeds the threshold, inconclusive in between', () => {
    expect(judgeCriterion({ ...tickets, kind: 'rate', events: 40, exposure: 5000, perUnit: 1000 }).status).toBe('fail');
    expect(judgeCriterion({ ...tickets, kind: 'rate', events: 10, exposure: 5000, perUnit: 1000 }).status).toBe('inconclusive');
  });

  it('is insufficient with no exposure, even when something happened (a ticket from a user with no sign-in)', () => {
    for (const events of [0, 1, 7]) {
      expect(judgeCriterion({ ...tickets, minSample: 0, kind: 'rate', events, exposure: 0, perUnit: 1000 })).toEqual({
        value: null,
        ciLow: null,
        ciHigh: null,
        sampleSize: 0,
        status: 'insufficient_data',
      });
    }
  });
});

describe('judgeCriterion — rate comparison (holders vs non-holders)', () => {
  const notAbove: CriterionRule = { comparator: 'lte', threshold: 1, minSample: 30 };

  it('passes when holders are demonstrably no worse', () => {
    // 0 recoveries among 300 holders vs 40 among 700 non-holders: ratio ≤ 0.224.
    const judgement = judgeCriterion({
      ...notAbove,
      kind: 'rate_comparison',
      subject: { events: 0, exposure: 300 },
      reference: { events: 40, exposure: 700 },
    });
    expect(judgement).toMatchObject({ status: 'pass', value: 0, ciLow: 0, sampleSize: 40 });
    expect(judgement.ciHigh).toBeCloseTo(0.224085097873824, 12);
  });

  it('is inconclusive when the rates are alike, fails when holders are clearly worse', () => {
    const alike = judgeCriterion({
      ...notAbove,
      kind: 'rate_comparison',
      subject: { events: 20, exposure: 1000 },
      reference: { events: 20, exposure: 1000 },
    });
    expect(alike).toMatchObject({ status: 'inconclusive', value: 1 });
    const worse = judgeCriterion({
      ...notAbove,
      kind: 'rate_comparison',
      subject: { events: 30, exposure: 1000 },
      reference: { events: 10, exposure: 1000 },
    });
    expect(worse.status).toBe('fail');
    expect(worse.ciLow).toBeCloseTo(1.48793591040097, 12);
  });

  it('counts the events of both groups as the sample', () => {
    const judgement = judgeCriterion({
      ...notAbove,
      kind: 'rate_comparison',
      subject: { events: 0, exposure: 300 },
      reference: { events: 29, exposure: 700 },
    });
    expect(judgement).toMatchObject({ status: 'insufficient_data', sampleSize: 29 });
  });

  it('reports an unbounded ratio as a null bound, and a group nobody is in as insufficient', () => {
    const unbounded = judgeCriterion({
      ...notAbove,
      kind: 'rate_comparison',
      subject: { events: 35, exposure: 1000 },
      reference: { events: 0, exposure: 1000 },
    });
    expect(unbounded).toMatchObject({ status: 'fail', value: null, ciHigh: null });
    expect(unbounded.ciLow).toBeGreaterThan(1);
    expect(
      judgeCriterion({
        ...notAbove,
        kind: 'rate_comparison',
        subject: { events: 0, exposure: 0 },
        reference: { events: 50, exposure: 1000 },
      }).status,
    ).toBe('insufficient_data');
  });
});

describe('judgeCriterion — exact kinds', () => {
  const zeroPhishable: CriterionRule = { comparator: 'lte', threshold: 0, minSample: 20 };

  it('passes zero phishable recoveries with enough high-risk users, no interval', () => {
    expect(judgeCriterion({ ...zeroPhishable, kind: 'count', count: 0, sampleSize: 25 })).toEqual({
      value: 0,
      ciLow: null,
      ciHigh: null,
      sampleSize: 25,
      status: 'pass',
    });
  });

  it('fails on a single phishable recovery, even below the minimum sample', () => {
    expect(judgeCriterion({ ...zeroPhishable, kind: 'count', count: 1, sampleSize: 25 }).status).toBe('fail');
    expect(judgeCriterion({ ...zeroPhishable, kind: 'count', count: 1, sampleSize: 3 }).status).toBe('fail');
  });

  it('cannot pass a zero count observed over too few users', () => {
    expect(judgeCriterion({ ...zeroPhishable, kind: 'count', count: 0, sampleSize: 19 }).status).toBe('insufficient_data');
    expect(judgeCriterion({ ...zeroPhishable, minSample: 0, kind: 'count', count: 0, sampleSize: 0 }).status).toBe('insufficient_data');
  });

  it('supports the eq_zero shorthand', () => {
    const rule: CriterionRule = { comparator: 'eq_zero', threshold: Number.NaN, minSample: 1 };
    expect(judgeCriterion({ ...rule, kind: 'count', count: 0, sampleSize: 5 }).status).toBe('pass');
    expect(judgeCriterion({ ...rule, kind: 'count', count: 2, sampleSize: 5 }).status).toBe('fail');
  });

  it('treats a lower-bounded count short of its threshold as unproven below the minimum', () => {
    const atLeast3: CriterionRule = { comparator: 'gte', threshold: 3, minSample: 10 };
    expect(judgeCriterion({ ...atLeast3, kind: 'count', count: 1, sampleSize: 5 }).status).toBe('insufficient_data');
    expect(judgeCriterion({ ...atLeast3, kind: 'count', count: 1, sampleSize: 10 }).status).toBe('fail');
  });

  it('judges durations exactly, equality included, without a sample', () => {
    const sixtyDays: CriterionRule = { comparator: 'gte', threshold: 60, minSample: 0 };
    expect(judgeCriterion({ ...sixtyDays, kind: 'duration', days: 60 })).toEqual({
      value: 60,
      ciLow: null,
      ciHigh: null,
      sampleSize: null,
      status: 'pass',
    });
    expect(judgeCriterion({ ...sixtyDays, kind: 'duration', days: 59.9 }).status).toBe('fail');
    expect(judgeCriterion({ ...sixtyDays, kind: 'duration', days: 0 }).status).toBe('fail');
    expect(judgeCriterion({ ...sixtyDays, kind: 'duration', days: null }).status).toBe('insufficient_data');
    expect(() => judgeCriterion({ ...sixtyDays, kind: 'duration', days: -1 })).toThrow(RangeError);
  });
});

describe('judgePerDeviceClass', () => {
  const proportion = (successes: number, n: number) => ({ kind: 'proportion', successes, n }) as const;

  it('ignores classes below the minimum when another class qualifies', () => {
    const judgement = judgePerDeviceClass(atLeast90, [
      { deviceClass: 'mobile-ios', measurement: proportion(295, 300) },
      { deviceClass: 'desktop-linux', measurement: proportion(5, 12) }, // would fail, too small
      { deviceClass: 'desktop-windows', measurement: proportion(196, 200) },
    ]);
    expect(judgement.status).toBe('pass');
    expect(judgement.classes.map((c) => [c.deviceClass, c.status, c.qualifies])).toEqual([
      ['desktop-linux', 'insufficient_data', false],
      ['desktop-windows', 'pass', true],
      ['mobile-ios', 'pass', true],
    ]);
    // The reported value is the qualifying class nearest to failing (lowest low bound).
    expect(judgement.deviceClass).toBe('desktop-windows');
    expect(judgement.sampleSize).toBe(200);
  });

  it('lets the worst qualifying class decide: fail > inconclusive > pass', () => {
    const oneInconclusive = judgePerDeviceClass(atLeast90, [
      { deviceClass: 'mobile-ios', measurement: proportion(295, 300) },
      { deviceClass: 'mobile-android', measurement: proportion(180, 200) },
    ]);
    expect(oneInconclusive).toMatchObject({ status: 'inconclusive', deviceClass: 'mobile-android', value: 0.9 });

    const oneFail = judgePerDeviceClass(atLeast90, [
      { deviceClass: 'mobile-ios', measurement: proportion(295, 300) },
      { deviceClass: 'mobile-android', measurement: proportion(180, 200) },
      { deviceClass: 'desktop-macos', measurement: proportion(120, 150) },
    ]);
    expect(oneFail).toMatchObject({ status: 'fail', deviceClass: 'desktop-macos' });
  });

  it('is insufficient_data when no class has enough sample, showing the largest class', () => {
    const judgement = judgePerDeviceClass(atLeast90, [
      { deviceClass: 'mobile-ios', measurement: proportion(40, 40) },
      { deviceClass: 'desktop-windows', measurement: proportion(90, 99) },
    ]);
    expect(judgement).toMatchObject({ status: 'insufficient_data', deviceClass: 'desktop-windows', sampleSize: 99 });
    expect(judgement.classes.every((c) => !c.qualifies)).toBe(true);
  });

  it('is insufficient_data with no classes at all', () => {
    expect(judgePerDeviceClass(atLeast90, [])).toEqual({
      value: null,
      ciLow: null,
      ciHigh: null,
      sampleSize: 0,
      status: 'insufficient_data',
      deviceClass: null,
      classes: [],
    });
  });

  it('picks the class nearest to failing for upper bounds too', () => {
    const judgement = judgePerDeviceClass(atMost10, [
      { deviceClass: 'mobile-ios', measurement: proportion(2, 400) },
      { deviceClass: 'mobile-android', measurement: proportion(8, 400) },
    ]);
    expect(judgement).toMatchObject({ status: 'pass', deviceClass: 'mobile-android', value: 0.02 });
  });
});

describe('transitionVerdict', () => {
  const cases: Array<[CriterionStatus[], string]> = [
    [['pass', 'pass', 'pass'], 'ready'],
    [['pass', 'fail', 'pass'], 'not_ready'],
    [['pass', 'inconclusive', 'pass'], 'inconclusive'],
    [['fail', 'inconclusive', 'insufficient_data'], 'not_ready'],
    [['inconclusive', 'insufficient_data'], 'inconclusive'],
    [['pass', 'insufficient_data'], 'insufficient_data'],
    [['insufficient_data'], 'insufficient_data'],
    [[], 'insufficient_data'],
  ];

  it.each(cases)('%j → %s', (statuses, verdict) => {
    expect(transitionVerdict(statuses)).toBe(verdict);
  });
});

describe('worstStatus', () => {
  it('orders fail > inconclusive > insufficient_data > pass', () => {
    expect(worstStatus(['pass', 'inconclusive', 'fail'])).toBe('fail');
    expect(worstStatus(['pass', 'inconclusive'])).toBe('inconclusive');
    expect(worstStatus(['pass', 'insufficient_data'])).toBe('insufficient_data');
    expect(worstStatus(['pass'])).toBe('pass');
    expect(worstStatus([])).toBe('insufficient_data');
  });
});
