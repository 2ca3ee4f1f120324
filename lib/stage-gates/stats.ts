/**
 * Stage-gate statistics: the confidence intervals behind every gate verdict (DESIGN.md section 5).
 *
 * Why these intervals
 * - Proportions (success rates, shares) use the **Wilson score interval**. The textbook normal
 *   ("Wald") interval p̂ ± z·√(p̂(1−p̂)/n) collapses to a zero-width interval at 0 % and 100 % and
 *   undercovers badly near the edges — exactly where gate thresholds live (90 %, 95 %). Wilson stays
 *   inside [0, 1], is never zero-width, and keeps close to nominal coverage at the sample sizes a
 *   rollout sees (Newcombe 1998; Brown, Cai & DasGupta 2001):
 *       low, high = (2x + z² ∓ z·√(z² + 4x(n−x)/n)) / (2(n + z²))
 *   With x = 0 the low bound is exactly 0 and with x = n the high bound is exactly 1.
 * - Counts of rare events (tickets, recovery starts) are Poisson, not binomial: there is no fixed
 *   "n" of trials. The **exact (Garwood 1936) interval** for a count x at confidence 1 − α is
 *       low  = ½·χ²(α/2; 2x)          = G⁻¹(α/2;   x)      (0 when x = 0)
 *       high = ½·χ²(1 − α/2; 2x + 2)  = G⁻¹(1 − α/2; x + 1)
 *   where G⁻¹(p; a) is the quantile of the unit-scale Gamma(a) law, i.e. the t solving
 *   P(a, t) = p for the regularized lower incomplete gamma function P. It is conservative (coverage
 *   ≥ 1 − α) and, unlike x ± z√x, meaningful at x = 0 ("0 tickets in 2,000 users" still bounds the
 *   rate by 3.689 / 2,000). A **rate** divides by exposure: events / exposure × perUnit, with the
 *   interval scaled the same way (exposure is treated as known, not estimated).
 * - Two rates (holders vs non-holders) are compared on their **ratio** by the conditional method
 *   (Przyborowski & Wilenski 1940): given N = x₁ + x₂ events, x₁ is Binomial(N, π) with
 *   π = ρE₁ / (ρE₁ + E₂), ρ = λ₁/λ₂. A Wilson interval for π maps monotonically onto ρ:
 *   ρ = π / (1 − π) · E₂ / E₁. One interval for the quantity the gate asks about, instead of
 *   eyeballing two overlapping intervals (which is far more conservative than 95 %).
 *
 * Numerics: P(a, x) by its power series for x < a + 1 and by the Legendre continued fraction for
 * Q = 1 − P otherwise (modified Lentz), with the prefactor xᵃe⁻ˣ/Γ(a) computed through
 * log1p for large a so that counts in the millions keep full precision. The quantile is found by
 * Newton's method on ln P against ln t, safeguarded by bisection, to ~1e-14 relative.
 *
 * Everything here is pure and framework-free. Invalid inputs (negative counts, successes > n,
 * non-integers, NaN) throw a RangeError: a gate must never be judged on garbage.
 */

/** The two-sided 95 % standard normal quantile, Φ⁻¹(0.975). */
export const Z_95 = 1.959963984540054;

export interface ConfidenceInterval {
  /** Lower bound, inclusive. */
  low: number;
  /** Upper bound, inclusive; `Infinity` when the data place no upper limit (a rate ratio with no reference events). */
  high: number;
  /** Point estimate, or `null` when it is undefined (no trials, no exposure). */
  estimate: number | null;
}

function assertCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

