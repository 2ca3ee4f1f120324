/**
 * The ceremony state's read plan: which version of each hour a reader takes (its newest base, the
 * patches newer than it) and the newest pass's watermark, read from `ceremony_state_commits` once
 * and bound into every `CEREMONIES` query as constants (`{stateBases}`, `{statePatches}`,
 * `{statePatchHours}`, `{stateWatermark}`).
 *
 * Why: read inside each query, the plan was four materialized subqueries that cost about 100 ms
 * per ceremony query whatever its window (docs/performance.md, "The ceremony read plan"); a route
 * runs several such queries. Read here, it costs one small query per pass.
 *
 * A plan older than the newest commit is still exact: every ceremony changed since its watermark
 * has an event received at or after it and is regrouped from raw events by the reader, and the
 * versions it names stay readable because a pass deletes a superseded version only `GC_GRACE_MS`
 * after the base that superseded it was committed (lib/ceremony-states.ts). So the plan is cached
 * for `PLAN_MAX_AGE_MS`, and dropped at once when a pass of this process commits.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { FLOW_SPAN_HOURS } from './domain/journeys';
import { identifier, type SqlFragment } from './sql';

/** A cached plan is re-read after this long (a pass in another process commits unseen). */
export const PLAN_MAX_AGE_MS = 5_000;
/** A version superseded by a base stays readable this long after that base's commit. */
export const GC_GRACE_MS = 5 * 60_000;

const HOUR_S = 3_600;
/** The hours either side of a window whose rows can belong to a flow of it: a flow's span and an hour. */
const FLOW_MARGIN_S = (FLOW_SPAN_HOURS + 1) * HOUR_S;

export interface CeremonyPlan {
  /** The newest pass's watermark, ms since the epoch (0 before the first pass). */
  watermark: number;
  /** Each hour's newest base version (hour in seconds since the epoch). */
  bases: Map<number, number>;
  /** The valid patches: [hour in seconds, version], newer than their hour's base. */
  patches: Array<[number, number]>;
}

/** One row of `ceremony_state_commits`, as the plan and the pass read it. */
export interface CommitRow {
  /** Seconds since the epoch; 0 for a pass's watermark row. */
  hour: number;
  version: string | number;
  kind: string;
  computed_ms: number;
}

const COMMITS_SQL = `SELECT toUnixTimestamp(hour) AS hour, toString(version) AS version, kind,
    toUnixTimestamp64Milli(computed_at) AS computed_ms
  FROM ceremony_state_commits`;

/** Every commit row: what the plan, and the state pass's bookkeeping, are worked out from. */
export async function readCommits(client: ClickHouseClient, comment = 'state:ceremony-plan'): Promise<CommitRow[]> {
  const result = await client.query({ query: COMMITS_SQL, format: 'JSONEachRow', clickhouse_settings: { log_comment: comment } });
  return result.json<CommitRow>();
}

/** Each hour's newest base version among the commit rows that `counts` (hour in seconds). */
function newestBases(rows: CommitRow[], counts: (row: CommitRow) => boolean = () => true): Map<number, number> {
  const bases = new Map<number, number>();
  for (const row of rows) {
    const hour = Number(row.hour);
    const version = Number(row.version);
    if (hour !== 0 && row.kind === 'base' && counts(row) && version > (bases.get(hour) ?? 0)) bases.set(hour, version);
  }
  return bases;
}

/** Builds a plan from the commit rows. */
export function planOf(rows: CommitRow[]): CeremonyPlan {
  const bases = newestBases(rows);
  let watermark = 0;
  const patches: Array<[number, number]> = [];
  for (const row of rows) {
    const hour = Number(row.hour);
    const version = Number(row.version);
    if (hour === 0) watermark = Math.max(watermark, Number(row.computed_ms));
    else if (row.kind === 'patch' && version > (bases.get(hour) ?? 0)) patches.push([hour, version]);
  }
  return { watermark, bases, patches };
}

/**
 * What a pass may delete: per hour, the newest base committed before `cutoffMs` where older
 * versions remain — rows and commits below it are garbage — grouped by that version.
 */
export function garbageOf(rows: CommitRow[], cutoffMs: number): Array<{ version: number; hours: number[] }> {
  const settled = newestBases(rows, (row) => Number(row.computed_ms) < cutoffMs);
  const oldest = new Map<number, number>();
  for (const row of rows) {
    const hour = Number(row.hour);
    if (hour !== 0) oldest.set(hour, Math.min(oldest.get(hour) ?? Infinity, Number(row.version)));
  }
  const byVersion = new Map<number, number[]>();
  for (const [hour, version] of settled) {
    if (version <= oldest.get(hour)!) continue;
    byVersion.set(version, [...(byVersion.get(version) ?? []), hour]);
  }
  return [...byVersion].map(([version, hours]) => ({ version, hours }));
}

