/**
 * The background pass that fills the stored daily stage-gate evaluations (migration 0012;
 * docs/stage-gates.md "History"). Started once per process from lib/startup.ts (GATE_HISTORY=on).
 * Server only.
 *
 * Each tick reads which of the stored days (the last 90, or as far back as the default trend
 * reaches: history.ts storedDays) are settled and missing or outdated (history.ts has the rules)
 * and evaluates at most DAYS_PER_TICK of them, newest first, each exactly as the live page would
 * with `to` = the end of the day and no trend. Its queries run one at a time on the read pool
 * (never more than one session), outside the page's query cache; after a tick it rests twice as long
 * as the tick took, so the backfill takes at most a third of one session; and before each of its
 * queries it gives way to viewers (waits while API requests are being answered or requests'
 * stage-gate queries are pending, up to a minute: lib/foreground.ts).
 * With nothing to do it looks for late data every IDLE_MS.
 */
import 'server-only';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { SERVER_MARGIN_MS } from '@/lib/ceremony-states';
import { storage } from '@/lib/clickhouse';
import { foregroundPending, waitWhile } from '@/lib/foreground';
import { env } from '@/lib/env';
import { runQuery, type QueryDefinition } from '@/lib/query';
import { settledBefore } from '@/ingest/unsettled';
import { gateEvaluationRuns } from '@/sql/queries/gate-evaluation-runs';
import { gateLateData } from '@/sql/queries/gate-late-data';
import type { RolloutConfig } from './config';
import { listDecisions } from './decisions';
import { evaluateStages, type StageEvaluation } from './evaluate';
import {
  configFingerprint,
  daysToEvaluate,
  evaluationRows,
  historyDays,
  lateDataSince,
  storedDays,
  type LateData,
  type StoredRun,
} from './history';
import { createStorageMeasurer } from './measure';
import { concurrencyLimit, stageGateQueriesPending } from './query-cache';
import { rolloutConfigState } from './rollout-config-service';
import type { RecordedDecision } from './stage-state';

export const DAYS_PER_TICK = 2;
const MIN_REST_MS = 1_000;
export const IDLE_MS = 10_000;
const RETRY_MS = 30_000;

/**
 * A query runner for one evaluation: identical questions (the criteria share active users,
 * coverage, …) are asked once, and one query runs at a time.
 */
function evaluationRunner(): typeof runQuery {
  const memo = new Map<string, Promise<unknown[]>>();
  const limited = concurrencyLimit(1);
  return (<P extends z.ZodType, R extends z.ZodType>(query: QueryDefinition<P, R>, params: z.input<P>) => {
    const key = `${query.name}:${JSON.stringify(params)}`;
    let result = memo.get(key);
    if (!result) {
      result = limited(async () => {
        await giveWay();
        return runQuery(query, params);
      });
      memo.set(key, result);
    }
    return result as Promise<z.output<R>[]>;
  }) as typeof runQuery;
}

/** Day D's evaluation: every window ends at `to` (D + 1 day, 00:00 UTC), no trend, stage state as of `to`. */
export function evaluateAsOf(
  config: RolloutConfig,
  decisions: readonly RecordedDecision[],
  to: Date,
  run: typeof runQuery = evaluationRunner(),
): Promise<StageEvaluation> {
  return evaluateStages({
    config,
    decisions: decisions.filter((decision) => decision.decidedAt.getTime() <= to.getTime()),
    to,
    stateAt: to,
    trendWindows: 0,
    measurer: createStorageMeasurer(run),
  });
}

/** The stored runs of the last `count` days and the late data since their oldest current watermark. */
export async function readHistoryState(now: number, fingerprint: string, count: number): Promise<{ runs: StoredRun[]; late: LateData[] }> {
  const days = historyDays(now, count);
  const runs = await runQuery(gateEvaluationRuns, { fromDay: days[0] as string, toDay: days.at(-1) as string });
  const since = lateDataSince(runs, fingerprint);
  const late = since ? await runQuery(gateLateData, { since }) : [];
  return { runs, late };
}

let lastEvaluatedAt = 0;

const STORED = Symbol.for('passkey-analytics.gate-history-stored');
type GlobalWithStored = typeof globalThis & { [STORED]?: number };

