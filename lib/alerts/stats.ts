/**
 * The statistics of the spike rules (docs/alerts.md, "Spikes"): a one-sided two-proportion z-test
 * of a recent rate against its baseline, guarded by a minimum count and a minimum ratio so that
 * small numbers never page anyone. Pure.
 */

/** The standard normal upper tail, P(Z > z) (Abramowitz–Stegun 7.1.26 via erfc; abs. error < 1.5e-7). */
export function normalUpperTail(z: number): number {
  if (!Number.isFinite(z)) return z > 0 ? 0 : 1;
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erfc = poly * Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/**
 * One-sided p-value that the recent proportion x1/n1 exceeds the baseline x0/n0 (pooled
 * two-proportion z-test). 1 when either sample is empty or the recent proportion is not higher.
 */
export function twoProportionPValue(x1: number, n1: number, x0: number, n0: number): number {
  if (n1 <= 0 || n0 <= 0) return 1;
  const p1 = x1 / n1;
  const p0 = x0 / n0;
  if (p1 <= p0) return 1;
  const pooled = (x1 + x0) / (n1 + n0);
  const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n0);
  if (variance <= 0) return p1 > p0 ? 0 : 1;
  return normalUpperTail((p1 - p0) / Math.sqrt(variance));
}

export interface SpikeInput {
  /** Events of interest (failures, failures with a reason, rejected records) in the recent window … */
  recent: number;
  /** … out of this many (ceremonies, records received). */
  recentTotal: number;
  baseline: number;
  baselineTotal: number;
}

export interface SpikeRule {
  minCount: number;
  /** The recent rate must be at least this multiple of the baseline rate. */
  minRatio: number;
  pValue: number;
}

export interface SpikeJudgement {
  firing: boolean;
  recentRate: number | null;
  baselineRate: number | null;
  /** recentRate ÷ baselineRate (null without a baseline rate; Infinity when the baseline is 0). */
  ratio: number | null;
  p: number;
  /** Why it does not fire (or 'spike'). */
  reason: 'spike' | 'below_min_count' | 'no_baseline' | 'below_ratio' | 'not_significant';
}

/** A spike: enough events, a rate at least minRatio × the baseline's, and p < pValue. */
export function judgeSpike(input: SpikeInput, rule: SpikeRule): SpikeJudgement {
  const recentRate = input.recentTotal > 0 ? input.recent / input.recentTotal : null;
  const baselineRate = input.baselineTotal > 0 ? input.baseline / input.baselineTotal : null;
  const ratio =
    recentRate === null || baselineRate === null ? null : baselineRate === 0 ? (recentRate > 0 ? Infinity : 1) : recentRate / baselineRate;
  const p = twoProportionPValue(input.recent, input.recentTotal, input.baseline, input.baselineTotal);
  const base = { recentRate, baselineRate, ratio, p };
  if (input.recent < rule.minCount) return { ...base, firing: false, reason: 'below_min_count' };
  if (baselineRate === null) return { ...base, firing: false, reason: 'no_baseline' };
  if (ratio === null || ratio < rule.minRatio) return { ...base, firing: false, reason: 'below_ratio' };
  if (!(p < rule.pValue)) return { ...base, firing: false, reason: 'not_significant' };
  return { ...base, firing: true, reason: 'spike' };
}

/**
 * The quarantine rule: the recent rejected share above maxShare with at least minCount rejected,
 * and — when the baseline received anything — significantly above the baseline share.
 */
export function judgeRejectedShare(input: SpikeInput, rule: { minCount: number; maxShare: number; pValue: number }): SpikeJudgement {
  const judged = judgeSpike(input, { minCount: rule.minCount, minRatio: 1, pValue: rule.pValue });
  const share = judged.recentRate ?? 0;
  if (input.recent < rule.minCount) return { ...judged, firing: false, reason: 'below_min_count' };
  if (share <= rule.maxShare) return { ...judged, firing: false, reason: 'below_ratio' };
  if (input.baselineTotal === 0) return { ...judged, firing: true, reason: 'spike' };
  if (!(judged.p < rule.pValue)) return { ...judged, firing: false, reason: 'not_significant' };
  return { ...judged, firing: true, reason: 'spike' };
}
