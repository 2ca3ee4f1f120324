/**
 * The ceremony state pass: keeps `ceremony_states` (one row per ceremony) and `flow_states` (one
 * row per journey, migration 0014) up to date as events arrive, so a metric reads ceremonies and
 * flows instead of regrouping every raw event of its window. Both states share the versions, the
 * commits and the read plan; a flow's rows can move by a span (FLOW_SPAN_HOURS) where a ceremony's
 * move by an hour, so the hours an event affects are taken a span either side. The statements are
 * in lib/state-pass-sql.ts, the folds' rules in lib/ceremony-state-folds.ts.
 *
 * A pass works in proportion to what arrived, not to the size of the hours it arrived in:
 *   - **patch**: the ceremonies with an event received since the previous watermark are regrouped
 *     from their events (only those received since the ceremony's first: `receivedBound`) and
 *     written under a new version — a patch of the hours they start in;
 *   - **base**: whole hours are regrouped from raw events (with their neighbours, since a late event
 *     can move a ceremony by an hour) when the backlog is large (the first pass over a history, a
 *     bulk load);
 *   - **fold**: an hour whose patches have grown or gone quiet gets a new base made from the
 *     committed state alone (each ceremony's newest valid row), before the pass's patch, together
 *     with the other hours that hold a row of a ceremony or flow a patch moved (`foldClosure`).
 * A pass records its versions (kind and hour) and its watermark in one insert into
 * `ceremony_state_commits`, so readers see a whole pass or none of it; rows of uncommitted versions
 * are invisible. Readers take each hour's newest base, the newest valid row of every patched ceremony
 * (a patch is valid while newer than its hour's base), and regroup from raw events every ceremony
 * with an event received at or after the newest watermark (sql/README.md, "Ceremony state").
 *
 * The watermark is the pass's start or, if earlier, the `received_at` of the oldest insert still in
 * flight in this process (ingest/unsettled.ts), less `marginMs` for inserts made by other processes
 * (a ClickHouse server shared by several app instances): every event received before a watermark
 * was visible to the pass that recorded it. Passes of one process run one after another; with
 * several processes against one cluster, run passes in one of them (docs/scaling.md).
 */
import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { settledBefore } from '@/ingest/unsettled';
import { ceremonyPlanChanged, GC_GRACE_MS, garbageOf, planOf, readCommits } from './ceremony-plan';
import { dueForFold, foldClosure, foldHours, HOUR_MS, movedKeys, rollUpFlows, SPAN_MS, toSeconds } from './ceremony-state-folds';
import { bindable } from './query';
import {
  INSERT_BASE_SQL,
  INSERT_FLOW_BASE_SQL,
  INSERT_FLOW_PATCH_SQL,
  INSERT_PATCH_SQL,
  NEW_EVENT_HOURS_SQL,
  PATCHED_HOURS_SQL,
  PATCHED_SQL,
} from './state-pass-sql';

/** Hours regrouped by one INSERT … SELECT: bounds the memory of the first pass over a long history. */
const HOURS_PER_CHUNK = 24;
/** Above this many new events a pass rebuilds their hours instead of patching ceremonies one by one. */
export const PATCH_MAX_EVENTS = 200_000;
/**
 * Superseded versions are deleted in batches: once some have been superseded this much longer than
 * GC_GRACE_MS, every version superseded at least GC_GRACE_MS ago goes in one DELETE per table. A
 * lightweight DELETE rewrites the row mask of every part it touches, whatever it deletes (about 2 s
 * a table on the 10 M benchmark store, for one hour's versions or 51), and under steady ingest the
 * current hour is folded every few passes: deleting after each fold cost more than the fold. The
 * pass does not wait for a deletion to finish (collectGarbage).
 */
export const GC_BATCH_MS = 5 * 60_000;
/** Watermark rows kept before an idle store's passes delete the older ones. */
const WATERMARKS_KEPT = 1_000;
/** Margin for inserts of other processes: none on the embedded engine (one process), 60 s on a server. */
export const SERVER_MARGIN_MS = 60_000;

