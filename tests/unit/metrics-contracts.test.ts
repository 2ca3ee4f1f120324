/**
 * The core metric contracts: request parsing (defaults, limits, the names a 400 reports) and the
 * response schemas (rates in [0, 1] or null, the registration union on groupBy), plus the
 * group-by dimension allow-list of the registration query.
 */
import { describe, expect, it } from 'vitest';
import { zFallbackCohortUsersQuery, zFallbackCohortResponse } from '@/lib/contracts/cohorts';
import { zOverviewQuery } from '@/lib/contracts/overview';
import { REGISTRATION_GROUP_BY, zRegistrationQuery, zRegistrationResponse } from '@/lib/contracts/registration';
import { zCeremonyTallies, zRate } from '@/lib/metrics/contract-parts';
import { identifier } from '@/lib/sql';
import {
  REGISTRATION_DIMENSIONS,
  registrationCeremoniesByDimension,
  registrationCeremonyBreakdown,
} from '@/sql/queries/registration-ceremonies-by-dimension';
import { coreParams } from '@/sql/queries/core-metric-fragments';

const issuePath = (result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } }) =>
  result.success ? undefined : result.error?.issues[0]?.path.map(String).join('.');

describe('requests', () => {
  it('overview: from/to default to the last 28 days, filters to empty lists', () => {
    const parsed = zOverviewQuery.parse({});
    expect(parsed.to.getTime() - parsed.from.getTime()).toBe(28 * 86_400_000);
    expect(parsed.deviceClass).toEqual([]);
    expect(zOverviewQuery.parse({ deviceClass: 'mobile-ios, desktop-windows' }).deviceClass).toEqual(['mobile-ios', 'desktop-windows']);
  });

  it('registration: groupBy defaults to deviceClass and accepts only the five dimensions', () => {
    expect(zRegistrationQuery.parse({}).groupBy).toBe('deviceClass');
    for (const groupBy of REGISTRATION_GROUP_BY) expect(zRegistrationQuery.parse({ groupBy }).groupBy).toBe(groupBy);
    for (const bad of ['reason', 'device_class', "os'; DROP TABLE ceremony_events --", '']) {
      expect(issuePath(zRegistrationQuery.safeParse({ groupBy: bad }))).toBe('groupBy');
    }
  });

  it('cohort users: reason all by default, page optional, pageSize 1–1000, format json|csv', () => {
    const parsed = zFallbackCohortUsersQuery.parse({});
    expect(parsed).toMatchObject({ reason: 'all', pageSize: 100, format: 'json' });
    expect(parsed.page).toBeUndefined();
    expect(zFallbackCohortUsersQuery.parse({ page: '3', pageSize: '1000', format: 'csv', reason: 'cross_platform_gap' })).toMatchObject({
      page: 3,
      pageSize: 1000,
      format: 'csv',
      reason: 'cross_platform_gap',
    });
    expect(issuePath(zFallbackCohortUsersQuery.safeParse({ pageSize: '1001' }))).toBe('pageSize');
    expect(issuePath(zFallbackCohortUsersQuery.safeParse({ pageSize: '0' }))).toBe('pageSize');
    expect(issuePath(zFallbackCohortUsersQuery.safeParse({ page: '1.5' }))).toBe('page');
    expect(issuePath(zFallbackCohortUsersQuery.safeParse({ page: 'NaN' }))).toBe('page');
    expect(issuePath(zFallbackCohortUsersQuery.safeParse({ reason: 'no passkey' }))).toBe('reason');
    expect(issuePath(zFallbackCohortUsersQuery.safeParse({ format: 'xlsx' }))).toBe('format');
  });
});

