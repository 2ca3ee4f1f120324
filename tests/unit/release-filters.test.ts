/**
 * The release and environment dimensions (DESIGN.md section 11): parsing of `environment`,
 * `service`, `serviceVersion`, `osVersion`, `browserVersion` (valid, invalid → a 400 naming the
 * parameter, `*`), DEFAULT_ENVIRONMENT (configuration, how the server applies it, the echo and the
 * bound query parameters), the new group-bys, and the filter bar's URL handling of the default.
 */
import { describe, expect, it } from 'vitest';
import { zodErrorResponse } from '@/lib/api/errors';
import { zFilterParams } from '@/lib/api/params';
import {
  apiSearchString,
  emptyFilters,
  environmentSelection,
  environmentUrlValues,
  nextPageSearch,
  parseFilters,
} from '@/lib/client/global-params';
import { FAILURE_DIMENSIONS, zFailuresQuery } from '@/lib/contracts/failures';
import { zOverviewQuery } from '@/lib/contracts/overview';
import { zRegistrationQuery } from '@/lib/contracts/registration';
import { ConfigError, parseEnv } from '@/lib/env';
import { zMetricsQuery } from '@/lib/metrics/contract-parts';
import { appliedEnvironments } from '@/lib/metrics/environment';
import { appliedFilters } from '@/lib/metrics/windows';
import { coreParams } from '@/sql/queries/core-metric-fragments';
import { FAILURE_GROUP_COLUMNS } from '@/sql/queries/failures-by-group';
import { REGISTRATION_DIMENSIONS } from '@/sql/queries/registration-ceremonies-by-dimension';
import { EVENT_FILTER_PREDICATE, windowFilterParams } from '@/sql/queries/shared';

/** The 400 the API answers for a query that does not parse: status, `parameter` and message. */
async function badRequest(query: Record<string, string>) {
  const result = zOverviewQuery.safeParse(query);
  expect(result.success, JSON.stringify(query)).toBe(false);
  const response = zodErrorResponse(result.error!, 'query');
  const body = (await response.json()) as { error: { code: string; message: string; parameter?: string } };
  return { status: response.status, ...body.error };
}

describe('parsing', () => {
  it('absent: the release filters are undefined (not named), so the environment is left to the server', () => {
    const parsed = zMetricsQuery.parse({});
    expect(parsed.environment).toBeUndefined();
    expect(parsed.service).toBeUndefined();
    expect(parsed.serviceVersion).toBeUndefined();
    expect(parsed.osVersion).toBeUndefined();
    expect(parsed.browserVersion).toBeUndefined();
    expect(zFilterParams.parse({ environment: '' }).environment).toBeUndefined();
    expect(zFilterParams.parse({ environment: ' , ' }).environment).toBeUndefined();
  });

  it('comma-separated lists, trimmed; environment names deduplicated', () => {
    const parsed = zFilterParams.parse({
      environment: 'production, staging,production',
      service: 'acme-web,acme-api',
      serviceVersion: '2.3.0, 2.4.0',
      osVersion: '18.1',
      browserVersion: '131.0.6778.85,18.1',
    });
    expect(parsed).toMatchObject({
      environment: ['production', 'staging'],
      service: ['acme-web', 'acme-api'],
      serviceVersion: ['2.3.0', '2.4.0'],
      osVersion: ['18.1'],
      browserVersion: ['131.0.6778.85', '18.1'],
    });
  });

  it('environment=* is every environment: an empty list, lifting the default', () => {
    expect(zFilterParams.parse({ environment: '*' }).environment).toEqual([]);
    expect(zFilterParams.parse({ environment: ' * ' }).environment).toEqual([]);
  });

  it('every endpoint that takes the global filters takes them', () => {
    expect(zRegistrationQuery.parse({ serviceVersion: '2.4.0', environment: '*' })).toMatchObject({
      serviceVersion: ['2.4.0'],
      environment: [],
    });
    expect(zFailuresQuery.parse({ environment: 'staging' })).toMatchObject({ environment: ['staging'] });
  });

  it('invalid values are a 400 naming the parameter', async () => {
    const mixed = await badRequest({ environment: '*,production' });
    expect(mixed).toMatchObject({ status: 400, code: 'invalid_parameter', parameter: 'environment' });
    expect(mixed.message).toMatch(/^Query parameter 'environment'/);
    expect(mixed.message).toContain("'*' (every environment) cannot be combined with environment names");

    const star = await badRequest({ serviceVersion: '*' });
    expect(star).toMatchObject({ status: 400, parameter: 'serviceVersion' });
    expect(star.message).toContain("'*' is only meaningful for environment");

    const long = await badRequest({ osVersion: 'x'.repeat(201) });
    expect(long).toMatchObject({ status: 400, parameter: 'osVersion' });
    expect(long.message).toContain("Query parameter 'osVersion'");

    const many = await badRequest({ service: Array.from({ length: 21 }, (_, i) => `svc-${i}`).join(',') });
    expect(many).toMatchObject({ status: 400, parameter: 'service' });

    const tooManyEnvironments = await badRequest({ environment: Array.from({ length: 21 }, (_, i) => `env-${i}`).join(',') });
    expect(tooManyEnvironments).toMatchObject({ status: 400, parameter: 'environment' });

    expect(await badRequest({ browserVersion: 'y'.repeat(2001) })).toMatchObject({ status: 400, parameter: 'browserVersion' });
  });
});

