/**
 * The decision log's storage (migration 0004): read it, and record a decision after checking it
 * against the current stage. Server only.
 *
 * Why a process-wide lock: the check ("advance goes to current + 1") and the insert must not
 * interleave with another decision, or two concurrent advances from stage 2 would both pass and
 * log 2 → 3 twice. One app process per embedded data directory makes an in-process lock enough;
 * behind a load balancer two processes could still race (both decisions are then logged and the
 * newer one wins, which is visible in the log).
 * Why a random insert_deduplication_token: see sql/README.md (embedded engine caveat).
 */
import 'server-only';
import { randomUUID } from 'node:crypto';
import { ApiError } from '@/lib/api/errors';
import { storage } from '@/lib/clickhouse';
import type { StageDecision } from '@/lib/contracts/stages';
import type { DecisionActionName } from '@/lib/stage-gates/stage-state';
import { runQuery } from '@/lib/query';
import { gateStageDecisions, type StageDecisionRow } from '@/sql/queries/gate-stage-decisions';
import type { RolloutConfig } from './config';
import { checkDecision, stageStateAt, type RecordedDecision } from './stage-state';

/** Decisions read per evaluation; a rollout records a handful. */
export const DECISION_LOG_LIMIT = 10_000;

function parseInstant(value: string): Date {
  // The client prints DateTime64 in ISO form; a bare "YYYY-MM-DD hh:mm:ss.fff" is UTC as well.
  return new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
}

export function toRecordedDecision(row: StageDecisionRow): RecordedDecision {
  return { ...row, decidedAt: parseInstant(row.decidedAt) };
}

/** A decision as the API shows it; `snapshotUrl` when its evidence snapshot exists (decision-snapshots.ts). */
export function decisionJson(decision: RecordedDecision, snapshotUrl: string | null = null): StageDecision {
  return { ...decision, decidedAt: decision.decidedAt.toISOString(), snapshotUrl };
}

/** The whole log, newest first. */
export async function listDecisions(): Promise<RecordedDecision[]> {
  const rows = await runQuery(gateStageDecisions, { limit: DECISION_LOG_LIMIT });
  return rows.map(toRecordedDecision);
}

const LOCK_KEY = Symbol.for('passkey-analytics.stage-decision-lock');
type GlobalWithLock = typeof globalThis & { [LOCK_KEY]?: Promise<unknown> };

function serialized<T>(task: () => Promise<T>): Promise<T> {
  const g = globalThis as GlobalWithLock;
  const previous = g[LOCK_KEY] ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(task);
  g[LOCK_KEY] = run;
  return run;
}

function clickHouseTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

export interface DecisionInput {
  action: DecisionActionName;
  stage: number;
  actor: string;
  reason: string;
}

/**
 * Check a decision against the current stage and append it to the log. Returns the recorded
 * decision and the stage the rollout is now at. A decision that does not fit the current stage is
 * refused with a 400 naming `stage`.
 */
export function recordDecision(
  config: Pick<RolloutConfig, 'currentStage' | 'stageEnteredAt'>,
  input: DecisionInput,
  now: () => Date = () => new Date(),
): Promise<{ decision: RecordedDecision; currentStage: number }> {
  return serialized(async () => {
    const log = await listDecisions();
    const latest = log[0];
    // Strictly after the newest decision, so "the newest wins" is never a tie.
    const decidedAt = new Date(Math.max(now().getTime(), (latest?.decidedAt.getTime() ?? 0) + 1));
    const { currentStage } = stageStateAt(config, log, decidedAt);
    const check = checkDecision(input.action, input.stage, currentStage);
    if (!check.ok) throw new ApiError(400, 'invalid_decision', check.message, 'stage');

    const decision: RecordedDecision = {
      id: randomUUID(),
      decidedAt,
      action: input.action,
      fromStage: currentStage,
      toStage: input.stage,
      actor: input.actor,
      reason: input.reason,
    };
    const store = storage();
    await store.client.insert({
      table: 'stage_decisions',
      values: [
        {
          id: decision.id,
          decided_at: clickHouseTime(decision.decidedAt),
          action: decision.action,
          from_stage: decision.fromStage,
          to_stage: decision.toStage,
          actor: decision.actor,
          reason: decision.reason,
        },
      ],
      format: 'JSONEachRow',
      clickhouse_settings: {
        insert_deduplicate: 1,
        insert_deduplication_token: randomUUID(),
        distributed_foreground_insert: 1,
        log_comment: 'stage-gates:decision',
      },
    });
    return { decision, currentStage: decision.toStage };
  });
}
