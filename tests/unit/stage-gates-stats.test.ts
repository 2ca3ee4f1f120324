import { describe, expect, it } from 'vitest';
import {
  Z_95,
  gammaQuantile,
  logGamma,
  poissonInterval,
  poissonRateInterval,
  poissonRateRatioInterval,
  regularizedGammaP,
  regularizedGammaQ,
  wilsonInterval,
} from '@/lib/stage-gates/stats';

/** |actual − expected| ≤ rel·|expected| (or ≤ rel when expected is 0). */
function expectRelative(actual: number, expected: number, rel = 1e-9): void {
  const scale = Math.max(Math.abs(expected), 1e-300);
  if (expected === 0) expect(Math.abs(actual)).toBeLessThanOrEqual(rel);
  else expect(Math.abs(actual - expected) / scale, `${actual} vs ${expected}`).toBeLessThanOrEqual(rel);
}

describe('wilsonInterval', () => {
  // 95 % limits to 4 decimals as published — the first four rows are the worked examples of
  // Newcombe (1998), Statistics in Medicine 17:857 (score method) — and beside them the same
  // limits recomputed independently with mpmath at 30 significant digits.
  const published: Array<[successes: number, n: number, low: number, high: number, lowExact: number, highExact: number]> = [
    [81, 263, 0.2553, 0.3662, 0.255288519878274, 0.3662095769828],
    [15, 148, 0.0624, 0.1605, 0.0623863995307363, 0.160487241723308],
    [0, 20, 0, 0.1611, 0, 0.161125158052819],
    [1, 29, 0.0061, 0.1718, 0.00611321429276266, 0.171755218793203],
    [0, 10, 0, 0.2775, 0, 0.277532799862889],
    [10, 10, 0.7225, 1, 0.722467200137111, 1],
    [1, 10, 0.0179, 0.4042, 0.0178762130950729, 0.404150026795238],
    [5, 10, 0.2366, 0.7634, 0.236593090512564, 0.763406909487436],
    [9, 10, 0.5958, 0.9821, 0.595849973204762, 0.982123786904927],
    [29, 29, 0.883, 1, 0.883030201500259, 1],
  ];

  it.each(published)('%i/%i matches the published interval', (successes, n, low, high, lowExact, highExact) => {
    const interval = wilsonInterval(successes, n);
    expect(interval.low).toBeCloseTo(low, 4);
    expect(interval.high).toBeCloseTo(high, 4);
    expectRelative(interval.low, lowExact, 1e-12);
    expectRelative(interval.high, highExact, 1e-12);
    expect(interval.estimate).toBe(successes / n);
  });

  it('is exactly 0 at no successes and exactly 1 at all successes', () => {
    expect(wilsonInterval(0, 263).low).toBe(0);
    expect(wilsonInterval(263, 263).high).toBe(1);
    expect(wilsonInterval(1, 1)).toEqual({ low: expect.closeTo(0.206549314377237, 12), high: 1, estimate: 1 });
  });

  it('returns the whole unit interval and a null estimate for n = 0', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1, estimate: null });
  });

  it('is symmetric: [low, high] of x/n mirrors [1 − high, 1 − low] of (n − x)/n', () => {
    for (const [x, n] of [
      [3, 17],
      [81, 263],
      [199, 200],
    ] as const) {
      const a = wilsonInterval(x, n);
      const b = wilsonInterval(n - x, n);
      expect(a.low).toBeCloseTo(1 - b.high, 14);
      expect(a.high).toBeCloseTo(1 - b.low, 14);
    }
  });

  it('honours another z (90 %: z = 1.6448536269514722)', () => {
    const interval = wilsonInterval(81, 263, 1.6448536269514722);
    expectRelative(interval.low, 0.263313617188481, 1e-12);
    expectRelative(interval.high, 0.356566349608488, 1e-12);
  });

  it('needs n ≥ 73 perfect trials for the low bound to reach 95 % (docs/stage-gates.md relies on it)', () => {
    expect(wilsonInterval(72, 72).low).toBeLessThan(0.95);
    expect(wilsonInterval(73, 73).low).toBeGreaterThanOrEqual(0.95);
  });

  it('rejects impossible input', () => {
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(Number.NaN, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 10, 0)).toThrow(RangeError);
  });
});