export interface PassReport {
  version: number;
  /** Ceremonies patched (rows written by the patch). */
  patched: number;
  /** Flows patched. */
  patchedFlows: number;
  /** Hours rebuilt whole: a large backlog, or patches folded. */
  rebuilt: number;
  /** Events received since the previous pass. */
  events: number;
  ms: number;
  /** Where the time went: ms per step that ran (new events, due hours, moved keys, fold, rebuild, patches, commit, garbage). */
  steps: Record<string, number>;
}

export interface PassOptions {
  /** Allowance for inserts by other processes (see SERVER_MARGIN_MS). */
  marginMs?: number;
}

/**
 * The hours h whose ceremonies or flows an event in hour e can change: a ceremony starting in h
 * reads [h − 1 h, h + 2 h), a flow [h − span, h + 1 h + span) — e ± the span.
 */
export function affectedHours(eventHours: number[]): number[] {
  const out = new Set<number>();
  for (const e of eventHours) for (let h = e - SPAN_MS; h <= e + SPAN_MS; h += HOUR_MS) out.add(h);
  return [...out].sort((a, b) => a - b);
}

/** Consecutive chunks of at most `size` sorted hours. */
export function chunkHours(hours: number[], size = HOURS_PER_CHUNK): number[][] {
  const chunks: number[][] = [];
  for (let i = 0; i < hours.length; i += size) chunks.push(hours.slice(i, i + size));
  return chunks;
}

async function rows<T>(client: ClickHouseClient, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  return (await client.query({ query, query_params: bindable(params), format: 'JSONEachRow' })).json<T>();
}

/** The frame parameters for events in `hours` and the hours around them: an hour for ceremonies, a span for flows. */
function frame(hours: number[]) {
  const around = new Set<number>();
  for (const e of hours) for (const h of [e - HOUR_MS, e, e + HOUR_MS]) around.add(h);
  return {
    frameHours: [...around].map(toSeconds),
    frameFrom: new Date(hours[0]! - HOUR_MS),
    frameTo: new Date(hours[hours.length - 1]! + 2 * HOUR_MS),
    flowFrom: new Date(hours[0]! - SPAN_MS),
    flowTo: new Date(hours[hours.length - 1]! + HOUR_MS + SPAN_MS),
  };
}

/** Regroups whole hours of both states from raw events under `version`, with the flows' rollups. */
async function rebuildHours(client: ClickHouseClient, hours: number[], version: number): Promise<void> {
  for (const chunk of chunkHours(hours)) {
    const params = bindable({ version, hours: chunk.map(toSeconds), ...frame(chunk) });
    await client.command({
      query: INSERT_BASE_SQL,
      query_params: params,
      clickhouse_settings: { insert_deduplication_token: randomUUID(), log_comment: 'state:ceremony-base' },
    });
    await client.command({
      query: INSERT_FLOW_BASE_SQL,
      query_params: params,
      clickhouse_settings: { insert_deduplication_token: randomUUID(), log_comment: 'state:flow-base', distributed_foreground_insert: 1 },
    });
    await rollUpFlows(client, chunk, version);
  }
}

