/**
 * Step 2 of the benchmark population's recipe (./population.ts): the base rows multiplied inside
 * the engine with `INSERT INTO ceremony_events SELECT …` copies whose ids get a copy suffix (every
 * materialized view fires), era by era, then the merges settled and the product's derived state
 * caught up before the population is served.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Storage } from '../../lib/clickhouse';
import { scalar } from './population-storage';
import { fmtInt, log, sleep } from './stats';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface EraMeta {
  era: number;
  shiftDays: number;
  /** Whole copies of the base in this era (era 0 counts the streamed base itself as one). */
  copies: number;
  /** Fraction of one more copy (a subset of the base's users). */
  fraction: number;
  events: number;
  users: number;
}

/** How many copies of the base one era gets (see planEras in ./population.ts). */
export interface CopyPlan {
  era: number;
  shiftDays: number;
  copies: number;
  fraction: number;
}

const ID_COLUMNS = ['user_id', 'session_id', 'flow_id', 'ceremony_id', 'credential_id', 'ticket_id'];
const TIME_COLUMNS = ['timestamp', 'observed_timestamp'];

async function insertableColumns(store: Storage, table: string): Promise<string[]> {
  const rows = await (
    await store.client.query({
      query: `SELECT name FROM system.columns WHERE database = currentDatabase() AND table = {table:String}
              AND default_kind NOT IN ('MATERIALIZED', 'ALIAS', 'EPHEMERAL') ORDER BY position`,
      query_params: { table },
      format: 'JSONEachRow',
    })
  ).json<{ name: string }>();
  return rows.map((row) => row.name);
}

/** SELECT list turning a base row into copy `block` of era `shiftSeconds` back. */
function copyExpressions(columns: string[], block: number, shiftSeconds: number): string {
  const suffix = `-b${block}`;
  return columns
    .map((c) => {
      const q = `\`${c}\``;
      if (ID_COLUMNS.includes(c)) return `if(${q} = '', '', concat(${q}, '${suffix}')) AS ${q}`;
      if (c === 'trace_id') return `if(${q} = '', '', lower(hex(MD5(concat(${q}, '${suffix}'))))) AS ${q}`;
      // Copies arrive now: the product's derived state (lib/ceremony-states.ts) picks up what was received since its last pass.
      if (c === 'received_at') return `now64(3) AS ${q}`;
      if (c === 'span_id') return `if(${q} = '', '', substring(lower(hex(MD5(concat(${q}, '${suffix}')))), 1, 16)) AS ${q}`;
      if (TIME_COLUMNS.includes(c) && shiftSeconds > 0) return `${q} - toIntervalSecond(${shiftSeconds}) AS ${q}`;
      return q;
    })
    .join(', ');
}

export async function runCopies(
  store: Storage,
  plans: CopyPlan[],
  firstBlock: number,
  baseUsers: number,
  onEra: (era: EraMeta) => void,
): Promise<void> {
  const columns = await insertableColumns(store, 'bench_base');
  const list = columns.map((c) => `\`${c}\``).join(', ');
  const baseEvents = await scalar(store, 'SELECT count() AS v FROM bench_base');
  let block = firstBlock;
  let rows = 0;
  const started = performance.now();
  const total = plans.reduce((sum, p) => sum + (p.copies + p.fraction) * baseEvents, 0);
  for (const plan of plans) {
    const shift = plan.shiftDays * 86_400;
    let eraEvents = plan.era === 0 ? baseEvents : 0;
    let eraUsers = plan.era === 0 ? baseUsers : 0;
    const steps = [...Array.from({ length: plan.copies }, () => 1), ...(plan.fraction > 0 ? [plan.fraction] : [])];
    for (const share of steps) {
      // The subset is chosen in a subquery: in the outer SELECT the copy's `user_id` alias would shadow the column.
      const source =
        share < 1 ? `(SELECT * FROM bench_base WHERE cityHash64(user_id) % 10000 < ${Math.round(share * 10_000)})` : 'bench_base';
      const before = performance.now();
      const rowsBefore = await scalar(store, 'SELECT count() AS v FROM ceremony_events');
      await store.client.command({
        query: `INSERT INTO ceremony_events (${list}) SELECT ${copyExpressions(columns, block, shift)} FROM ${source}`,
        clickhouse_settings: { insert_deduplication_token: randomUUID() },
      });
      const inserted = (await scalar(store, 'SELECT count() AS v FROM ceremony_events')) - rowsBefore;
      eraEvents += inserted;
      eraUsers += share < 1 ? await scalar(store, `SELECT uniqExact(user_id) AS v FROM ${source}`) : baseUsers;
      rows += inserted;
      block += 1;
      const seconds = (performance.now() - started) / 1000;
      log(
        `copy ${block - firstBlock}: era ${plan.era} (−${plan.shiftDays} d)${share < 1 ? ` partial ${(share * 100).toFixed(1)} %` : ''} ` +
          `+${fmtInt(inserted)} rows in ${((performance.now() - before) / 1000).toFixed(1)} s · ${fmtInt(rows)}/${fmtInt(total)} rows so far · ${fmtInt(rows / seconds)} rows/s`,
      );
    }
    onEra({
      era: plan.era,
      shiftDays: plan.shiftDays,
      copies: plan.copies + (plan.era === 0 ? 1 : 0),
      fraction: plan.fraction,
      events: eraEvents,
      users: eraUsers,
    });
  }
}

/** Waits (up to `timeoutMs`) until the engine has no merge running, so the served copy starts settled. */
async function settleMerges(store: Storage, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (Date.now() < deadline && quiet < 3) {
    const merges = await scalar(store, 'SELECT count() AS v FROM system.merges');
    quiet = merges === 0 ? quiet + 1 : 0;
    await sleep(1_000);
  }
  const parts = await scalar(
    store,
    "SELECT count() AS v FROM system.parts WHERE active AND database = currentDatabase() AND table = 'ceremony_events'",
  );
  log(`merges settled: ceremony_events has ${fmtInt(parts)} active parts`);
}

/** Background merges settled, the app's derived state caught up, and merges settled again. */
export async function settleDerivedState(store: Storage): Promise<void> {
  await settleMerges(store);
  await catchUpDerivedState(store);
  await settleMerges(store);
}

/**
 * Brings the product's derived state up to date before the population is served, as a long-running
 * app would have: runs the app's own ceremony state pass (lib/ceremony-states.ts, when the product
 * has one) until it finds nothing new, so the served app does not regroup the whole history again.
 */
async function catchUpDerivedState(store: Storage): Promise<void> {
  const file = path.join(ROOT, 'lib', 'ceremony-states.ts');
  if (!fs.existsSync(file)) return;
  const mod = (await import(pathToFileURL(file).href)) as {
    runCeremonyStatePass?: (client: Storage['client']) => Promise<{ events: number; rebuilt: number; ms: number }>;
  };
  if (typeof mod.runCeremonyStatePass !== 'function') {
    log('lib/ceremony-states.ts has no runCeremonyStatePass: the served app builds its state itself');
    return;
  }
  for (let pass = 1; pass <= 4; pass++) {
    const started = performance.now();
    const report = await mod.runCeremonyStatePass(store.stateClient);
    log(
      `ceremony state pass ${pass}: ${fmtInt(report.rebuilt)} hours rebuilt, ${fmtInt(report.events)} new events, ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    if (report.events === 0) break;
  }
}