function assertPositiveFinite(value: number, name: string): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive finite number, got ${value}`);
  }
}

function assertConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be strictly between 0 and 1, got ${confidence}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Wilson score interval
// ---------------------------------------------------------------------------------------------

/**
 * Wilson score interval for `successes` out of `n` trials at normal quantile `z`
 * (default: 95 % two-sided).
 *
 * n = 0 carries no information: the interval is the whole parameter space [0, 1] and the
 * estimate is `null` (not NaN, so it survives JSON and strict equality).
 */
export function wilsonInterval(successes: number, n: number, z: number = Z_95): ConfidenceInterval {
  assertCount(successes, 'successes');
  assertCount(n, 'n');
  if (successes > n) throw new RangeError(`successes (${successes}) must not exceed n (${n})`);
  assertPositiveFinite(z, 'z');
  if (n === 0) return { low: 0, high: 1, estimate: null };

  const z2 = z * z;
  const spread = z * Math.sqrt(z2 + (4 * successes * (n - successes)) / n);
  const denominator = 2 * (n + z2);
  const low = successes === 0 ? 0 : Math.max(0, (2 * successes + z2 - spread) / denominator);
  const high = successes === n ? 1 : Math.min(1, (2 * successes + z2 + spread) / denominator);
  return { low, high, estimate: successes / n };
}

// ---------------------------------------------------------------------------------------------
// Regularized incomplete gamma function and its inverse
// ---------------------------------------------------------------------------------------------

const LANCZOS_G = 7;
const LANCZOS_COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
] as const;
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(a) for a > 0 (Lanczos, g = 7, n = 9; ~1e-15 relative). */
export function logGamma(a: number): number {
  if (!(a > 0) || !Number.isFinite(a)) throw new RangeError(`logGamma needs a positive finite argument, got ${a}`);
  if (a < 0.5) {
    // Reflection keeps the approximation in its accurate range.
    return Math.log(Math.PI / Math.sin(Math.PI * a)) - logGamma(1 - a);
  }
  const x = a - 1;
  let sum = LANCZOS_COEFFICIENTS[0];
  for (let i = 1; i < LANCZOS_COEFFICIENTS.length; i++) sum += (LANCZOS_COEFFICIENTS[i] ?? 0) / (x + i);
  const t = x + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (x + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Stirling series remainder: ln Γ(a) − [(a − ½)ln a − a + ½ ln 2π], accurate to ~1e-14 for a ≥ 10. */
function stirlingRemainder(a: number): number {
  const inv = 1 / a;
  const inv2 = inv * inv;
  return inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 / 1188))));
}

/**
 * ln(xᵃ e⁻ˣ / Γ(a)): the shared prefactor of the series and the continued fraction. For large a
 * the naive a·ln x − x − ln Γ(a) subtracts numbers of size ~a; rewritten around x ≈ a as
 * a·(log1p(d) − d) + ½ ln a − ½ ln 2π − remainder(a), d = (x − a)/a, it keeps full precision.
 */
function logGammaPrefactor(a: number, x: number): number {
  if (a < 10) return a * Math.log(x) - x - logGamma(a);
  const d = (x - a) / a;
  return a * (Math.log1p(d) - d) + 0.5 * Math.log(a) - HALF_LOG_TWO_PI - stirlingRemainder(a);
}

const EPSILON = 1e-16;
const TINY = 1e-300;

function iterationLimit(a: number): number {
  // Both expansions need O(√a) terms near x ≈ a; leave a wide margin.
  return 1000 + Math.ceil(50 * Math.sqrt(a));
}

/** P(a, x) by its power series; converges fast for x < a + 1. */
function lowerGammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  const limit = iterationLimit(a);
  for (let n = 1; n <= limit; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) {
      return sum * Math.exp(logGammaPrefactor(a, x));
    }
  }
  throw new Error(`incomplete gamma series did not converge (a=${a}, x=${x})`);
}

/** Q(a, x) by the Legendre continued fraction (modified Lentz); converges fast for x ≥ a + 1. */
function upperGammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  const limit = iterationLimit(a);
  for (let i = 1; i <= limit; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) {
      return h * Math.exp(logGammaPrefactor(a, x));
    }
  }
  throw new Error(`incomplete gamma continued fraction did not converge (a=${a}, x=${x})`);
}

function assertGammaArguments(a: number, x: number): void {
  if (!(a > 0) || !Number.isFinite(a)) throw new RangeError(`shape a must be positive and finite, got ${a}`);
  if (!(x >= 0)) throw new RangeError(`x must be non-negative, got ${x}`);
}

/** Regularized lower incomplete gamma function P(a, x) = γ(a, x) / Γ(a), a > 0, x ≥ 0. */
export function regularizedGammaP(a: number, x: number): number {
  assertGammaArguments(a, x);
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? lowerGammaSeries(a, x) : 1 - upperGammaContinuedFraction(a, x);
}

/** Regularized upper incomplete gamma function Q(a, x) = 1 − P(a, x), a > 0, x ≥ 0. */
export function regularizedGammaQ(a: number, x: number): number {
  assertGammaArguments(a, x);
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - lowerGammaSeries(a, x) : upperGammaContinuedFraction(a, x);
}

/**
 * Quantile of the unit-scale Gamma(shape) distribution: the t ≥ 0 with P(shape, t) = p.
 *
 * Solved in logarithms — h(u) = ln P(shape, eᵘ) − ln p, or ln(1 − p) − ln Q(shape, eᵘ) when
 * p > ½ so the target is the small tail and never swamped by rounding. In those coordinates the
 * far tails are nearly straight lines (P ≈ c·tᵃ, Q ≈ c·tᵃ⁻¹e⁻ᵗ), so Newton's method converges
 * from anywhere in a few steps; it is still kept inside a bracket that shrinks on every
 * evaluation, and a step that leaves the bracket or fails to halve the previous one becomes a
 * bisection (Numerical Recipes' rtsafe). Accurate to ~1e-14 relative in t.
 */
export function gammaQuantile(p: number, shape: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be in [0, 1], got ${p}`);
  if (!(shape > 0) || !Number.isFinite(shape)) throw new RangeError(`shape must be positive and finite, got ${shape}`);
  if (p === 0) return 0;
  if (p === 1) return Infinity;

  const lowerTail = p <= 0.5;
  const logTarget = Math.log(lowerTail ? p : 1 - p);
  // h is increasing in u = ln t and zero at the quantile; slope = dh/du = t·f(t) / tail.
  const evaluate = (u: number): { h: number; slope: number } => {
    const t = Math.exp(u);
    const logTail = Math.log(lowerTail ? regularizedGammaP(shape, t) : regularizedGammaQ(shape, t));
    const h = lowerTail ? logTail - logTarget : logTarget - logTail;
    return { h, slope: Math.exp(logGammaPrefactor(shape, t) - logTail) };
  };

  // Bracket the root in u, walking out from the mean with doubling steps.
  let u = Math.log(shape);
  let current = evaluate(u);
  if (current.h === 0) return Math.exp(u);
  let uLow = u;
  let uHigh = u;
  const direction = current.h < 0 ? 1 : -1;
  for (let step = 1; ; step *= 2) {
    const probe = u + direction * step;
    const { h } = evaluate(probe);
    if (h === 0) return Math.exp(probe);
    if (h < 0 === direction > 0) u = probe;
    else {
      if (direction > 0) [uLow, uHigh] = [u, probe];
      else [uLow, uHigh] = [probe, u];
      break;
    }
    if (step > 4096) throw new Error(`gamma quantile: no bracket (p=${p}, shape=${shape})`);
  }

  u = 0.5 * (uLow + uHigh);
  let previousStep = uHigh - uLow;
  for (let iteration = 0; iteration < 300; iteration++) {
    current = evaluate(u);
    if (current.h === 0) break;
    if (current.h < 0) uLow = u;
    else uHigh = u;

    let next = u - current.h / current.slope;
    if (!(next > uLow && next < uHigh) || Math.abs(next - u) > 0.5 * previousStep) {
      next = 0.5 * (uLow + uHigh);
    }
    previousStep = Math.abs(next - u);
    u = next;
    const tolerance = 1e-15 * Math.max(1, Math.abs(u));
    if (previousStep <= tolerance || uHigh - uLow <= tolerance) break;
  }
  return Math.exp(u);
}