/** One pass: fold grown or quiet patches, patch the ceremonies that received events, commit. */
export async function runCeremonyStatePass(client: ClickHouseClient, now = Date.now(), options: PassOptions = {}): Promise<PassReport> {
  const started = Date.now();
  const steps: Record<string, number> = {};
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const from = performance.now();
    try {
      return await work();
    } finally {
      steps[name] = Math.round(performance.now() - from);
    }
  };
  // Taken before anything is read: every event received before it is visible from here on.
  const watermark = settledBefore(now) - (options.marginMs ?? 0);
  // The commits, read once: the previous watermark, the newest version, and what is garbage.
  const committed = await readCommits(client, 'state:ceremony-commits');
  const plan = planOf(committed);
  const since = plan.watermark;
  const passes = committed.filter((row) => Number(row.hour) === 0).length;
  // A fold's base must be above every patch it replaces, this pass's patch above the fold.
  const baseVersion = Math.max(
    now * 1000 + Math.floor(Math.random() * 1000),
    committed.reduce((top, row) => Math.max(top, Number(row.version)), 0) + 1,
  );
  const patchVersion = baseVersion + 1;

  const newEvents = await step('new events', () =>
    rows<{ hour_ms: number; events: number }>(client, NEW_EVENT_HOURS_SQL, { since: new Date(since) }),
  );
  const eventHours = newEvents.map((row) => Number(row.hour_ms));
  const events = newEvents.reduce((sum, row) => sum + Number(row.events), 0);
  const commits: Array<[number, number, 'base' | 'patch']> = [];
  let patched = 0;
  let patchedFlows = 0;
  let rebuilt: number[] = [];

  if (since === 0 || events > PATCH_MAX_EVENTS) {
    rebuilt = affectedHours(eventHours);
    await step('rebuild', () => rebuildHours(client, rebuilt, baseVersion));
  } else {
    // Fold first, from the committed state alone: hours whose patches have grown or gone quiet.
    // Each state's patches are weighed against its own base: an hour is folded when either is due.
    const due = (
      await step('due hours', () =>
        rows<{
          hour_ms: number;
          last_patch: number;
          base_rows: number;
          patch_rows: number;
          flow_base_rows: number;
          flow_patch_rows: number;
        }>(client, PATCHED_SQL),
      )
    )
      .filter((row) => {
        const due = (baseRows: number, patchRows: number) =>
          dueForFold({ lastPatch: Number(row.last_patch), baseRows: Number(baseRows), patchRows: Number(patchRows) }, now);
        return due(row.base_rows, row.patch_rows) || due(row.flow_base_rows, row.flow_patch_rows);
      })
      .map((row) => Number(row.hour_ms));
    if (due.length > 0) {
      const moved = await step('moved keys', () => movedKeys(client, plan));
      const hours = foldClosure(due, [...moved.ceremonies, ...moved.flows]);
      await step('fold', () => foldHours(client, hours, baseVersion, moved));
      rebuilt = hours;
    }
    if (events > 0) {
      const params = { version: patchVersion, since: new Date(since), ...frame(eventHours) };
      for (const [name, query, comment] of [
        ['ceremony patch', INSERT_PATCH_SQL, 'state:ceremony-patch'],
        ['flow patch', INSERT_FLOW_PATCH_SQL, 'state:flow-patch'],
      ] as const) {
        await step(name, () =>
          client.command({
            query,
            query_params: bindable(params),
            clickhouse_settings: { insert_deduplication_token: randomUUID(), log_comment: comment },
          }),
        );
      }
      const written = await step('patched hours', () =>
        rows<{ hour_ms: number; ceremonies: number; flows: number }>(client, PATCHED_HOURS_SQL, params),
      );
      for (const row of written) {
        commits.push([Number(row.hour_ms), patchVersion, 'patch']);
        patched += Number(row.ceremonies);
        patchedFlows += Number(row.flows);
      }
    }
  }
  for (const hour of rebuilt) commits.push([hour, baseVersion, 'base']);

  // The pass's versions and its watermark in one insert: readers see the whole pass or none of it.
  const computedAt = (now / 1000).toFixed(3);
  await step('commit', () =>
    client.insert({
      table: 'ceremony_state_commits',
      values: [
        ...commits.map(([hour, v, kind]) => [toSeconds(hour), v, kind, computedAt]),
        [0, patchVersion, 'patch', (watermark / 1000).toFixed(3)],
      ],
      columns: ['hour', 'version', 'kind', 'computed_at'],
      format: 'JSONCompactEachRow',
      clickhouse_settings: {
        insert_deduplication_token: randomUUID(),
        distributed_foreground_insert: 1,
        log_comment: 'state:ceremony-commit',
      },
    }),
  );
  ceremonyPlanChanged();
  const overdue = garbageOf(committed, now - GC_GRACE_MS - GC_BATCH_MS).length > 0;
  await step('garbage', () =>
    collectGarbage(client, overdue ? garbageOf(committed, now - GC_GRACE_MS) : [], passes > WATERMARKS_KEPT ? patchVersion : 0),
  );
  return { version: patchVersion, patched, patchedFlows, rebuilt: rebuilt.length, events, ms: Date.now() - started, steps };
}

