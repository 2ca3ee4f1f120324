import { describe, expect, it } from 'vitest';
import { parseSegment, segmentHeadline } from '@/components/stages/prepare-segments';
import type { CriterionFilters, Measurer } from '@/lib/stage-gates/measure';
import { criterionAppliesToSegment, narrowToSegment, segmentMeasurer } from '@/lib/stage-gates/segments';

const none: CriterionFilters = { deviceClass: [], riskTier: null };

describe('which criteria apply within a segment', () => {
  it('a device-class segment: unless the criterion is restricted to other classes', () => {
    expect(criterionAppliesToSegment({ metric: 'upsell_acceptance_rate' }, 'deviceClass', 'mobile-android')).toBe(true);
    expect(
      criterionAppliesToSegment(
        { metric: 'upsell_acceptance_rate', filters: { deviceClass: ['mobile-ios'] } },
        'deviceClass',
        'mobile-android',
      ),
    ).toBe(false);
    expect(
      criterionAppliesToSegment(
        { metric: 'upsell_acceptance_rate', filters: { deviceClass: ['mobile-ios'] } },
        'deviceClass',
        'mobile-ios',
      ),
    ).toBe(true);
  });

  it('a risk-tier segment: the high-risk metrics only in the high tier, a tier filter only in its tier', () => {
    expect(criterionAppliesToSegment({ metric: 'high_risk_two_attested_device_bound_share' }, 'riskTier', 'standard')).toBe(false);
    expect(criterionAppliesToSegment({ metric: 'high_risk_phishable_recoveries' }, 'riskTier', 'high')).toBe(true);
    expect(criterionAppliesToSegment({ metric: 'multi_device_coverage', filters: { riskTier: 'standard' } }, 'riskTier', 'high')).toBe(
      false,
    );
    expect(criterionAppliesToSegment({ metric: 'multi_device_coverage' }, 'riskTier', 'high')).toBe(true);
  });

  it('OS and variant segments apply to every criterion', () => {
    expect(criterionAppliesToSegment({ metric: 'high_risk_phishable_recoveries' }, 'os', 'Android')).toBe(true);
    expect(
      criterionAppliesToSegment({ metric: 'multi_device_coverage', filters: { deviceClass: ['mobile-ios'] } }, 'variant', 'treatment'),
    ).toBe(true);
  });
});

describe('narrowing a criterion to a segment value', () => {
  it('adds the value as a filter, or refuses when the criterion excludes it', () => {
    expect(narrowToSegment(none, 'deviceClass', 'mobile-android')).toEqual({ deviceClass: ['mobile-android'], riskTier: null });
    expect(narrowToSegment({ deviceClass: ['mobile-ios', 'mobile-android'], riskTier: null }, 'deviceClass', 'mobile-android')).toEqual({
      deviceClass: ['mobile-android'],
      riskTier: null,
    });
    expect(narrowToSegment({ deviceClass: ['mobile-ios'], riskTier: null }, 'deviceClass', 'mobile-android')).toBeNull();
    expect(narrowToSegment(none, 'riskTier', 'high')).toEqual({ deviceClass: [], riskTier: 'high' });
    expect(narrowToSegment({ deviceClass: [], riskTier: 'high' }, 'riskTier', 'standard')).toBeNull();
    expect(narrowToSegment(none, 'os', 'iOS')).toEqual({ deviceClass: [], riskTier: null, os: ['iOS'] });
    expect(narrowToSegment(none, 'variant', 'treatment')).toEqual({ deviceClass: [], riskTier: null, variant: ['treatment'] });
  });

  it('a segment measurer passes the narrowed filters on and observes nothing outside them', async () => {
    const seen: CriterionFilters[] = [];
    const base: Measurer = {
      measure: async (_metric, _window, filters) => {
        seen.push(filters);
        return { kind: 'proportion', successes: 1, n: 2 };
      },
      measureByDeviceClass: async (_metric, _window, filters) => {
        seen.push(filters);
        return [{ deviceClass: 'mobile-android', measurement: { kind: 'proportion', successes: 1, n: 2 } }];
      },
    };
    const window = { from: new Date(0), to: new Date(1000) };
    const measurer = segmentMeasurer(base, 'deviceClass', 'mobile-android');
    expect(await measurer.measure('upsell_acceptance_rate', window, none)).toEqual({ kind: 'proportion', successes: 1, n: 2 });
    expect(seen.at(-1)).toEqual({ deviceClass: ['mobile-android'], riskTier: null });
    expect(
      await measurer.measure('recovery_starts_per_1000_active_users_per_week', window, { deviceClass: ['mobile-ios'], riskTier: null }),
    ).toEqual({
      kind: 'rate',
      events: 0,
      exposure: 0,
      perUnit: 1000,
    });
    expect(
      await measurer.measureByDeviceClass('registration_ceremony_success_rate', window, { deviceClass: ['mobile-ios'], riskTier: null }),
    ).toEqual([]);
    expect(seen).toHaveLength(1);
  });
});

describe('the segment headline', () => {
  it('reads "ready overall, failing on …" at a glance', () => {
    expect(segmentHeadline({ from: 1, to: 2, overall: 'ready', failing: ['mobile-android'], inconclusive: [] })).toBe(
      'Ready overall, failing on mobile-android',
    );
    expect(segmentHeadline({ from: 1, to: 2, overall: 'not_ready', failing: ['a', 'b'], inconclusive: ['c'] })).toBe(
      'Not ready overall, failing on a, b; inconclusive on c',
    );
    expect(segmentHeadline({ from: 1, to: 2, overall: 'ready', failing: [], inconclusive: [] })).toBe('Ready overall; no segment fails');
  });

  it('takes only the known dimensions from the URL', () => {
    expect(parseSegment('deviceClass')).toBe('deviceClass');
    expect(parseSegment('none')).toBeNull();
    expect(parseSegment('browser')).toBeNull();
    expect(parseSegment(null)).toBeNull();
  });
});