describe('responses', () => {
  it('a rate is in [0, 1] or null — never NaN', () => {
    expect(zRate.safeParse(0.5).success).toBe(true);
    expect(zRate.safeParse(null).success).toBe(true);
    expect(zRate.safeParse(Number.NaN).success).toBe(false);
    expect(zRate.safeParse(1.01).success).toBe(false);
    expect(zRate.safeParse(-0.01).success).toBe(false);
  });

  it('ceremony tallies are non-negative integers', () => {
    const row = { ceremonies: 1, successes: 1, failures: 0, cancellations: 0, successRate: 1, cancelRate: 0 };
    expect(zCeremonyTallies.safeParse(row).success).toBe(true);
    expect(zCeremonyTallies.safeParse({ ...row, failures: -1 }).success).toBe(false);
    expect(zCeremonyTallies.safeParse({ ...row, successes: 0.5 }).success).toBe(false);
  });

  const echo = {
    from: '2026-03-01T00:00:00.000Z',
    to: '2026-03-29T00:00:00.000Z',
    filters: { deviceClass: [], os: [], browser: [], provider: [], credentialKind: [], riskTier: [], variant: [] },
  };
  const tallies = { ceremonies: 0, successes: 0, failures: 0, cancellations: 0, successRate: null, cancelRate: null };

  it('registration: deviceClass rows must carry the registration rate; other groupings must not need it', () => {
    const upsell = {
      shown: 0,
      accepted: 0,
      dismissed: 0,
      acceptanceRate: null,
      dismissalRate: null,
      registrationCeremonies: 0,
      registrationSuccesses: 0,
      registrationSuccessRate: null,
    };
    const base = { ...echo, totals: tallies, series: [], credentialKinds: [], upsell };
    const groupRow = { ...tallies, dimension: 'os', key: 'iOS' };
    expect(zRegistrationResponse.safeParse({ ...base, groupBy: 'os', rows: [groupRow] }).success).toBe(true);
    expect(
      zRegistrationResponse.safeParse({ ...base, groupBy: 'deviceClass', rows: [{ ...groupRow, dimension: 'deviceClass' }] }).success,
    ).toBe(false);
    const deviceRow = {
      ...tallies,
      dimension: 'deviceClass',
      key: 'mobile-ios',
      deviceClass: 'mobile-ios',
      activeUsers: 3,
      holders: 1,
      registrationRate: 1 / 3,
    };
    expect(zRegistrationResponse.safeParse({ ...base, groupBy: 'deviceClass', rows: [deviceRow] }).success).toBe(true);
  });

  it('cohort: the reasons are the four of the definition', () => {
    const body = {
      ...echo,
      previous: { from: echo.from, to: echo.to, activeUsers: 0, cohortSize: 0 },
      activeUsers: 0,
      cohortSize: 0,
      cohortShare: null,
      reasons: [{ reason: 'no_passkey', users: 0, previousUsers: 0, shareOfCohort: null }],
    };
    expect(zFallbackCohortResponse.safeParse(body).success).toBe(true);
    expect(zFallbackCohortResponse.safeParse({ ...body, reasons: [{ ...body.reasons[0], reason: 'bored' }] }).success).toBe(false);
  });
});

describe('registration dimension allow-list', () => {
  it('has one fixed expression per group-by, and each query text contains only its own', () => {
    expect(Object.keys(REGISTRATION_DIMENSIONS).sort()).toEqual([...REGISTRATION_GROUP_BY].sort());
    for (const groupBy of REGISTRATION_GROUP_BY) {
      const text = registrationCeremoniesByDimension[groupBy].sql;
      expect(text).toContain(`${REGISTRATION_DIMENSIONS[groupBy]} AS key`);
      expect(registrationCeremoniesByDimension[groupBy].name).toBe('registration-ceremonies-by-dimension');
      // the breakdown groups by the dimension and by credential kind, and by nothing else
      const breakdown = registrationCeremonyBreakdown[groupBy].sql;
      expect(breakdown).toContain(`${REGISTRATION_DIMENSIONS[groupBy]} AS group_key`);
      expect(breakdown).toContain(`${REGISTRATION_DIMENSIONS.credentialKind} AS kind_key`);
      for (const other of REGISTRATION_GROUP_BY)
        if (other !== groupBy && other !== 'credentialKind') expect(breakdown).not.toContain(REGISTRATION_DIMENSIONS[other]);
    }
  });

  it('refuses a key outside the allow-list', () => {
    expect(() => identifier(REGISTRATION_DIMENSIONS, 'os_name; DROP TABLE x' as never)).toThrow(/allow-list/);
    expect(() => identifier(REGISTRATION_DIMENSIONS, '__proto__' as never)).toThrow(/allow-list/);
  });
});

describe('core query parameters', () => {
  it('bind the credential filters apart from the per-event ones', () => {
    const window = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-29T00:00:00Z') };
    const params = coreParams(window, {
      deviceClass: ['mobile-ios'],
      os: [],
      browser: [],
      provider: ['iCloud Keychain'],
      credentialKind: ['synced'],
      riskTier: ['high'],
      variant: [],
    });
    expect(params).toMatchObject({
      deviceClasses: ['mobile-ios'],
      providers: [],
      credentialKinds: [],
      credProviders: ['iCloud Keychain'],
      credKinds: ['synced'],
      riskTiers: ['high'],
    });
  });
});