describe('DEFAULT_ENVIRONMENT', () => {
  it('configuration: one name, trimmed; empty = unset; a list or * stops the start with a message naming it', () => {
    expect(parseEnv({ DEFAULT_ENVIRONMENT: ' production ' }).DEFAULT_ENVIRONMENT).toBe('production');
    expect(parseEnv({ DEFAULT_ENVIRONMENT: '' }).DEFAULT_ENVIRONMENT).toBeUndefined();
    expect(parseEnv({}).DEFAULT_ENVIRONMENT).toBeUndefined();
    for (const bad of ['production,staging', '*', 'p'.repeat(201)]) {
      expect(() => parseEnv({ DEFAULT_ENVIRONMENT: bad })).toThrow(ConfigError);
      expect(() => parseEnv({ DEFAULT_ENVIRONMENT: bad })).toThrow(/DEFAULT_ENVIRONMENT/);
    }
  });

  it('applies when the request names no environment; a named one or * wins', () => {
    expect(appliedEnvironments({ environment: undefined }, 'production')).toEqual(['production']);
    expect(appliedEnvironments({ environment: [] }, 'production')).toEqual([]);
    expect(appliedEnvironments({ environment: ['staging'] }, 'production')).toEqual(['staging']);
    expect(appliedEnvironments({ environment: undefined }, undefined)).toEqual([]);
  });

  it('without a configured default (this process), no environment means every environment, bound and echoed alike', () => {
    const window = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-29T00:00:00Z') };
    const filters = zFilterParams.parse({ serviceVersion: '2.4.0', osVersion: '18.1' });
    expect(windowFilterParams(window, filters)).toMatchObject({
      environments: [],
      services: [],
      serviceVersions: ['2.4.0'],
      osVersions: ['18.1'],
      browserVersions: [],
    });
    expect(coreParams(window, zFilterParams.parse({ environment: 'staging', service: 'acme-web' }))).toMatchObject({
      environments: ['staging'],
      services: ['acme-web'],
    });
    expect(appliedFilters(filters)).toMatchObject({
      environment: [],
      serviceVersion: ['2.4.0'],
      osVersion: ['18.1'],
      service: [],
      browserVersion: [],
    });
  });
});

describe('queries', () => {
  it('the event predicate reads the columns ceremony_events and ceremony_states share', () => {
    for (const column of ['environment', 'service_name', 'service_version', 'os_version', 'browser_version']) {
      expect(EVENT_FILTER_PREDICATE.text).toContain(`, ${column})`);
    }
  });

  it('environment, service and serviceVersion are group-bys of registration and failures', () => {
    for (const groupBy of ['environment', 'service', 'serviceVersion'] as const) {
      expect(zRegistrationQuery.parse({ groupBy }).groupBy).toBe(groupBy);
      expect(REGISTRATION_DIMENSIONS[groupBy]).toBeDefined();
      expect(FAILURE_DIMENSIONS).toContain(groupBy);
      expect(FAILURE_GROUP_COLUMNS[groupBy]).toBeDefined();
    }
    expect(zFailuresQuery.parse({ groupBy: 'serviceVersion,reason' }).groupBy).toEqual(['serviceVersion', 'reason']);
  });
});

describe('the filter bar', () => {
  it('reads and writes the release filters in the URL and the API query', () => {
    const filters = parseFilters(new URLSearchParams('environment=staging&serviceVersion=2.3.0,2.4.0&osVersion=18.1'));
    expect(filters).toMatchObject({ environment: ['staging'], serviceVersion: ['2.3.0', '2.4.0'], osVersion: ['18.1'], service: [] });
    const api = new URLSearchParams(
      apiSearchString('2026-03-01', '2026-03-29', { ...emptyFilters(), environment: ['*'], service: ['acme-web'] }),
    );
    expect(api.get('environment')).toBe('*');
    expect(api.get('service')).toBe('acme-web');
    expect(nextPageSearch(new URLSearchParams('groupBy=serviceVersion'), { filters: { environment: ['staging'] } })).toBe(
      'groupBy=serviceVersion&environment=staging',
    );
  });

  it('shows the default as the selected environment; * as every environment', () => {
    expect(environmentSelection([], 'production')).toEqual({ values: ['production'], isDefault: true });
    expect(environmentSelection([], undefined)).toEqual({ values: [], isDefault: false });
    expect(environmentSelection(['*'], 'production')).toEqual({ values: [], isDefault: false });
    expect(environmentSelection(['staging'], 'production')).toEqual({ values: ['staging'], isDefault: false });
  });

  it('choosing: the default itself leaves the URL without it; nothing chosen under a default is *', () => {
    expect(environmentUrlValues(['staging'], 'production')).toEqual(['staging']);
    expect(environmentUrlValues(['production'], 'production')).toEqual([]);
    expect(environmentUrlValues([], 'production')).toEqual(['*']);
    expect(environmentUrlValues(['*'], 'production')).toEqual(['*']);
    expect(environmentUrlValues([], undefined)).toEqual([]);
    expect(environmentUrlValues(['*'], undefined)).toEqual([]);
    expect(environmentUrlValues(['production', 'staging'], 'production')).toEqual(['production', 'staging']);
  });
});