/**
 * Deletes what no reader can name any more: the versions below each hour's newest base committed
 * GC_GRACE_MS ago (rows and commits; `garbageOf`) — not sooner, as a cached read plan
 * (lib/ceremony-plan.ts) may still name the version it superseded — and when `pass` is set, the
 * watermarks before it; one DELETE per table (the pass calls it in batches, GC_BATCH_MS). A query
 * already running keeps the parts it started with. The deletions run in the background (the pass
 * does not wait for their mutations to finish).
 */
async function collectGarbage(client: ClickHouseClient, due: ReturnType<typeof garbageOf>, pass: number): Promise<void> {
  const deletes: Array<[string, string, Record<string, unknown>]> = [];
  if (due.length > 0) {
    // Each hour with the version its rows are garbage below, all hours in one statement per table.
    const hours = due.flatMap(({ hours }) => hours);
    const below = due.flatMap(({ version, hours }) => hours.map(() => version));
    for (const table of ['ceremony_states', 'flow_states', 'flow_rollups', 'ceremony_state_commits']) {
      deletes.push([
        table,
        `has({hours:Array(DateTime('UTC'))}, hour) AND version < transform(hour, {hours:Array(DateTime('UTC'))}, {below:Array(UInt64)}, toUInt64(0))`,
        { hours, below },
      ]);
    }
  }
  if (pass > 0) deletes.push(['ceremony_state_commits', `hour = toDateTime(0, 'UTC') AND version < {pass:UInt64}`, { pass }]);
  for (const [table, where, params] of deletes) {
    await client.command({
      query: `DELETE FROM ${table} WHERE ${where}`,
      query_params: params,
      // Not waited for: the rows are already invisible to every reader (below their hour's newest
      // base), and a lightweight DELETE's mutation waits seconds for the engine's background
      // scheduler even when it deletes nothing (docs/performance.md, "Deleting in the background").
      clickhouse_settings: { log_comment: `state:${table}-gc`, lightweight_deletes_sync: '0' },
    });
  }
}

const LOCK_KEY = Symbol.for('passkey-analytics.ceremony-state-lock');
type GlobalWithLock = typeof globalThis & { [LOCK_KEY]?: Promise<unknown> };

/**
 * Runs `work` when no pass of this process runs, and keeps passes from starting until it is done:
 * an erasure (lib/privacy/erasure.ts) must not race a pass that regroups ceremonies from events read
 * before the erasure deleted them.
 */
export function withStatePassLock<T>(work: () => Promise<T>): Promise<T> {
  const g = globalThis as GlobalWithLock;
  const result = (g[LOCK_KEY] ?? Promise.resolve()).then(work);
  g[LOCK_KEY] = result.catch(() => undefined);
  return result;
}

const SCHEDULER_KEY = Symbol.for('passkey-analytics.ceremony-state-passes');
type GlobalWithScheduler = typeof globalThis & { [SCHEDULER_KEY]?: boolean };
const MIN_INTERVAL_MS = 5_000;

/**
 * Runs passes for the life of the process: one every 5 s, or, after a long pass (the first one over
 * a large history), four times its duration later, so the pass never takes more than a fifth of
 * the engine. Failures are logged and the next pass retries them.
 */
export function startCeremonyStatePasses(
  client: () => ClickHouseClient,
  options: PassOptions = {},
  log: (line: string) => void = console.log,
): void {
  const g = globalThis as GlobalWithScheduler;
  if (g[SCHEDULER_KEY]) return;
  g[SCHEDULER_KEY] = true;
  const loop = async () => {
    let wait = MIN_INTERVAL_MS;
    try {
      const report = await withStatePassLock(() => runCeremonyStatePass(client(), Date.now(), options));
      if (report.ms > 2_000) {
        log(
          `[state] ceremony and flow states: ${report.events} new events, ${report.patched} ceremonies and ${report.patchedFlows} flows patched, ${report.rebuilt} hours rebuilt in ${(report.ms / 1000).toFixed(1)} s (${Object.entries(
            report.steps,
          )
            .map(([name, ms]) => `${name} ${ms} ms`)
            .join(', ')})`,
        );
      }
      wait = Math.max(MIN_INTERVAL_MS, 4 * report.ms);
    } catch (error) {
      log(`[state] ceremony state pass failed, retrying: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
    setTimeout(loop, wait).unref();
  };
  setTimeout(loop, 0).unref();
}