describe('regularized incomplete gamma', () => {
  // Reference values: scipy.special.gammainc / gammaincc (Cephes), double precision.
  const reference: Array<[a: number, x: number, p: number, q: number]> = [
    [0.5, 2, 0.9544997361036415, 0.04550026389635857],
    [3, 2.5, 0.45618688411667035, 0.5438131158833297],
    [7.5, 3.1, 0.023811212715426515, 0.9761887872845735],
    [1, 1e-5, 9.999950000166668e-6, 0.9999900000499998],
    [50, 70, 0.994859497541494, 0.0051405024585059085],
    [1000, 950, 0.055054686230738045, 0.9449453137692619],
  ];

  it.each(reference)('P(%d, %d) and Q agree with the reference', (a, x, p, q) => {
    expectRelative(regularizedGammaP(a, x), p, 1e-12);
    expectRelative(regularizedGammaQ(a, x), q, 1e-12);
  });

  it('keeps the small tail precise', () => {
    expectRelative(regularizedGammaQ(2.5, 40), 8.391825114831597e-16, 1e-9);
  });

  it('handles the edges', () => {
    expect(regularizedGammaP(3, 0)).toBe(0);
    expect(regularizedGammaQ(3, 0)).toBe(1);
    expect(regularizedGammaP(3, Infinity)).toBe(1);
    expect(() => regularizedGammaP(0, 1)).toThrow(RangeError);
    expect(() => regularizedGammaP(1, -1)).toThrow(RangeError);
  });

  it('computes ln Γ accurately', () => {
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-14);
    expectRelative(logGamma(10), Math.log(362880), 1e-13);
    expectRelative(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-13);
    expectRelative(logGamma(0.1), 2.252712651734206, 1e-13);
  });

  it('inverts P: gammaQuantile(P(a, t), a) = t', () => {
    for (const a of [0.5, 1, 2, 7, 31.5, 400, 1e6]) {
      for (const t of [a / 10, a / 2, a, 2 * a + 1]) {
        const p = regularizedGammaP(a, t);
        if (p <= 1e-300 || p >= 1 - 1e-15) continue;
        expectRelative(gammaQuantile(p, a), t, 1e-9);
      }
    }
  });

  it('finds extreme quantiles of small shapes', () => {
    // scipy.stats.gamma.ppf(0.5, 1e-3) = 5.244206408274974e-302
    expectRelative(gammaQuantile(0.5, 1e-3), 5.244206408274974e-302, 1e-6);
    expect(gammaQuantile(0, 3)).toBe(0);
    expect(gammaQuantile(1, 3)).toBe(Infinity);
  });
});

/** P(X ≤ k) for X ~ Poisson(mean), summed term by term — independent of the gamma code. */
function poissonCdf(k: number, mean: number): number {
  let term = Math.exp(-mean);
  let sum = term;
  for (let i = 1; i <= k; i++) {
    term *= mean / i;
    sum += term;
  }
  return sum;
}

describe('poissonInterval (exact, Garwood)', () => {
  // 95 % limits as printed in the standard exact-Poisson tables (Garwood 1936, Biometrika 28:437,
  // and the many tables reproducing it), to the digits printed there.
  const published: Array<[count: number, low: number, high: number, digits: number]> = [
    [0, 0, 3.689, 3],
    [1, 0.0253, 5.572, 3],
    [2, 0.2422, 7.2247, 4],
    [5, 1.6235, 11.668, 3],
    [10, 4.7954, 18.39, 3],
  ];

  it.each(published)('x = %i matches the published limits', (count, low, high, digits) => {
    const interval = poissonInterval(count);
    expect(interval.low).toBeCloseTo(low, digits);
    expect(interval.high).toBeCloseTo(high, digits);
    expect(interval.estimate).toBe(count);
  });

  // ½·χ² quantiles from scipy.stats.chi2.ppf: low = ppf(0.025, 2x)/2, high = ppf(0.975, 2x + 2)/2.
  const chiSquare: Array<[count: number, low: number, high: number]> = [
    [0, 0, 3.6888794541139354],
    [1, 0.025317807984289876, 5.571643390938898],
    [2, 0.24220927854396496, 7.22468766772396],
    [3, 0.6186721228956014, 8.767273069742323],
    [4, 1.0898653736263249, 10.241588675403694],
    [5, 1.6234863901184207, 11.66833207932267],
    [10, 4.7953886961324335, 18.39035604201778],
    [25, 16.178681847829328, 36.904931697530365],
    [100, 81.36399125092314, 121.62679379242638],
    [1000, 938.9730184076952, 1063.952136016302],
    [100000, 99381.15266374472, 100621.74473974388],
    [10000000, 9993802.996884268, 10006199.897731498],
  ];

  it.each(chiSquare)('x = %i agrees with the chi-square quantiles to 1e-9 relative', (count, low, high) => {
    const interval = poissonInterval(count);
    if (low === 0) expect(interval.low).toBe(0);
    else expectRelative(interval.low, low);
    expectRelative(interval.high, high);
  });

  it('puts exactly α/2 in each tail (checked by summing Poisson probabilities)', () => {
    for (const count of [1, 2, 3, 7, 20, 60]) {
      const { low, high } = poissonInterval(count);
      // Lower limit: P(X ≥ x | low) = 0.025; upper limit: P(X ≤ x | high) = 0.025.
      expect(1 - poissonCdf(count - 1, low)).toBeCloseTo(0.025, 12);
      expect(poissonCdf(count, high)).toBeCloseTo(0.025, 12);
    }
  });

  it('honours another confidence level', () => {
    // 90 %: x = 0 → [0, −ln 0.05]; x = 3 → ½·χ²(0.05; 6), ½·χ²(0.95; 8).
    expectRelative(poissonInterval(0, 0.9).high, -Math.log(0.05), 1e-12);
    expectRelative(poissonInterval(3, 0.9).low, 0.8176914471639534);
    expectRelative(poissonInterval(3, 0.9).high, 7.753656527932725);
  });

  it('rejects impossible input', () => {
    expect(() => poissonInterval(-1)).toThrow(RangeError);
    expect(() => poissonInterval(2.5)).toThrow(RangeError);
    expect(() => poissonInterval(3, 1)).toThrow(RangeError);
  });
});

