/**
 * Golden test of the core metrics: the hand-built population of tests/fixtures/golden-core.ts is
 * sent through /v1/logs (real OTLP JSON and protobuf requests) into a private app instance, and
 * every endpoint of the core read API is asserted against the values computed by hand in the
 * fixture — counts exactly, rates to 1e-9 — unfiltered, filtered, grouped, paginated and as CSV.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { zFallbackCohortResponse, zFallbackCohortUsersResponse, zFallbackWeeklyResponse } from '@/lib/contracts/cohorts';
import { zOverviewResponse } from '@/lib/contracts/overview';
import { zRegistrationResponse } from '@/lib/contracts/registration';
import { zSigninResponse } from '@/lib/contracts/signin';
import { ExportLogsServiceResponse } from '@/ingest/otlp-proto';
import { GOLDEN_CORE_RECORDS, PREVIOUS_WINDOW, U, W_FROM, W_TO, WINDOW, expected } from '../fixtures/golden-core';
import { isolatedApp } from '../helpers/isolated-app';
import { otlpJson, otlpProtobuf, postLogs } from '../helpers/otlp';

const app = isolatedApp();
const RANGE = `from=${encodeURIComponent(WINDOW.from)}&to=${encodeURIComponent(WINDOW.to)}`;
const CHUNK = 20;

beforeAll(async () => {
  await app.start();
  const auth = { authorization: `Bearer ${app.token}` };
  // Alternate the two OTLP encodings, so both decoders feed the same population.
  for (let i = 0, n = 0; i < GOLDEN_CORE_RECORDS.length; i += CHUNK, n += 1) {
    const chunk = GOLDEN_CORE_RECORDS.slice(i, i + CHUNK);
    if (n % 2 === 0) {
      const response = await postLogs(app.baseUrl, JSON.stringify(otlpJson(chunk)), { ...auth, 'content-type': 'application/json' });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({});
    } else {
      const response = await postLogs(app.baseUrl, otlpProtobuf(chunk), { ...auth, 'content-type': 'application/x-protobuf' });
      expect(response.status).toBe(200);
      const decoded = ExportLogsServiceResponse.toObject(ExportLogsServiceResponse.decode(new Uint8Array(await response.arrayBuffer())), {
        longs: String,
      });
      expect(decoded.partialSuccess?.rejectedLogRecords ?? '0').toBe('0');
    }
  }
  // Every record is stored (queryable) before the assertions start.
  const span = `from=${new Date(W_FROM - 70 * 86_400_000).toISOString()}&to=${new Date(W_TO + 30 * 86_400_000).toISOString()}&limit=1000`;
  const deadline = Date.now() + 10_000;
  let stored = 0;
  while (Date.now() < deadline) {
    const body = (await (await fetch(`${app.baseUrl}/api/v1/events?${span}`)).json()) as { events: unknown[] };
    stored = body.events.length;
    if (stored >= GOLDEN_CORE_RECORDS.length) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(stored).toBe(GOLDEN_CORE_RECORDS.length);
}, 300_000);

afterAll(() => app.stop());

async function api<S extends z.ZodType>(schema: S, path: string): Promise<z.output<S>> {
  const response = await fetch(`${app.baseUrl}${path}`);
  const text = await response.text();
  expect(response.status, `${path} → ${text.slice(0, 300)}`).toBe(200);
  return schema.parse(JSON.parse(text));
}

const overview = (filter = '') => api(zOverviewResponse, `/api/v1/overview?${RANGE}${filter ? `&${filter}` : ''}`);
const registration = (extra = '') => api(zRegistrationResponse, `/api/v1/registration?${RANGE}${extra ? `&${extra}` : ''}`);
const signin = (filter = '') => api(zSigninResponse, `/api/v1/signin?${RANGE}${filter ? `&${filter}` : ''}`);
const cohort = (filter = '') => api(zFallbackCohortResponse, `/api/v1/cohorts/fallback?${RANGE}${filter ? `&${filter}` : ''}`);
const cohortUsers = (extra = '') => api(zFallbackCohortUsersResponse, `/api/v1/cohorts/fallback/users?${RANGE}${extra ? `&${extra}` : ''}`);

/**
 * Asserts every field of `expectedValue` (recursively; arrays element by element and of equal
 * length): integers exactly, other numbers (rates) to 9 decimals, null as null, strings exactly.
 */
