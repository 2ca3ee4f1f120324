/**
 * The benchmark population, built once per event count and kept under .bench-data/api-<events>/population
 * (never served: every run works on a fresh copy, so the background ingest of one run never leaks
 * into the next).
 *
 * Recipe:
 *   1. the demo's base population (lib/simulator: 5,000 users over 90 days, seed 42, ~457k events)
 *      streamed through the real app's POST /v1/logs with the project's SDK (scripts/demo.ts);
 *   2. the app is stopped and this process opens the same data directory with chDB
 *      (lib/clickhouse.ts createStorage), keeps the base rows in a side table `bench_base`
 *      (plain MergeTree, no views hang off it), and multiplies them with
 *      `INSERT INTO ceremony_events SELECT …` copies whose ids (user, session, flow, ceremony,
 *      credential, ticket, trace, span) get a copy suffix — every materialized view fires, so the
 *      state tables fill exactly as they would from ingest; copies are stamped `received_at` = now
 *      (they arrive now), and the app's own ceremony state pass (lib/ceremony-states.ts, when present)
 *      is run until it has caught up, as it would have in a long-running app;
 *   3. "eras": the last 90 days (era 0) hold min(events, 10 M) events; anything beyond is history,
 *      the same era shifted back by 90, 180, 270 … days. So the 10 M population is exactly the
 *      recent part of the 50 M one (same events per day in the last 90 days), and 50 M adds
 *      only older history. A 50 M build starts from a copy of a fresh 10 M population when one exists.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadMigrations } from '../../lib/migrate';
import { runDemo } from '../../scripts/demo';
import { startApp } from './app';
import { runCopies, settleDerivedState, type CopyPlan, type EraMeta } from './population-copies';
import { closeStorage, copyDir, dirBytes, openStorage, scalar } from './population-storage';
import { fmtInt, log } from './stats';

export { closeStorage, copyDir, openStorage, scalar } from './population-storage';
export type { EraMeta } from './population-copies';

export const RECIPE = 'api-v2';
export const BASE_USERS = 5_000;
export const BASE_DAYS = 90;
export const SEED = 42;
/** Events of the recent era (the last BASE_DAYS days); more events become older history. */
export const RECENT_CAP = 10_000_000;
/** A population older than this is rebuilt: its last 28 days would hold fewer events. */
export const MAX_AGE_MS = 2 * 86_400_000;
/** Measured mean of the simulator (456,993 events / 5,000 users), used only to size a small base. */
const EVENTS_PER_USER = 91.4;

export interface PopulationMeta {
  recipe: string;
  requestedEvents: number;
  events: number;
  users: number;
  days: number;
  baseUsers: number;
  baseDays: number;
  baseEvents: number;
  /** End of the simulated period (epoch ms) = when the base was streamed. */
  builtAt: number;
  buildSeconds: number;
  streamSeconds: number;
  copySeconds: number;
  migrations: string;
  eras: EraMeta[];
  demo: { rejected: number; failed: number };
  reusedFrom?: string;
}

export function migrationsFingerprint(): string {
  const text = loadMigrations()
    .map((m) => `${m.name}:${m.checksum}`)
    .join('\n');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function readMeta(dir: string): PopulationMeta | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'population.json'), 'utf8')) as PopulationMeta;
  } catch {
    return undefined;
  }
}

/** Why a stored population cannot be reused for `events`, or undefined when it can. */
function unusable(meta: PopulationMeta | undefined, events: number, now: number): string | undefined {
  if (!meta) return 'no population yet';
  if (meta.recipe !== RECIPE) return `built with recipe ${meta.recipe}, this is ${RECIPE}`;
  if (meta.requestedEvents !== events) return `holds ${fmtInt(meta.requestedEvents)} events, not ${fmtInt(events)}`;
  if (meta.migrations !== migrationsFingerprint()) return 'sql/migrations changed since it was built (state tables would be incomplete)';
  if (now - meta.builtAt > MAX_AGE_MS)
    return `built ${((now - meta.builtAt) / 3_600_000).toFixed(1)} h ago (its last 28 days would be thinner)`;
  return undefined;
}

