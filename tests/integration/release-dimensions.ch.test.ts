/**
 * The release and environment dimensions end to end (DESIGN.md section 11): the hand-built
 * population of tests/fixtures/release-dimensions.ts (two environments, two releases) is sent
 * through /v1/logs into a private app instance started with DEFAULT_ENVIRONMENT=production, and
 * the API is asserted against the values computed by hand: the default applied when a request
 * names no environment (echoed in `filters.environment`), `environment=*` lifting it, a named
 * environment, the service-version filter, group-by release / environment on Registration and
 * Failures, and the stage-gate evaluation reading the default environment only.
 *
 * Why a private instance: DEFAULT_ENVIRONMENT is process configuration, so the shared app of the
 * integration project (started without it) cannot show it; every other case runs on the same
 * instance, where `environment=*` is the unconfigured behaviour (the golden tests cover "no
 * default" on the shared configuration: their answers are unchanged).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { zFailuresResponse } from '@/lib/contracts/failures';
import { zOverviewResponse } from '@/lib/contracts/overview';
import { zRegistrationResponse } from '@/lib/contracts/registration';
import type { StagesResponse } from '@/lib/contracts/stages';
import { W_TO, WINDOW, buildReleasePopulation, expected } from '../fixtures/release-dimensions';
import { isolatedApp } from '../helpers/isolated-app';
import { otlpJson, postLogs } from '../helpers/otlp';

const app = isolatedApp();
const RANGE = `from=${encodeURIComponent(WINDOW.from)}&to=${encodeURIComponent(WINDOW.to)}`;
const population = buildReleasePopulation('rel');
const RECORDS = population.batches.reduce((total, batch) => total + batch.records.length, 0);

beforeAll(async () => {
  await app.start({ DEFAULT_ENVIRONMENT: 'production' });
  for (const batch of population.batches) {
    const response = await postLogs(app.baseUrl, JSON.stringify(otlpJson(batch.records, batch.resource)), {
      authorization: `Bearer ${app.token}`,
      'content-type': 'application/json',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
  }
  const deadline = Date.now() + 10_000;
  let stored = 0;
  while (Date.now() < deadline) {
    const body = (await (await fetch(`${app.baseUrl}/api/v1/events?${RANGE}&limit=1000`)).json()) as { events: unknown[] };
    stored = body.events.length;
    if (stored >= RECORDS) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(stored).toBe(RECORDS);
}, 300_000);

afterAll(() => app.stop());

async function api<S extends z.ZodType>(schema: S, path: string): Promise<z.output<S>> {
  const response = await fetch(`${app.baseUrl}${path}`);
  const text = await response.text();
  expect(response.status, `${path} → ${text.slice(0, 300)}`).toBe(200);
  return schema.parse(JSON.parse(text));
}

const query = (extra: string) => `${RANGE}${extra ? `&${extra}` : ''}`;
const overview = (extra = '') => api(zOverviewResponse, `/api/v1/overview?${query(extra)}`);
const registration = (extra = '') => api(zRegistrationResponse, `/api/v1/registration?${query(extra)}`);
const failures = (extra = '') => api(zFailuresResponse, `/api/v1/failures?${query(extra)}`);

/** Integers exactly, other numbers to 9 decimals, recursively over `expectedValue`'s keys. */
function expectMetrics(actual: unknown, expectedValue: unknown, path = '$'): void {
  if (expectedValue === null) expect(actual, path).toBeNull();
  else if (typeof expectedValue === 'number') {
    if (Number.isInteger(expectedValue)) expect(actual, path).toBe(expectedValue);
    else expect(actual as number, path).toBeCloseTo(expectedValue, 9);
  } else if (Array.isArray(expectedValue)) {
    expect((actual as unknown[]).length, `${path}.length`).toBe(expectedValue.length);
    expectedValue.forEach((item, i) => expectMetrics((actual as unknown[])[i], item, `${path}[${i}]`));
  } else if (typeof expectedValue === 'object') {
    for (const [key, value] of Object.entries(expectedValue))
      expectMetrics((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
  } else expect(actual, path).toBe(expectedValue);
}

function deviceClassRow(body: z.output<typeof zRegistrationResponse>) {
  expect(body.groupBy).toBe('deviceClass');
  return body.rows.find((row) => row.key === 'desktop-macos');
}

describe('DEFAULT_ENVIRONMENT=production', () => {
  it('applies when the request names no environment, and the echo says so', async () => {
    const body = await overview();
    expect(body.filters.environment).toEqual(['production']);
    expectMetrics(body, { activeUsers: expected.production.activeUsers, holders: expected.production.holders });
    const rows = await registration();
    expectMetrics(rows.totals, expected.production.registration);
    expectMetrics(deviceClassRow(rows), {
      activeUsers: expected.production.activeUsers,
      holders: expected.production.holders,
      registrationRate: expected.production.registrationRate,
    });
  });

  it('environment=* reads every environment (echo: [])', async () => {
    const body = await overview('environment=*');
    expect(body.filters.environment).toEqual([]);
    expectMetrics(body, { activeUsers: expected.all.activeUsers, holders: expected.all.holders });
    const rows = await registration('environment=*');
    expectMetrics(rows.totals, expected.all.registration);
    expectMetrics(deviceClassRow(rows), {
      activeUsers: expected.all.activeUsers,
      holders: expected.all.holders,
      registrationRate: expected.all.registrationRate,
    });
  });

  it('a named environment replaces the default', async () => {
    const body = await overview('environment=staging');
    expect(body.filters.environment).toEqual(['staging']);
    expectMetrics(body, { activeUsers: expected.staging.activeUsers, holders: expected.staging.holders });
    const rows = await registration('environment=staging');
    expectMetrics(rows.totals, expected.staging.registration);
    expectMetrics(deviceClassRow(rows), { registrationRate: expected.staging.registrationRate });
    expect((await overview('environment=production,staging')).activeUsers).toBe(expected.all.activeUsers);
    expect((await overview('environment=nowhere')).activeUsers).toBe(0);
  });

  it('applies to the stage-gate evaluation: staging never moves a gate', async () => {
    const response = await fetch(`${app.baseUrl}/api/v1/stages?trend=0&to=${encodeURIComponent(new Date(W_TO).toISOString())}`);
    expect(response.status).toBe(200);
    const stages = (await response.json()) as StagesResponse;
    expect(stages.environments).toEqual(['production']);
    expect(stages.blastRadius.environments).toEqual(['production']);
    const criterion = stages.transitions
      .flatMap((transition) => transition.criteria)
      .find((entry) => entry.metric === 'holder_share_of_active_users');
    expect(criterion?.measurement).toEqual({ kind: 'proportion', ...expected.holderShareGate });
  });

  it('a bad environment value is a 400 naming the parameter', async () => {
    const response = await fetch(`${app.baseUrl}/api/v1/overview?${query('environment=*,production')}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { parameter?: string; message: string } };
    expect(body.error.parameter).toBe('environment');
    expect(body.error.message).toContain("'*' (every environment) cannot be combined");
  });
});

describe('serviceVersion', () => {
  it('narrows events to the release (holders stay every holder of the environment)', async () => {
    const body = await overview('serviceVersion=2.4.0');
    expect(body.filters).toMatchObject({ environment: ['production'], serviceVersion: ['2.4.0'] });
    expectMetrics(body, { activeUsers: expected.production240.activeUsers, holders: expected.production240.holders });
    expectMetrics((await registration('serviceVersion=2.4.0')).totals, expected.production240.registration);
    expectMetrics((await registration('serviceVersion=2.4.0&environment=*')).totals, expected.all240.registration);
    expect((await registration('serviceVersion=9.9.9')).totals.ceremonies).toBe(0);
  });

  it('service and the OS / browser versions filter too', async () => {
    expectMetrics((await registration('service=acme-web&osVersion=15.1&browserVersion=18.1')).totals, expected.production.registration);
    expect((await registration('service=other-app')).totals.ceremonies).toBe(0);
    expect((await registration('osVersion=14.0')).totals.ceremonies).toBe(0);
  });
});

describe('group by release and environment', () => {
  it('registration?groupBy=serviceVersion: releases side by side', async () => {
    const body = await registration('groupBy=serviceVersion');
    expect(body.groupBy).toBe('serviceVersion');
    expectMetrics(
      body.rows,
      expected.production.byRelease.map((row) => ({ dimension: 'serviceVersion', ...row })),
    );
    expectMetrics((await registration('groupBy=serviceVersion&environment=*')).rows, expected.all.byRelease);
  });

  it('registration?groupBy=environment', async () => {
    const body = await registration('groupBy=environment&environment=*');
    expectMetrics(
      body.rows,
      expected.all.byEnvironment.map((row) => ({ dimension: 'environment', ...row })),
    );
  });

  it('failures?groupBy=serviceVersion, and its drill-down by the release filter', async () => {
    const body = await failures('groupBy=serviceVersion');
    expectMetrics(body, expected.production.failures);
    expectMetrics(body.groups, expected.production.failuresByRelease);
    expectMetrics((await failures('groupBy=serviceVersion&environment=*')).groups, expected.all.failuresByRelease);

    const drill = await failures('groupBy=serviceVersion&serviceVersion=2.4.0');
    expect(drill.ceremonyList.total).toBe(2);
    expect(drill.ceremonyList.items.every((item) => item.serviceVersion === '2.4.0' && item.environment === 'production')).toBe(true);
    expect(drill.ceremonyList.items.map((item) => item.userId)).toEqual([population.users.p4, population.users.p4]);
  });

  it('failures?groupBy=environment,serviceVersion', async () => {
    const body = await failures('groupBy=environment,serviceVersion&environment=*');
    expect(body.groups.map((group) => [group.values.environment, group.values.serviceVersion, group.ceremonies])).toEqual([
      ['production', '2.4.0', 2],
      ['production', '2.3.0', 1],
      ['staging', '2.4.0', 1],
    ]);
  });
});