function expectMetrics(actual: unknown, expectedValue: unknown, path = '$'): void {
  if (expectedValue === null) {
    expect(actual, path).toBeNull();
  } else if (typeof expectedValue === 'number') {
    expect(typeof actual, path).toBe('number');
    if (Number.isInteger(expectedValue)) expect(actual, path).toBe(expectedValue);
    else expect(actual as number, path).toBeCloseTo(expectedValue, 9);
  } else if (Array.isArray(expectedValue)) {
    expect(Array.isArray(actual), `${path} is an array`).toBe(true);
    expect((actual as unknown[]).length, `${path}.length`).toBe(expectedValue.length);
    expectedValue.forEach((item, i) => expectMetrics((actual as unknown[])[i], item, `${path}[${i}]`));
  } else if (typeof expectedValue === 'object') {
    expect(actual, path).toBeTypeOf('object');
    for (const [key, value] of Object.entries(expectedValue))
      expectMetrics((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
  } else {
    expect(actual, path).toBe(expectedValue);
  }
}

const NO_FILTERS = {
  deviceClass: [],
  os: [],
  browser: [],
  provider: [],
  credentialKind: [],
  riskTier: [],
  variant: [],
  // The release and environment dimensions (no DEFAULT_ENVIRONMENT here: every environment).
  environment: [],
  service: [],
  serviceVersion: [],
  osVersion: [],
  browserVersion: [],
};

describe('overview', () => {
  it('echoes the window and the filters', async () => {
    const body = await overview();
    expect(body.from).toBe(WINDOW.from);
    expect(body.to).toBe(WINDOW.to);
    expect(body.filters).toEqual(NO_FILTERS);
    expect(body.previous.from).toBe(PREVIOUS_WINDOW.from);
    expect(body.previous.to).toBe(PREVIOUS_WINDOW.to);
    expect((await overview('deviceClass=desktop-windows,mobile-ios&provider=iCloud%20Keychain')).filters).toEqual({
      ...NO_FILTERS,
      deviceClass: ['desktop-windows', 'mobile-ios'],
      provider: ['iCloud Keychain'],
    });
  });

  it('headlines, previous period, registration rate by device class and the share series', async () => {
    expectMetrics(await overview(), expected.overview);
  });

  it.each(['windows', 'ios', 'icloud', 'highRisk', 'stage3'] as const)('filtered: %s', async (name) => {
    const view = expected.filtered[name];
    expectMetrics(await overview(view.query), view.overview);
  });

  it('credentialKind=device_bound narrows holders and coverage', async () => {
    const body = await overview(expected.filtered.deviceBound.query);
    expectMetrics(body, {
      holders: expected.filtered.deviceBound.holders,
      multiDeviceCoverage: expected.filtered.deviceBound.multiDeviceCoverage,
    });
  });

  it('a filter matching nothing gives zeros and null rates, never NaN', async () => {
    const body = await overview(`os=${encodeURIComponent("' OR 1=1 --")}`);
    expectMetrics(body, {
      activeUsers: 0,
      passkeySignInShare: null,
      multiDeviceCoverage: null,
      upsell: { shown: 0, acceptanceRate: null, dismissalRate: null, registrationSuccessRate: null },
      registrationByDeviceClass: [],
    });
    expect(body.passkeySignInShareSeries.every((day) => day.successfulSignIns === 0 && day.share === null)).toBe(true);
  });
});

describe('registration', () => {
  it('groupBy=deviceClass (default): tallies with the registration rate, totals, series, the kind split and the upsell funnel', async () => {
    const body = await registration();
    expect(body.groupBy).toBe('deviceClass');
    expectMetrics(body, {
      totals: expected.registration.totals,
      rows: expected.registration.deviceClassRows,
      series: expected.registration.series,
      credentialKinds: expected.registration.credentialKinds,
      // The Registration page's funnel: the overview's golden values, without loading the overview.
      upsell: expected.overview.upsell,
    });
  });

  it.each(['os', 'browser', 'provider', 'credentialKind'] as const)('groupBy=%s', async (groupBy) => {
    const body = await registration(`groupBy=${groupBy}`);
    expect(body.groupBy).toBe(groupBy);
    expectMetrics(
      body.rows,
      expected.registration.byDimension[groupBy].map((row) => ({ dimension: groupBy, ...row })),
    );
    expectMetrics(body.totals, expected.registration.totals);
    const rows = body.rows as Array<Record<string, unknown>>;
    expect(rows.every((row) => !('registrationRate' in row))).toBe(true);
  });

  it('filtered by device class: only that row, with the same values as unfiltered', async () => {
    expectMetrics((await registration(expected.filtered.windows.query)).rows, expected.filtered.windows.registrationRows);
  });

  it('filtered by provider: ceremonies of other providers are dropped, credential-less ones kept', async () => {
    const body = await registration(`${expected.filtered.icloud.query}&groupBy=provider`);
    expectMetrics(body.rows, expected.filtered.icloud.registrationByProvider);
  });

  it('filtered by credential kind: ceremonies and live credentials of that kind', async () => {
    const body = await registration(`${expected.filtered.deviceBound.query}&groupBy=credentialKind`);
    expectMetrics(body.rows, expected.filtered.deviceBound.registrationByKind);
    expectMetrics(body.credentialKinds, expected.filtered.deviceBound.credentialKinds);
  });
});

describe('signin', () => {
  it('authentication tallies per device class, holders, share, fallbacks, coverage and the cross-platform gap', async () => {
    const body = await signin();
    expect(body.filters).toEqual(NO_FILTERS);
    expectMetrics(body, expected.signin);
  });

  it('filtered by device class', async () => {
    expectMetrics(await signin(expected.filtered.windows.query), expected.filtered.windows.signin);
  });

  it('filtered by provider: authentication ceremonies resolve their provider from the registration', async () => {
    expectMetrics(await signin(expected.filtered.icloud.query), expected.filtered.icloud.signin);
  });
});

describe('cohorts/fallback', () => {
  it('sizes by reason in first-match order, with the previous period', async () => {
    const body = await cohort();
    expect(body.reasons.map((row) => row.reason)).toEqual(['no_passkey', 'passkey_failing', 'cross_platform_gap', 'chooses_fallback']);
    expect(body.previous.from).toBe(PREVIOUS_WINDOW.from);
    const { users: _users, ...sizes } = expected.cohort;
    expectMetrics(body, sizes);
  });

  it.each(['windows', 'icloud', 'highRisk', 'stage3'] as const)('filtered: %s', async (name) => {
    const view = expected.filtered[name].cohort;
    const body = await cohort(expected.filtered[name].query);
    expect(body.activeUsers).toBe(view.activeUsers);
    expect(body.cohortSize).toBe(view.cohortSize);
    for (const row of body.reasons) {
      const size = view.reasons[row.reason];
      if (Array.isArray(size)) expect([row.users, row.previousUsers], row.reason).toEqual(size);
      else expect(row.users, row.reason).toBe(size);
    }
  });
});

describe('cohorts/fallback/weekly', () => {
  // One query for every week (a variant filter: one per week); each week must be exactly the cohort
  // of /cohorts/fallback asked for that week alone — on this population every reason occurs, holders
  // lose credentials and variants expose users part-way through the window.
  const span = `from=${encodeURIComponent(PREVIOUS_WINDOW.from)}&to=${encodeURIComponent(WINDOW.to)}`;
  it.each([
    ['unfiltered', ''],
    ['windows', expected.filtered.windows.query],
    ['icloud', expected.filtered.icloud.query],
    ['highRisk', expected.filtered.highRisk.query],
    ['stage3', expected.filtered.stage3.query],
    ['device_bound, New York weeks', 'credentialKind=device_bound&tz=America%2FNew_York'],
  ])('%s: each week is the cohort of that week', async (_name, filter) => {
    const extra = filter ? `&${filter}` : '';
    const body = await api(zFallbackWeeklyResponse, `/api/v1/cohorts/fallback/weekly?${span}${extra}`);
    expect(body.weeks.length).toBeGreaterThanOrEqual(8);
    expect(body.weeks.reduce((sum, week) => sum + week.cohortSize, 0)).toBeGreaterThan(0);
    for (const week of body.weeks) {
      const range = `from=${encodeURIComponent(week.start)}&to=${encodeURIComponent(week.end)}`;
      const single = await api(zFallbackCohortResponse, `/api/v1/cohorts/fallback?${range}${extra}`);
      expect(week.activeUsers, week.start).toBe(single.activeUsers);
      expect(week.cohortSize, week.start).toBe(single.cohortSize);
      for (const row of single.reasons) expect(week.reasons[row.reason], `${week.start} ${row.reason}`).toBe(row.users);
    }
  });
});

describe('cohorts/fallback/users', () => {
  it('lists every cohort user with reason, sign-ins, last sign-in and methods', async () => {
    const body = await cohortUsers('pageSize=1000');
    expect(body.total).toBe(16);
    expect(body.page).toBe(1);
    expectMetrics(body.users, expected.cohort.users);
  });

  it('paginates stably', async () => {
    const pages = await Promise.all([1, 2, 3, 4, 5].map((page) => cohortUsers(`page=${page}&pageSize=5`)));
    expect(pages.map((page) => page.users.length)).toEqual([5, 5, 5, 1, 0]);
    expect(pages.every((page) => page.total === 16 && page.pageSize === 5)).toBe(true);
    expect(pages.flatMap((page) => page.users.map((user) => user.userId))).toEqual(expected.cohort.users.map((user) => user.userId));
  });

  it('filters by reason', async () => {
    const body = await cohortUsers('reason=chooses_fallback');
    expect(body.total).toBe(4);
    expect(body.users.map((user) => user.userId)).toEqual([U.u07, U.u14, U.u15, U.u16]);
    const failing = await cohortUsers(`reason=passkey_failing&${expected.filtered.windows.query}`);
    expect(failing.users.map((user) => user.userId)).toEqual([U.u10, U.u11]);
    expect(failing.total).toBe(2);
    // the reason's size on every page, also past the end (no row there to carry it)
    const pages = await Promise.all([2, 3].map((page) => cohortUsers(`reason=chooses_fallback&page=${page}&pageSize=2`)));
    expect(pages.map((page) => [page.users.length, page.total])).toEqual([
      [2, 4],
      [0, 4],
    ]);
  });

  it('exports CSV: header, every user, ids escaped, attachment file name', async () => {
    const response = await fetch(`${app.baseUrl}/api/v1/cohorts/fallback/users?${RANGE}&format=csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const from = WINDOW.from.slice(0, 10);
    const to = WINDOW.to.slice(0, 10);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename=fallback-cohort-all-${from}-${to}.csv`);
    const lines = (await response.text()).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe('user_id,reason,sign_ins,last_sign_in_at,methods');
    const rows = lines.slice(1, -1);
    expect(rows).toHaveLength(16);
    expect(rows[0]).toBe(`${U.u06},no_passkey,1,${expected.cohort.users[0]!.lastSignInAt},password`);
    // u26's id is `gc-u26,"night shift"`: quoted, inner quotes doubled.
    expect(rows[6]).toBe(`"gc-u26,""night shift""",no_passkey,1,${expected.cohort.users[6]!.lastSignInAt},password`);
    expect(rows).toContain(`${U.u11},passkey_failing,1,${expected.cohort.users[8]!.lastSignInAt},password_otp`);
  });

  it('exports one page as CSV when page is given', async () => {
    const response = await fetch(`${app.baseUrl}/api/v1/cohorts/fallback/users?${RANGE}&format=csv&reason=no_passkey&page=2&pageSize=3`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/filename=fallback-cohort-no_passkey-/);
    const rows = (await response.text()).split('\r\n').slice(1, -1);
    expect(rows.map((row) => row.split(',')[0])).toEqual([U.u18, U.u24, U.u25]);
  });
});

describe('invalid parameters → 400 naming the parameter', () => {
  it.each([
    ['/api/v1/registration', 'groupBy=reason', 'groupBy'],
    ['/api/v1/overview', 'deviceClass=toaster', 'deviceClass'],
    ['/api/v1/signin', 'riskTier=extreme', 'riskTier'],
    ['/api/v1/cohorts/fallback', 'credentialKind=paper', 'credentialKind'],
    ['/api/v1/cohorts/fallback/users', 'reason=bored', 'reason'],
    ['/api/v1/cohorts/fallback/users', 'pageSize=1001', 'pageSize'],
    ['/api/v1/cohorts/fallback/users', 'page=0', 'page'],
    ['/api/v1/cohorts/fallback/users', 'page=two', 'page'],
    ['/api/v1/cohorts/fallback/users', 'format=xml', 'format'],
  ])('%s?%s', async (path, params, parameter) => {
    const response = await fetch(`${app.baseUrl}${path}?${RANGE}&${params}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; parameter?: string; message: string } };
    expect(body.error.code).toBe('invalid_parameter');
    // A list filter names the offending item too (deviceClass.0).
    expect(body.error.parameter?.split('.')[0]).toBe(parameter);
    expect(body.error.message).toContain(parameter);
  });

  const HOSTILE = ["' OR 1=1 --", "x'); DROP TABLE ceremony_events; --", '{from:String}', "\\'", 'Ünïcödé 中文 🔑', '%00'];
  it.each([
    '/api/v1/overview',
    '/api/v1/registration?groupBy=browser',
    '/api/v1/signin',
    '/api/v1/cohorts/fallback',
    '/api/v1/cohorts/fallback/users',
  ])('hostile filter values on %s are bound values: 200, never a storage error', async (endpoint) => {
    for (const value of HOSTILE) {
      for (const filter of ['os', 'browser', 'provider', 'variant']) {
        const separator = endpoint.includes('?') ? '&' : '?';
        const response = await fetch(`${app.baseUrl}${endpoint}${separator}${RANGE}&${filter}=${encodeURIComponent(value)}`);
        expect(response.status, `${filter}=${value}`).toBe(200);
      }
    }
    const long = await fetch(`${app.baseUrl}${endpoint}${endpoint.includes('?') ? '&' : '?'}os=${'a'.repeat(5000)}`);
    expect(long.status).toBe(400);
    expect(((await long.json()) as { error: { parameter?: string } }).error.parameter).toBe('os');
    expect((await overview()).activeUsers).toBe(expected.overview.activeUsers);
  });

  it('a window ending before it starts or longer than 400 days', async () => {
    for (const range of [`from=${WINDOW.to}&to=${WINDOW.from}`, 'from=2024-01-01&to=2025-06-01']) {
      const response = await fetch(`${app.baseUrl}/api/v1/overview?${range}`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { parameter?: string } }).error.parameter).toBe('from');
    }
  });
});