/**
 * How many days this process has stored: an evaluation whose trend read stored days is kept under
 * it (stages-service.ts), so a day evaluated again after late data is never answered from before.
 */
export function storedDaysGeneration(): number {
  return (globalThis as GlobalWithStored)[STORED] ?? 0;
}

/** Evaluate one day and store its rows. The watermark is taken before any read. */
export async function evaluateAndStoreDay(config: RolloutConfig, decisions: readonly RecordedDecision[], day: string): Promise<void> {
  const store = storage();
  const margin = store.mode === 'embedded' ? 0 : SERVER_MARGIN_MS;
  const watermarkMs = settledBefore(Date.now()) - margin;
  const to = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000);
  const evaluation = await evaluateAsOf(config, decisions, to);
  // Strictly increasing per process, so a day's newest evaluation is never a tie.
  const evaluatedAtMs = Math.max(Date.now(), lastEvaluatedAt + 1);
  lastEvaluatedAt = evaluatedAtMs;
  const rows = evaluationRows(day, evaluation.transitions, {
    configVersion: config.version,
    configFingerprint: configFingerprint(config, env().DEFAULT_ENVIRONMENT),
    evaluatedAtMs,
    watermarkMs,
  });
  await store.client.insert({
    table: 'gate_evaluations',
    values: rows,
    format: 'JSONEachRow',
    clickhouse_settings: {
      insert_deduplicate: 1,
      insert_deduplication_token: randomUUID(),
      distributed_foreground_insert: 1,
      log_comment: 'stage-gates:history',
    },
  });
  (globalThis as GlobalWithStored)[STORED] = storedDaysGeneration() + 1;
}

/**
 * Waits (up to a minute) while API requests are being answered or requests' stage-gate queries are
 * pending: the backfill runs in the gaps between viewers, one query at a time.
 */
function giveWay(): Promise<void> {
  return waitWhile(() => foregroundPending() > 0 || stageGateQueriesPending() > 0, 60_000);
}

export interface HistoryTickReport {
  evaluated: string[];
  remaining: number;
  ms: number;
}

/** One tick: evaluate up to `limit` days that need it, newest first. */
export async function runGateHistoryTick(now: number = Date.now(), limit = DAYS_PER_TICK): Promise<HistoryTickReport> {
  const started = performance.now();
  const state = rolloutConfigState();
  if (!state.ok) return { evaluated: [], remaining: 0, ms: performance.now() - started };
  const fingerprint = configFingerprint(state.config, env().DEFAULT_ENVIRONMENT);
  const days = storedDays(state.config);
  const { runs, late } = await readHistoryState(now, fingerprint, days);
  const todo = daysToEvaluate(now, runs, fingerprint, late, days, days);
  const batch = todo.slice(0, limit);
  if (batch.length > 0) {
    const decisions = await listDecisions();
    for (const day of batch) {
      await evaluateAndStoreDay(state.config, decisions, day);
    }
  }
  return { evaluated: batch, remaining: todo.length - batch.length, ms: performance.now() - started };
}

const SCHEDULER_KEY = Symbol.for('passkey-analytics.gate-history-scheduler');
type GlobalWithScheduler = typeof globalThis & { [SCHEDULER_KEY]?: boolean };

/** Start the pass (once per process). */
export function startGateHistoryPasses(log: (line: string) => void = console.log): void {
  const g = globalThis as GlobalWithScheduler;
  if (g[SCHEDULER_KEY]) return;
  g[SCHEDULER_KEY] = true;
  const loop = async () => {
    let wait = IDLE_MS;
    try {
      const report = await runGateHistoryTick();
      if (report.evaluated.length > 0) wait = Math.max(MIN_REST_MS, 2 * report.ms);
      if (report.ms > 10_000) {
        log(
          `[stage-gates] history: evaluated ${report.evaluated.join(', ')} in ${(report.ms / 1000).toFixed(1)} s, ${report.remaining} days to go`,
        );
      }
    } catch (error) {
      wait = RETRY_MS;
      log(`[stage-gates] history pass failed, retrying: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
    setTimeout(loop, wait).unref();
  };
  setTimeout(loop, 0).unref();
}