interface Cached {
  plan: Promise<CeremonyPlan>;
  readAt: number;
  generation: number;
}
const GENERATION_KEY = Symbol.for('passkey-analytics.ceremony-plan-generation');
const CACHE_KEY = Symbol.for('passkey-analytics.ceremony-plan-cache');
type GlobalWithPlan = typeof globalThis & { [GENERATION_KEY]?: number; [CACHE_KEY]?: WeakMap<ClickHouseClient, Cached> };
const g = globalThis as GlobalWithPlan;

/** A pass of this process committed: the next read takes a new plan. */
export function ceremonyPlanChanged(): void {
  g[GENERATION_KEY] = (g[GENERATION_KEY] ?? 0) + 1;
}

/** The plan for reads through `client`: cached, re-read after a commit here or PLAN_MAX_AGE_MS. */
export function ceremonyPlan(client: ClickHouseClient, now = Date.now()): Promise<CeremonyPlan> {
  const cache = (g[CACHE_KEY] ??= new WeakMap());
  const generation = g[GENERATION_KEY] ?? 0;
  const cached = cache.get(client);
  if (cached && cached.generation === generation && now - cached.readAt < PLAN_MAX_AGE_MS) return cached.plan;
  const plan = readCommits(client).then(planOf);
  cache.set(client, { plan, readAt: now, generation });
  plan.catch(() => {
    if (cache.get(client)?.plan === plan) cache.delete(client);
  });
  return plan;
}

/**
 * (hour, version) pairs as the text of an `Array(Tuple(DateTime, UInt64))`, with a sentinel that
 * matches no row, so the list is never empty — bound as a String and cast where it is read
 * (`versionPairs`). Why text: a tuple-array parameter costs the analyser about 1 ms per hundred
 * pairs at each place it is named (a 90-day window's bases are 2,200 pairs: about 20 ms, twice a
 * query), the cast of its text a tenth of that (docs/performance.md, "The read plan bound as text").
 */
export function versionPairsText(pairs: Array<[number, number]>): string {
  return `[${[...pairs, [0, 0] as [number, number]].map(([hour, version]) => `(${hour},${version})`).join(',')}]`;
}

/** The plan's pair lists (ceremonyPlanParams) and the state pass's (ceremony-state-folds.ts). */
const PAIR_LISTS = ['stateBases', 'statePatches', 'flowStatePatches', 'bases', 'patches'] as const;
const VERSION_PAIRS = Object.fromEntries(
  PAIR_LISTS.map((name) => [name, `CAST({${name}:String}, 'Array(Tuple(DateTime(\\'UTC\\'), UInt64))')`]),
) as Record<(typeof PAIR_LISTS)[number], string>;

/** A bound list of (hour, version) pairs (`versionPairsText`' text) as the array it stands for. */
export const versionPairs = (name: (typeof PAIR_LISTS)[number]): SqlFragment => identifier(VERSION_PAIRS, name);

/**
 * The plan's bound parameters for a query over [from, to): the bases and valid patches of the
 * hours a ceremony of the window can have rows in (two hours either side), the hours around each
 * patch (where the base rows a patch overrides lie), and the valid patches of the hours a flow of
 * the window can have rows in (`flowStatePatches`: a flow's span and an hour either side). Each list
 * carries a sentinel that matches no row, so none is ever empty. The ceremony lists stay narrow:
 * under steady ingest the current hours hold most patch rows, which a window ending a day ago must
 * not read.
 */
export function ceremonyPlanParams(plan: CeremonyPlan, from?: Date, to?: Date) {
  const within = (marginS: number) => {
    const lo = from ? Math.floor(from.getTime() / 1000 / HOUR_S) * HOUR_S - marginS : -Infinity;
    const hi = to ? to.getTime() / 1000 + marginS : Infinity;
    return (hour: number) => hour >= lo && hour < hi;
  };
  const near = within(2 * HOUR_S);
  const nearFlow = within(FLOW_MARGIN_S);
  const bases = [...plan.bases].filter(([hour]) => near(hour));
  const patches = plan.patches.filter(([hour]) => near(hour));
  const flowPatches = plan.patches.filter(([hour]) => nearFlow(hour));
  const patchHours = new Set<number>();
  for (const [hour] of patches) for (const h of [hour - HOUR_S, hour, hour + HOUR_S]) patchHours.add(h);
  return {
    stateWatermark: new Date(plan.watermark),
    stateBases: versionPairsText(bases),
    statePatches: versionPairsText(patches),
    statePatchHours: [...patchHours, 0],
    flowStatePatches: versionPairsText(flowPatches),
  };
}

/** Whether a query's text reads the ceremony state through the plan's parameters. */
export const readsCeremonyPlan = (text: string) => text.includes('{stateBases:');