describe('poissonRateInterval', () => {
  it('scales the count interval by perUnit / exposure', () => {
    // 10 recovery starts by 500 active users over 4 weeks = 2,000 user-weeks, per 1,000.
    const rate = poissonRateInterval(10, 2000, 1000);
    expect(rate.estimate).toBe(5);
    expectRelative(rate.low, 4.7953886961324335 / 2);
    expectRelative(rate.high, 18.39035604201778 / 2);
  });

  it('bounds a rate even with zero events', () => {
    // 0 tickets among 2,000 active users: at most 1.844 per 1,000 — passes "≤ 2 per 1,000".
    const rate = poissonRateInterval(0, 2000, 1000);
    expect(rate).toEqual({ low: 0, high: expect.closeTo(1.8444397270569677, 12), estimate: 0 });
  });

  it('defaults perUnit to 1', () => {
    expectRelative(poissonRateInterval(5, 10).high, 1.166833207932267);
  });

  it('observes nothing without exposure', () => {
    expect(poissonRateInterval(0, 0, 1000)).toEqual({ low: 0, high: Infinity, estimate: null });
    expect(() => poissonRateInterval(3, 0, 1000)).toThrow(RangeError);
    expect(() => poissonRateInterval(3, -5, 1000)).toThrow(RangeError);
    expect(() => poissonRateInterval(3, 5, 0)).toThrow(RangeError);
  });
});

describe('poissonRateRatioInterval', () => {
  // Expected values: conditional method, Wilson 95 % for the subject's share of events,
  // recomputed independently with mpmath.
  it('brackets the ratio of two rates', () => {
    const ratio = poissonRateRatioInterval({ events: 10, exposure: 1000 }, { events: 40, exposure: 2000 });
    expect(ratio.estimate).toBeCloseTo(0.5, 14);
    expectRelative(ratio.low, 0.253362439665367714, 1e-12);
    expectRelative(ratio.high, 0.986728736628015159, 1e-12);
  });

  it('is 0-based when the subject had no events', () => {
    const ratio = poissonRateRatioInterval({ events: 0, exposure: 300 }, { events: 40, exposure: 700 });
    expect(ratio.low).toBe(0);
    expect(ratio.estimate).toBe(0);
    expectRelative(ratio.high, 0.224085097873824014, 1e-12);
  });

  it('shows a higher subject rate above 1', () => {
    const ratio = poissonRateRatioInterval({ events: 30, exposure: 1000 }, { events: 10, exposure: 1000 });
    expectRelative(ratio.low, 1.48793591040097067, 1e-12);
    expectRelative(ratio.high, 6.04864761787667971, 1e-12);
  });

  it('is unbounded when the reference had no events, undefined when nobody had any', () => {
    const noReference = poissonRateRatioInterval({ events: 4, exposure: 100 }, { events: 0, exposure: 100 });
    expect(noReference.high).toBe(Infinity);
    expect(noReference.estimate).toBe(Infinity);
    expect(noReference.low).toBeGreaterThan(0);
    expect(poissonRateRatioInterval({ events: 0, exposure: 100 }, { events: 0, exposure: 100 })).toEqual({
      low: 0,
      high: Infinity,
      estimate: null,
    });
  });

  it('rejects a group without exposure', () => {
    expect(() => poissonRateRatioInterval({ events: 1, exposure: 0 }, { events: 1, exposure: 10 })).toThrow(RangeError);
  });

  it('uses the 95 % quantile by default', () => {
    expect(Z_95).toBeCloseTo(1.959963984540054, 15);
  });
});
