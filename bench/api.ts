/**
 * `npm run bench:api` — the read API benchmark of DESIGN.md section 9 (issue 8), on the embedded engine.
 *
 *   npm run bench:api -- --events 10000000          # the 10 M run (≤ 15 min on the 2-core machine, build included)
 *   npm run bench:api -- --events 50000000          # 50 M: the same last 90 days plus older history
 *   npm run bench:api -- --events 500000            # a quick functional check
 *   options: --calls 20 (timed calls per endpoint), --endpoint-budget 90 (seconds of calls per endpoint
 *   after which it stops early, at least 3 calls; the report shows the count), --rebuild (ignore a stored population),
 *            --keep-run (keep the served copy of the data), --data-root .bench-data
 *
 * Phases: (1) build or reuse the population (bench/api/population.ts), its stored stage-gate history
 * brought up to date (bench/api/gate-history.ts); (2) serve a fresh copy of it
 * with the production app; (3) background ingest at ~1,200 events/s for the whole measurement;
 * (4) the cold stage-gate evaluation (first /api/v1/stages after start); (5) every /api/v1 endpoint,
 * `calls` different questions each; (6) 8 viewers opening the Overview at once; (7) Chromium: first
 * filled chart and first-load JS per page; (8) bench/results/api-<events>-<date>.json, the section of
 * docs/performance.md for this size and docs/performance-api-p95.svg.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildIfNeeded } from '../scripts/start';
import { startApp, type RunningApp } from './api/app';
import { dashboardPages, measurePages, type PageResult } from './api/browser';
import {
  eightViewers,
  endpointSpecs,
  measureEndpoint,
  timedGet,
  type DataContext,
  type EndpointResult,
  type ViewerResult,
} from './api/endpoints';
import { INGEST_SERVICE, IngestLoad } from './api/ingest-load';
import { closeStorage, copyDir, ensurePopulation, migrationsFingerprint, openStorage, scalar } from './api/population';
import { endpointGoalMs, readResults, updateDoc, writeChart, writeResult, type RunResult } from './api/report';
import { fmtInt, fmtMs, log, sleep } from './api/stats';

const ROOT = path.resolve(import.meta.dirname, '..');

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '10000000' },
    calls: { type: 'string', default: '20' },
    'endpoint-budget': { type: 'string', default: '90' },
    rebuild: { type: 'boolean', default: false },
    'keep-run': { type: 'boolean', default: false },
    'data-root': { type: 'string', default: path.join(ROOT, '.bench-data') },
  },
});
const EVENTS = Number(values.events);
const CALLS = Number(values.calls);
if (!Number.isInteger(EVENTS) || EVENTS < 10_000 || EVENTS > 1_000_000_000) {
  console.error('--events must be a whole number between 10,000 and 1,000,000,000 (e.g. --events 10000000)');
  process.exit(2);
}
if (!Number.isInteger(CALLS) || CALLS < 1) {
  console.error('--calls must be a positive whole number');
  process.exit(2);
}
const DATA_ROOT = path.resolve(values['data-root']);

/** Values present in the served data (filters that match something, users to look up), read before the app starts. */
async function inspect(dir: string): Promise<{ total: number; last28: number; last90: number; benchIngest: number; ctx: DataContext }> {
  const store = openStorage(dir);
  try {
    const top = async (column: string, limit: number) =>
      (
        await (
          await store.client.query({
            query: `SELECT ${column} AS v, count() AS c FROM ceremony_events WHERE timestamp > now64() - INTERVAL 28 DAY AND ${column} != '' GROUP BY v ORDER BY c DESC LIMIT ${limit}`,
            format: 'JSONEachRow',
          })
        ).json<{ v: string }>()
      ).map((row) => row.v);
    const oses = await (
      await store.client.query({
        query: `SELECT os_name AS os, browser_name AS browser, count() AS c FROM ceremony_events
                WHERE timestamp > now64() - INTERVAL 28 DAY AND os_name != '' AND browser_name != '' GROUP BY os, browser ORDER BY c DESC LIMIT 4`,
        format: 'JSONEachRow',
      })
    ).json<{ os: string; browser: string }>();
    const users = await (
      await store.client.query({
        query: `SELECT user_id FROM ceremony_events WHERE event_name = 'auth.sign_in' AND timestamp > now64() - INTERVAL 28 DAY
                GROUP BY user_id ORDER BY cityHash64(user_id) LIMIT 60`,
        format: 'JSONEachRow',
      })
    ).json<{ user_id: string }>();
    return {
      total: await scalar(store, 'SELECT count() AS v FROM ceremony_events'),
      last28: await scalar(store, 'SELECT count() AS v FROM ceremony_events WHERE timestamp > now64() - INTERVAL 28 DAY'),
      last90: await scalar(store, 'SELECT count() AS v FROM ceremony_events WHERE timestamp > now64() - INTERVAL 90 DAY'),
      benchIngest: await scalar(store, `SELECT count() AS v FROM ceremony_events WHERE service_name = '${INGEST_SERVICE}'`),
      ctx: {
        deviceClasses: await top('device_class', 6),
        oses: oses.map(({ os: name, browser }) => ({ os: name, browser })),
        variants: await top('rollout_variant', 3),
        providers: await top('provider_name', 3),
        userIds: users.map((u) => u.user_id),
      },
    };
  } finally {
    await closeStorage(store);
  }
}