/** Copies per era so that the population holds about `events` events (base: `baseEvents`). */
export function planEras(events: number, baseEvents: number): CopyPlan[] {
  const plans: CopyPlan[] = [];
  let remaining = events;
  for (let era = 0; remaining > baseEvents * 0.0005; era++) {
    const target = Math.min(remaining, RECENT_CAP);
    // Era 0 already holds the streamed base (one copy); the others start empty.
    const wanted = target / baseEvents - (era === 0 ? 1 : 0);
    const copies = Math.max(0, Math.floor(wanted + 1e-9));
    const fraction = Math.max(0, Math.round((wanted - copies) * 10_000) / 10_000);
    plans.push({ era, shiftDays: era * BASE_DAYS, copies, fraction });
    remaining -= target;
  }
  return plans;
}

// ---------------------------------------------------------------------------------------------
// Build or reuse

export interface Population {
  dir: string;
  meta: PopulationMeta;
  reused: boolean;
}

export async function ensurePopulation(root: string, events: number, options: { rebuild: boolean }): Promise<Population> {
  const now = Date.now();
  const dir = path.join(root, `api-${events}`, 'population');
  const existing = readMeta(dir);
  const why = options.rebuild ? '--rebuild given' : unusable(existing, events, now);
  if (!why && existing) {
    log(
      `reusing the population in ${path.relative(process.cwd(), dir)}: ${fmtInt(existing.events)} events ` +
        `(requested ${fmtInt(events)}), built ${((now - existing.builtAt) / 3_600_000).toFixed(1)} h ago`,
    );
    return { dir, meta: existing, reused: true };
  }
  log(`building the population for ${fmtInt(events)} events in ${path.relative(process.cwd(), dir)} (${why})`);
  const buildStarted = performance.now();
  fs.rmSync(dir, { recursive: true, force: true });

  // A bigger population starts from a fresh recent era when one exists (identical by construction).
  const recentDir = path.join(root, `api-${RECENT_CAP}`, 'population');
  const recent = events > RECENT_CAP ? readMeta(recentDir) : undefined;
  if (recent && !unusable(recent, RECENT_CAP, now)) {
    log(`starting from the ${fmtInt(RECENT_CAP)}-event population (${path.relative(process.cwd(), recentDir)}): copying it`);
    copyDir(recentDir, dir);
    fs.rmSync(path.join(dir, 'population.json'), { force: true });
    const store = openStorage(dir);
    const eras: EraMeta[] = [...recent.eras];
    const copyStarted = performance.now();
    try {
      const plans = planEras(events, recent.baseEvents).filter((plan) => plan.era > 0);
      const blocks = recent.eras.reduce((sum, era) => sum + era.copies + (era.fraction > 0 ? 1 : 0), 0);
      await runCopies(store, plans, blocks + 1, recent.baseUsers, (era) => eras.push(era));
      await settleDerivedState(store);
    } finally {
      await closeStorage(store);
    }
    const meta: PopulationMeta = {
      ...recent,
      requestedEvents: events,
      events: eras.reduce((sum, era) => sum + era.events, 0),
      users: eras.reduce((sum, era) => sum + era.users, 0),
      days: BASE_DAYS * eras.length,
      eras,
      copySeconds: Math.round(recent.copySeconds + (performance.now() - copyStarted) / 1000),
      buildSeconds: Math.round((performance.now() - buildStarted) / 1000),
      reusedFrom: path.relative(process.cwd(), recentDir),
    };
    fs.writeFileSync(path.join(dir, 'population.json'), `${JSON.stringify(meta, null, 2)}\n`);
    log(
      `population ready: ${fmtInt(meta.events)} events, ${fmtInt(meta.users)} users over ${meta.days} days, ${(dirBytes(dir) / 1e6).toFixed(0)} MB`,
    );
    return { dir, meta, reused: false };
  }

  // 1. The base, streamed through the real ingest endpoint.
  fs.mkdirSync(dir, { recursive: true });
  const baseUsers = events >= BASE_USERS * EVENTS_PER_USER ? BASE_USERS : Math.max(20, Math.round(events / EVENTS_PER_USER));
  const builtAt = Date.now();
  // The migrations the population is built with: the build app applies these before any event arrives.
  const migrations = migrationsFingerprint();
  log(`phase 1/2: streaming the demo population (${fmtInt(baseUsers)} users over ${BASE_DAYS} days, seed ${SEED}) through POST /v1/logs`);
  const app = await startApp(dir, path.join(root, `api-${events}`, 'build-server.log'));
  const streamStarted = performance.now();
  let demo;
  try {
    demo = await runDemo({
      endpoint: app.baseUrl,
      token: app.token,
      users: baseUsers,
      days: BASE_DAYS,
      seed: SEED,
      now: builtAt,
      log: (line) => log(line),
      progressIntervalMs: 5_000,
    });
  } finally {
    await app.stop();
  }
  const streamSeconds = (performance.now() - streamStarted) / 1000;
  if (demo.rejected > 0 || demo.failed > 0) log(`warning: the base stream had ${demo.rejected} rejected and ${demo.failed} lost records`);

  // 2. Copies inside the engine, on the app's own storage (the app is stopped: one process per data directory).
  log('phase 2/2: multiplying the base inside ClickHouse (INSERT … SELECT with fresh ids)');
  const store = openStorage(dir);
  const eras: EraMeta[] = [];
  const copyStarted = performance.now();
  let baseEvents = 0;
  let distinctBaseUsers = 0;
  try {
    await store.client.command({ query: 'DROP TABLE IF EXISTS bench_base' });
    await store.client.command({
      query: 'CREATE TABLE bench_base AS ceremony_events ENGINE = MergeTree ORDER BY (event_name, user_id, timestamp)',
    });
    await store.client.command({
      query: 'INSERT INTO bench_base SELECT * FROM ceremony_events',
      clickhouse_settings: { insert_deduplication_token: randomUUID() },
    });
    baseEvents = await scalar(store, 'SELECT count() AS v FROM bench_base');
    distinctBaseUsers = await scalar(store, 'SELECT uniqExact(user_id) AS v FROM bench_base');
    log(`base: ${fmtInt(baseEvents)} events, ${fmtInt(distinctBaseUsers)} users (streamed in ${streamSeconds.toFixed(1)} s)`);
    const plans = planEras(events, baseEvents);
    await runCopies(store, plans, 1, distinctBaseUsers, (era) => eras.push(era));
    await settleDerivedState(store);
  } finally {
    await closeStorage(store);
  }
  const meta: PopulationMeta = {
    recipe: RECIPE,
    requestedEvents: events,
    events: eras.reduce((sum, era) => sum + era.events, 0),
    users: eras.reduce((sum, era) => sum + era.users, 0),
    days: BASE_DAYS * eras.length,
    baseUsers: distinctBaseUsers,
    baseDays: BASE_DAYS,
    baseEvents,
    builtAt,
    buildSeconds: Math.round((performance.now() - buildStarted) / 1000),
    streamSeconds: Math.round(streamSeconds),
    copySeconds: Math.round((performance.now() - copyStarted) / 1000),
    migrations,
    eras,
    demo: { rejected: demo.rejected, failed: demo.failed },
  };
  fs.writeFileSync(path.join(dir, 'population.json'), `${JSON.stringify(meta, null, 2)}\n`);
  log(
    `population ready in ${meta.buildSeconds} s: ${fmtInt(meta.events)} events, ${fmtInt(meta.users)} users over ${meta.days} days, ` +
      `${(dirBytes(dir) / 1e6).toFixed(0)} MB`,
  );
  return { dir, meta, reused: false };
}
