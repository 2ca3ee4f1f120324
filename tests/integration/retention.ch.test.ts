/** /api/v1/retention against the running app, on the hand-built scenario of tests/fixtures/retention-scenario.ts. */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { RetentionResponse } from '@/lib/contracts/retention';
import { buildRetentionScenario } from '../fixtures/retention-scenario';
import { getJson, otlpJson, postLogs, type TestRecord } from '../helpers/otlp';

const baseUrl = inject('baseUrl');
const scenario = buildRetentionScenario();
const query = `from=${scenario.from}&to=${scenario.to}&service=${scenario.service}`;

async function send(records: TestRecord[], service: string) {
  const response = await postLogs(baseUrl, JSON.stringify(otlpJson(records, { 'service.name': service })), {
    'content-type': 'application/json',
    authorization: `Bearer ${inject('ingestToken')}`,
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({});
}

beforeAll(async () => {
  await send(scenario.records, scenario.service);
  await send(scenario.otherService, `${scenario.service}-other`);
  // the credential state (a materialized view) follows the events by a moment
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { body } = await getJson<RetentionResponse>(baseUrl, `/api/v1/retention?${query}`);
    if (body.cohorts?.[0]?.weeks[1]?.deletedAll === 1) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
});

describe('/api/v1/retention', () => {
  it('groups users by the week of their first passkey and counts each week since, as computed by hand', async () => {
    const { status, body } = await getJson<RetentionResponse>(baseUrl, `/api/v1/retention?${query}`);
    expect(status).toBe(200);
    expect(
      body.cohorts.map((cohort) => ({
        week: cohort.week,
        users: cohort.users,
        weeks: cohort.weeks.map((w) => [w.passkeySignIns, w.fallbackOnly, w.deletedAll]),
      })),
    ).toEqual(scenario.expected);
    const first = body.cohorts[0]!;
    expect(first.partial).toBe(false);
    expect(first.weeks.map((week) => week.passkeyShare)).toEqual([0.5, 0, 0.5, 0]);
    expect(first.weeks.map((week) => week.deletedAllShare)).toEqual([0, 0.5, 0.5, 0.5]);
    // the current week is cut at `to`
    expect(first.weeks.at(-1)!.partial).toBe(true);
    expect(first.weeks.at(-1)!.end).toBe(new Date(scenario.to).toISOString());
  });

  it('refuses an unknown cohort size with a 400', async () => {
    const { status, body } = await getJson<{ error: { parameter: string } }>(baseUrl, '/api/v1/retention?cohort=month');
    expect([status, body.error.parameter]).toEqual([400, 'cohort']);
  });
});