async function main(): Promise<void> {
  const runStarted = performance.now();
  const startedAt = new Date();
  const loadBefore = os.loadavg();
  log(
    `bench:api for ${fmtInt(EVENTS)} events · ${os.cpus().length} cores · Node ${process.version} · load average ${loadBefore.map((v) => v.toFixed(2)).join(' / ')}`,
  );
  if (loadBefore[0]! > os.cpus().length * 0.5)
    log(`note: the machine is busy (1-min load ${loadBefore[0]!.toFixed(2)} on ${os.cpus().length} cores): figures will be noisy`);

  log('phase 0: the production build (next build when the sources changed)');
  buildIfNeeded((line) => log(line));

  log('phase 1: population');
  const population = await ensurePopulation(DATA_ROOT, EVENTS, { rebuild: values.rebuild });
  const migrationsChanged = population.meta.migrations !== migrationsFingerprint();
  if (migrationsChanged) {
    log(
      'WARNING: sql/migrations changed while the population was built: the app will apply the new ones to data that never flowed through them (rerun to rebuild)',
    );
  }

  // The stored daily stage-gate evaluations, as a long-running app has them (the live page reads its
  // trend windows there); only the days since the last run after the first time.
  log('phase 1b: the stored stage-gate history of the population brought up to date');
  const history = spawnSync(
    path.join(ROOT, 'node_modules', '.bin', 'tsx'),
    [path.join(ROOT, 'bench', 'api', 'gate-history.ts'), population.dir],
    {
      stdio: 'inherit',
      env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --conditions=react-server`.trim() },
    },
  );
  if (history.status !== 0) throw new Error(`bench/api/gate-history.ts failed (exit ${history.status})`);

  log('phase 2: serving a fresh copy of the population with the production app');
  const sizeDir = path.join(DATA_ROOT, `api-${EVENTS}`);
  const runDir = path.join(sizeDir, 'run');
  const copyStarted = performance.now();
  copyDir(population.dir, runDir);
  log(`copied to ${path.relative(ROOT, runDir)} in ${((performance.now() - copyStarted) / 1000).toFixed(1)} s`);
  const data = await inspect(runDir);
  log(
    `served data: ${fmtInt(data.total)} events (${fmtInt(data.last28)} in the last 28 days, ${fmtInt(data.last90)} in the last 90); ` +
      `filters: device classes ${data.ctx.deviceClasses.slice(0, 3).join(', ')}; os/browser ${data.ctx.oses
        .slice(0, 2)
        .map((o) => `${o.os}/${o.browser}`)
        .join(', ')}`,
  );
  if (data.benchIngest > 0)
    throw new Error(`the population holds ${data.benchIngest} benchmark-ingest events: it is not pristine (run with --rebuild)`);

  const logFile = path.join(sizeDir, 'server.log');
  fs.writeFileSync(logFile, '');
  let app: RunningApp | undefined;
  let ingest: IngestLoad | undefined;
  const stopAll = async () => {
    await ingest?.stop();
    await app?.stop();
  };
  process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)));

  let result: RunResult;
  try {
    const appStarted = performance.now();
    app = await startApp(runDir, logFile);
    const healthyAt = performance.now();
    log(`app ready on ${app.baseUrl} in ${((healthyAt - appStarted) / 1000).toFixed(1)} s (server log: ${path.relative(ROOT, logFile)})`);

    log('phase 3: background ingest (12 requests/s × 100 records)');
    ingest = new IngestLoad(app.baseUrl, app.token);
    ingest.start();
    await sleep(1_500);
    const loadBeforeMeasuring = os.loadavg();

    log('phase 4: cold stage-gate evaluation (first /api/v1/stages since the app started)');
    const coldFrom = performance.now();
    const cold = await timedGet(`${app.baseUrl}/api/v1/stages`, 300_000);
    const coldTo = performance.now();
    log(`cold /api/v1/stages: ${fmtMs(cold.ms)} ms, HTTP ${cold.status}${cold.error ? ` (${cold.error.slice(0, 200)})` : ''}`);

    log(`phase 5: every /api/v1 endpoint, ${CALLS} different questions each, sequential`);
    const endpointsFrom = performance.now();
    const endpoints: EndpointResult[] = [];
    for (const spec of endpointSpecs(data.ctx)) {
      const measured = await measureEndpoint(
        app.baseUrl,
        spec,
        CALLS,
        (i, call) => {
          if (call.status !== 200) log(`  ${spec.name} call ${i + 1}: HTTP ${call.status} ${call.error?.slice(0, 200) ?? ''}`);
        },
        Number(values['endpoint-budget']) * 1000,
      );
      const ing = ingest.stats(performance.now() - measured.samples.reduce((a, b) => a + b, 0), performance.now());
      log(
        `  ${spec.name.padEnd(24)} p50 ${fmtMs(measured.p50).padStart(6)} · p95 ${fmtMs(measured.p95).padStart(6)} · max ${fmtMs(measured.max).padStart(6)} ms · ` +
          `${measured.errors} errors · ingest ${fmtInt(ing.eventsPerSecond)} ev/s p99 ${fmtMs(ing.p99)} ms`,
      );
      endpoints.push(measured);
    }
    const endpointsTo = performance.now();

    log('phase 6: 8 viewers open the Overview at once');
    await sleep(1_000);
    const viewersFrom = performance.now();
    const viewers: ViewerResult[] = await eightViewers(app.baseUrl, data.ctx);
    const viewersTo = performance.now();
    await sleep(500);
    const viewerIngest = ingest.stats(viewersFrom, viewersTo);
    log(
      `8 viewers served after ${viewers
        .map((v) => v.ms)
        .sort((a, b) => a - b)
        .map((ms) => fmtMs(ms))
        .join(', ')} ms; ingest meanwhile ${viewerIngest.requests} requests, p99 ${fmtMs(viewerIngest.p99)} ms`,
    );

    log('phase 7: Chromium — first filled chart and first-load JS per page');
    const browserFrom = performance.now();
    let pages: PageResult[] = [];
    try {
      pages = await measurePages(app.baseUrl, dashboardPages(data.ctx.userIds[0] ?? 'usr_000001'));
    } catch (error) {
      log(`browser phase failed: ${(error as Error).message}`);
    }
    const browserTo = performance.now();

    await ingest.stop();
    const overall = ingest.stats();
    log(
      `background ingest: ${fmtInt(overall.eventsPerSecond)} events/s over ${overall.seconds} s, p50 ${fmtMs(overall.p50)} / p95 ${fmtMs(overall.p95)} / p99 ${fmtMs(overall.p99)} ms, ${overall.errors} errors${ingest.lastError ? ` (last: ${ingest.lastError})` : ''}`,
    );
    await app.stop();
    app = undefined;

    const errors =
      endpoints.reduce((sum, e) => sum + e.errors, 0) + viewers.reduce((sum, v) => sum + v.errors, 0) + (cold.status === 200 ? 0 : 1);
    result = {
      kind: 'bench:api',
      date: startedAt.toISOString().slice(0, 10),
      startedAt: startedAt.toISOString(),
      requestedEvents: EVENTS,
      machine: {
        cores: os.cpus().length,
        loadBefore,
        loadBeforeMeasuring,
        node: process.version,
        platform: `${os.platform()} ${os.release()}`,
      },
      population: {
        ...population.meta,
        dir: path.relative(ROOT, population.dir),
        reused: population.reused,
        countedEvents: data.total,
        last28DayEvents: data.last28,
        last90DayEvents: data.last90,
        migrationsChanged,
      },
      callsPerEndpoint: CALLS,
      endpoints,
      coldStages: { ms: Math.round(cold.ms * 10) / 10, status: cold.status, secondsAfterStart: (coldFrom - healthyAt) / 1000 },
      viewers,
      ingest: {
        overall,
        viewers: viewerIngest,
        coldStages: ingest.stats(coldFrom, coldTo),
        endpoints: ingest.stats(endpointsFrom, endpointsTo),
        browser: ingest.stats(browserFrom, browserTo),
        lastError: ingest.lastError,
      },
      pages,
      errors,
      totalSeconds: Math.round((performance.now() - runStarted) / 1000),
    };
  } finally {
    await stopAll();
    if (!values['keep-run']) fs.rmSync(runDir, { recursive: true, force: true });
  }

  const file = writeResult(result);
  const all = readResults();
  updateDoc(result, all);
  writeChart(all);
  log(
    `results: ${path.relative(ROOT, file)}; docs/performance.md section "${fmtInt(EVENTS)} events" updated; chart docs/performance-api-p95.svg (${all.length} run(s))`,
  );

  const goal = endpointGoalMs(EVENTS);
  console.log('');
  console.log(`endpoint                  p50      p95      max   errors  (goal p95 ${goal === null ? '—' : `≤ ${goal} ms`})`);
  for (const e of result.endpoints) {
    console.log(
      `${e.name.padEnd(24)} ${fmtMs(e.p50).padStart(6)} ${fmtMs(e.p95).padStart(8)} ${fmtMs(e.max).padStart(8)} ${String(e.errors).padStart(6)}   ${goal === null ? '' : e.p95 <= goal && e.errors === 0 ? 'met' : 'NOT met'}`,
    );
  }
  console.log(
    `8 viewers (ms, sorted):  ${result.viewers
      .map((v) => v.ms)
      .sort((a, b) => a - b)
      .map((ms) => fmtMs(ms))
      .join(', ')}`,
  );
  console.log(
    `ingest p99 during them:  ${fmtMs(result.ingest.viewers.p99)} ms; overall ${fmtInt(result.ingest.overall.eventsPerSecond)} events/s, p50/p95/p99 ${fmtMs(result.ingest.overall.p50)}/${fmtMs(result.ingest.overall.p95)}/${fmtMs(result.ingest.overall.p99)} ms`,
  );
  console.log(`cold stages:             ${fmtMs(result.coldStages.ms)} ms (HTTP ${result.coldStages.status})`);
  for (const page of result.pages)
    console.log(
      `page ${page.name.padEnd(20)} first filled ${page.kind} ${page.firstFilledMs ?? '—'} ms, JS ${(page.jsGzipBytes / 1024).toFixed(1)} KB gzip`,
    );
  console.log(`total ${result.totalSeconds} s; ${result.errors === 0 ? 'every response 200' : `${result.errors} NON-200 RESPONSES`}`);
  if (result.errors > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`[bench:api] ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
