/**
 * The state pass's folds (lib/ceremony-states.ts): when an hour's patches are due to be folded into
 * a new base, which hours a fold must cover (the due hours and the hours of the keys a patch moved:
 * `foldClosure`), finding the moved keys, the fold statements of both states, and the flow rollups
 * every base gets. The rules are in
 * sql/README.md, "Ceremony state".
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { randomUUID } from 'node:crypto';
import { FLOW_SPAN_HOURS } from '@/sql/queries/journey-fragments';
import { type CeremonyPlan, versionPairsText } from './ceremony-plan';
import { bindable } from './query';
import { FOLD_FLOWS_SQL, FOLD_SQL, INSERT_FLOW_ROLLUPS_SQL, MOVED_CEREMONIES_SQL, MOVED_FLOWS_SQL } from './state-pass-sql';

export const HOUR_MS = 3_600_000;
/** How far apart (hours) a flow's events can lie: a flow's rows move by at most this much. */
export const SPAN_MS = FLOW_SPAN_HOURS * HOUR_MS;
export const toSeconds = (ms: number) => Math.floor(ms / 1000);

/** An hour's patches are folded into a new base once they hold this many rows (and a quarter of the base) … */
export const FOLD_MIN_ROWS = 5_000;
/** … or this many, whatever the base … */
export const FOLD_MAX_ROWS = 50_000;
/** … or once no patch has come for this long. */
export const FOLD_QUIET_MS = 10 * 60_000;
/** Whether an hour's patches are due to be folded into a new base. */
export function dueForFold(hour: { lastPatch: number; baseRows: number; patchRows: number }, now: number): boolean {
  if (now - hour.lastPatch >= FOLD_QUIET_MS) return true;
  return hour.patchRows >= Math.max(FOLD_MIN_ROWS, Math.min(FOLD_MAX_ROWS, hour.baseRows / 4));
}

/** A ceremony or flow whose valid rows lie in more than one hour (a patch moved it): those hours and its newest row's (ms). */
export interface MovedKey {
  key: string;
  hours: number[];
  newest: number;
}

/** The moved keys of each state. */
export interface Moved {
  ceremonies: MovedKey[];
  flows: MovedKey[];
}

/** Above this many moved keys in a state, its fold reads every row around the hours instead of naming them. */
const MOVED_NAMED_MAX = 10_000;

/**
 * The hours a fold of the due hours covers. A new base holds every key whose newest valid row lies
 * in it, so each other hour with a valid row of such a key is folded as well — that drops the key
 * there and retires its patches there, so no key is ever in two bases, nor in a base and a valid
 * patch — until nothing is added (an added hour may hold the newest row of another moved key). A
 * key that never moved has all its rows in one hour: it adds nothing, so under steady ingest a fold
 * is the due hours alone, not the hours a late event could reach.
 */
export function foldClosure(due: number[], moved: MovedKey[]): number[] {
  const hours = new Set(due);
  for (let grew = true; grew;) {
    grew = false;
    for (const key of moved) {
      if (!hours.has(key.newest)) continue;
      for (const hour of key.hours) {
        if (!hours.has(hour)) {
          hours.add(hour);
          grew = true;
        }
      }
    }
  }
  return [...hours].sort((a, b) => a - b);
}

/** The moved keys of both states, from the committed plan: its valid patches and the bases around them. */
export async function movedKeys(client: ClickHouseClient, plan: CeremonyPlan): Promise<Moved> {
  const patchHours = [...new Set(plan.patches.map(([hour]) => hour * 1000))];
  if (patchHours.length === 0) return { ceremonies: [], flows: [] };
  const first = Math.min(...patchHours);
  const last = Math.max(...patchHours);
  const read = async (query: string, margin: number, comment: string) => {
    const lo = first - margin;
    const hi = last + HOUR_MS + margin;
    // Only the bases within a move of some valid patch: a moved key's rows lie that close together.
    const near = new Set(
      patchHours.flatMap((hour) => Array.from({ length: (2 * margin) / HOUR_MS + 1 }, (_, i) => hour - margin + i * HOUR_MS)),
    );
    const bases = [...plan.bases].filter(([hour]) => near.has(hour * 1000));
    const result = await client.query({
      query,
      query_params: bindable({
        lo: new Date(lo),
        hi: new Date(hi),
        patches: versionPairsText(plan.patches),
        bases: versionPairsText(bases),
      }),
      format: 'JSONEachRow',
      clickhouse_settings: { log_comment: comment },
    });
    return (await result.json<{ key: string; hours: Array<number | string>; newest: number | string }>()).map((row) => ({
      key: row.key,
      hours: row.hours.map(Number),
      newest: Number(row.newest),
    }));
  };
  return {
    ceremonies: await read(MOVED_CEREMONIES_SQL, HOUR_MS, 'state:ceremony-moved'),
    flows: await read(MOVED_FLOWS_SQL, SPAN_MS, 'state:flow-moved'),
  };
}

/** Folds the hours' valid patches of both states into a new base of each, under `version`. */
export async function foldHours(client: ClickHouseClient, hours: number[], version: number, moved: Moved): Promise<void> {
  const folds: Array<[string, string, number, MovedKey[]]> = [
    [FOLD_SQL, 'state:ceremony-fold', HOUR_MS, moved.ceremonies],
    [FOLD_FLOWS_SQL, 'state:flow-fold', SPAN_MS, moved.flows],
  ];
  for (const [query, comment, margin, keys] of folds) {
    const allRows = keys.length > MOVED_NAMED_MAX;
    await client.command({
      query,
      query_params: bindable({
        version,
        hours: hours.map(toSeconds),
        lo: new Date(hours[0]! - margin),
        hi: new Date(hours[hours.length - 1]! + HOUR_MS + margin),
        allRows,
        movers: allRows ? [] : keys.map((key) => key.key),
      }),
      clickhouse_settings: { insert_deduplication_token: randomUUID(), log_comment: comment, distributed_foreground_insert: 1 },
    });
  }
  await rollUpFlows(client, hours, version);
}

/**
 * Writes the flow rollups (migration 0015) of the flow state's rows of `version` in `hours`: after
 * every base (a rebuild or a fold), before the pass commits it.
 */
export async function rollUpFlows(client: ClickHouseClient, hours: number[], version: number): Promise<void> {
  await client.command({
    query: INSERT_FLOW_ROLLUPS_SQL,
    query_params: bindable({ version, hours: hours.map(toSeconds) }),
    clickhouse_settings: { insert_deduplication_token: randomUUID(), log_comment: 'state:flow-rollups', distributed_foreground_insert: 1 },
  });
}

/** Replaces the flow rollups of `version` in `hours` with new ones: after an erasure removed flows from those rows. */
export async function rewriteFlowRollups(client: ClickHouseClient, hours: number[], version: number): Promise<void> {
  await client.command({
    query: `DELETE FROM flow_rollups WHERE version = {version:UInt64} AND has({hours:Array(DateTime('UTC'))}, hour)`,
    query_params: { version, hours: hours.map(toSeconds) },
    clickhouse_settings: { log_comment: 'state:flow-rollups-delete' },
  });
  await rollUpFlows(client, hours, version);
}
