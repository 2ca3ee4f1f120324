/**
 * Journeys from flow rollups (migration 0015): once a pass has rolled up the flow state's bases, the
 * journeys and a link's flows read the window's settled hours from the rollups — and every answer
 * equals the one regrouped from raw events (the same queries bound to a plan whose watermark is 0,
 * so every flow counts as new): on the hand-built scenario of tests/fixtures/journey-scenario.ts,
 * with and without filters, for a link's newest flows, and after an erasure rewrote the rollups.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeJson } from '@/ingest/decode';
import { insertEvents } from '@/ingest/sink';
import { mapRecords } from '@/ingest/to-rows';
import type { Filters } from '@/lib/api/params';
import { ceremonyPlan, type CeremonyPlan } from '@/lib/ceremony-plan';
import { runCeremonyStatePass } from '@/lib/ceremony-states';
import { createStorage, setStorage, type Storage } from '@/lib/clickhouse';
import { JOURNEY_KINDS } from '@/lib/domain/journeys';
import { parseEnv } from '@/lib/env';
import { journeyGraph } from '@/lib/metrics/journeys';
import { migrate } from '@/lib/migrate';
import { eraseUser } from '@/lib/privacy/erasure';
import { defineQuery, runQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { JOURNEY_ROLLUPS, JOURNEYS, journeyParams, zJourneyParams } from '@/sql/queries/journey-fragments';
import { journeyFlows } from '@/sql/queries/journey-flows';
import { journeyPaths } from '@/sql/queries/journeys';
import { windowFilterParams } from '@/sql/queries/shared';
import { buildJourneyScenario } from '../fixtures/journey-scenario';
import { otlpJson } from '../helpers/otlp';

const scenario = buildJourneyScenario();
const window = { from: new Date(scenario.from), to: new Date(scenario.to) };
const NO_FILTERS: Filters = { deviceClass: [], os: [], browser: [], provider: [], credentialKind: [], riskTier: [], variant: [] };

/** The flows a journey question reads from rollups. */
const rolledUpFlows = defineQuery({
  name: 'journey-rolled-up-flows',
  params: zJourneyParams,
  row: z.object({ flows: z.coerce.number() }),
  sql: sql`WITH ${JOURNEYS}, ${JOURNEY_ROLLUPS} SELECT sum(flows) AS flows FROM journey_rollups`.text,
});

let dataDir: string;
let store: Storage;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-rollups-'));
  store = createStorage(parseEnv({ DATA_DIR: dataDir }));
  setStorage(store);
  await migrate(store);
  const rows = mapRecords(decodeJson(JSON.stringify(otlpJson(scenario.records, { 'service.name': scenario.service }))), Date.now()).rows;
  await insertEvents(store.ingestClient, rows, 'journey-rollups');
  expect((await runCeremonyStatePass(store.stateClient)).rebuilt).toBeGreaterThan(0);
}, 120_000);

afterAll(async () => {
  setStorage(undefined);
  await store?.client.close();
  await store?.ingestClient.close();
  await store?.stateClient.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The plan the app would bind, and the same with watermark 0: every flow regrouped from raw events. */
async function plans(): Promise<{ stated: CeremonyPlan; raw: CeremonyPlan }> {
  const stated = await ceremonyPlan(store.client);
  return { stated, raw: { ...stated, watermark: 0 } };
}

const sorted = <T>(rows: T[]) => rows.map((row) => JSON.stringify(row)).sort();

describe('journeys read from flow rollups', () => {
  it('reads the settled hours from rollups and answers as the raw events do, for every kind and with filters', async () => {
    const { stated, raw } = await plans();
    const filterSets: Filters[] = [
      NO_FILTERS,
      { ...NO_FILTERS, deviceClass: ['desktop-windows'] },
      { ...NO_FILTERS, provider: ['iCloud Keychain'] },
      { ...NO_FILTERS, variant: ['stage-3'] },
    ];
    for (const filters of filterSets) {
      for (const kind of JOURNEY_KINDS) {
        const params = journeyParams(windowFilterParams(window, filters), kind);
        const label = `${kind} ${JSON.stringify(filters)}`;
        expect(sorted(await runQuery(journeyPaths, params, { plan: stated })), label).toEqual(
          sorted(await runQuery(journeyPaths, params, { plan: raw })),
        );
      }
    }
    // The scenario's flows of two days ago are settled: the sign-in question takes them from rollups …
    const signIn = journeyParams(windowFilterParams(window, NO_FILTERS), 'sign_in');
    const [rolled] = await runQuery(rolledUpFlows, signIn, { plan: stated });
    expect(rolled!.flows).toBeGreaterThanOrEqual(10);
    // … none when every flow is new to the plan, and none when a rollout variant is asked for.
    expect((await runQuery(rolledUpFlows, signIn, { plan: raw }))[0]!.flows).toBe(0);
    const variant = journeyParams(windowFilterParams(window, { ...NO_FILTERS, variant: ['stage-3'] }), 'sign_in');
    expect((await runQuery(rolledUpFlows, variant, { plan: stated }))[0]!.flows).toBe(0);
    // And the answer is the hand-computed one.
    const graph = journeyGraph(await runQuery(journeyPaths, signIn, { plan: stated }));
    expect([graph.flows, graph.inProgress]).toEqual([scenario.expected.signIn.flows, scenario.expected.signIn.inProgress]);
    expect(graph.paths.map((p) => [p.path, p.flows, p.medianMs, p.p90Ms])).toEqual(scenario.expected.signIn.paths);
  });

  it("lists a link's newest flows from the hours the rollups point to, as the raw events do", async () => {
    const { stated, raw } = await plans();
    const link = { depth: 0, source: 'autofill', target: 'autofill_ok' };
    for (const limit of [1, 2, 3, 50]) {
      const params = { ...journeyParams(windowFilterParams(window, NO_FILTERS), 'sign_in'), ...link, limit };
      const rows = await runQuery(journeyFlows, params, { plan: stated });
      expect(rows, `limit ${limit}`).toEqual(await runQuery(journeyFlows, params, { plan: raw }));
      expect(rows.length).toBe(Math.min(limit, 3));
    }
  });

  it('an erasure rewrites the rollups that counted the erased flows', async () => {
    const result = await store.client.query({
      query: 'SELECT any(user_id) AS user FROM ceremony_events WHERE flow_id = {flow:String}',
      query_params: { flow: scenario.flowIds.f1 },
      format: 'JSONEachRow',
    });
    const [{ user }] = (await result.json<{ user: string }>()) as [{ user: string }];
    const signIn = journeyParams(windowFilterParams(window, NO_FILTERS), 'sign_in');
    const before = journeyGraph(await runQuery(journeyPaths, signIn)).flows;

    await eraseUser(store.client, user, 'test');
    const { stated, raw } = await plans();
    const after = await runQuery(journeyPaths, signIn, { plan: stated });
    expect(journeyGraph(after).flows).toBe(before - 1);
    expect(sorted(after)).toEqual(sorted(await runQuery(journeyPaths, signIn, { plan: raw })));
  });
});