// ---------------------------------------------------------------------------------------------
// Poisson intervals
// ---------------------------------------------------------------------------------------------

/** Exact (Garwood) interval for a Poisson count, default 95 % two-sided. Estimate = the count. */
export function poissonInterval(count: number, confidence = 0.95): ConfidenceInterval {
  assertCount(count, 'count');
  assertConfidence(confidence);
  const alpha = 1 - confidence;
  const low = count === 0 ? 0 : gammaQuantile(alpha / 2, count);
  const high = gammaQuantile(1 - alpha / 2, count + 1);
  return { low, high, estimate: count };
}

/**
 * Interval for a rate `events / exposure × perUnit` — e.g. recovery starts per 1,000 active users
 * per week: events = starts in the window, exposure = active users × weeks in the window,
 * perUnit = 1000. The count's Garwood interval scaled by perUnit / exposure.
 *
 * exposure = 0 observes nothing: low 0, high Infinity, estimate null.
 */
export function poissonRateInterval(events: number, exposure: number, perUnit = 1, confidence = 0.95): ConfidenceInterval {
  assertCount(events, 'events');
  if (!Number.isFinite(exposure) || exposure < 0) {
    throw new RangeError(`exposure must be a non-negative finite number, got ${exposure}`);
  }
  assertPositiveFinite(perUnit, 'perUnit');
  assertConfidence(confidence);
  if (exposure === 0) {
    if (events > 0) throw new RangeError(`events (${events}) without exposure`);
    return { low: 0, high: Infinity, estimate: null };
  }
  const count = poissonInterval(events, confidence);
  const scale = perUnit / exposure;
  return { low: count.low * scale, high: count.high * scale, estimate: events * scale };
}

export interface PoissonSample {
  /** Events observed (a count). */
  events: number;
  /** Exposure they were observed over (users, user-weeks, …), > 0. */
  exposure: number;
}

/**
 * Interval for the ratio of two Poisson rates, (subject.events / subject.exposure) ÷
 * (reference.events / reference.exposure), by the conditional binomial method with a Wilson
 * interval for the subject's share of all events (see the header).
 *
 * - No events in either group: the ratio is unconstrained, [0, Infinity], estimate null.
 * - Subject events but no reference events: estimate and high are Infinity, low is finite.
 */
export function poissonRateRatioInterval(subject: PoissonSample, reference: PoissonSample, z: number = Z_95): ConfidenceInterval {
  for (const [name, sample] of [
    ['subject', subject],
    ['reference', reference],
  ] as const) {
    assertCount(sample.events, `${name}.events`);
    assertPositiveFinite(sample.exposure, `${name}.exposure`);
  }
  const total = subject.events + reference.events;
  const share = wilsonInterval(subject.events, total, z);
  const exposureRatio = reference.exposure / subject.exposure;
  const toRatio = (pi: number): number => (pi >= 1 ? Infinity : (pi / (1 - pi)) * exposureRatio);
  const estimate =
    total === 0 ? null : reference.events === 0 ? Infinity : subject.events / subject.exposure / (reference.events / reference.exposure);
  return { low: toRatio(share.low), high: toRatio(share.high), estimate };
}
