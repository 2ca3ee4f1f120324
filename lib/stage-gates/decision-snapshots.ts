/**
 * The evidence behind each stage decision (docs/stage-gates.md, "The decision log"): when a decision
 * is recorded, the evaluation it was made on — the one the page showed, named by its `evaluatedAt` —
 * is stored with it (migration 0012, `stage_decision_snapshots`): every transition's verdict and every
 * criterion's value, interval, sample, status, counts and window, with the config version. The
 * decision log links each decision to it. Server only.
 *
 * The snapshot is computed by the server from `evaluatedAt` (the page's evaluation is in the query
 * cache, so this costs little and equals what was shown), never taken from the client's word.
 */
import 'server-only';
import { randomUUID } from 'node:crypto';
import { storage } from '@/lib/clickhouse';
import type { DecisionSnapshot } from '@/lib/contracts/stage-snapshots';
import { runQuery } from '@/lib/query';
import { gateDecisionSnapshot, gateDecisionSnapshotIds } from '@/sql/queries/gate-decision-snapshots';
import type { RolloutConfig } from './config';
import { DECISION_LOG_LIMIT } from './decisions';
import { evaluateStages, type StageEvaluation } from './evaluate';
import { createStorageMeasurer } from './measure';
import type { RecordedDecision } from './stage-state';

export function snapshotUrl(decisionId: string): string {
  return `/api/v1/stages/decisions?id=${encodeURIComponent(decisionId)}`;
}

/** The evaluation as of `to` that a decision snapshot records (no trend; stage state as of `to`). */
export function evaluationForSnapshot(config: RolloutConfig, decisions: readonly RecordedDecision[], to: Date): Promise<StageEvaluation> {
  return evaluateStages({
    config,
    decisions: decisions.filter((decision) => decision.decidedAt.getTime() <= to.getTime()),
    to,
    stateAt: to,
    trendWindows: 0,
    measurer: createStorageMeasurer(),
  });
}

/** Pure: the stored form of an evaluation. */
export function snapshotOf(decisionId: string, evaluation: StageEvaluation, to: Date, configVersion: number): DecisionSnapshot {
  return {
    decisionId,
    evaluatedAt: to.toISOString(),
    configVersion,
    currentStage: evaluation.currentStage,
    transitions: evaluation.transitions.map((transition) => ({
      from: transition.from,
      to: transition.to,
      verdict: transition.verdict,
      criteria: transition.criteria.map((criterion) => ({
        id: criterion.id,
        label: criterion.label,
        unit: criterion.unit,
        perUnit: criterion.perUnit,
        comparator: criterion.comparator,
        threshold: criterion.threshold,
        minSample: criterion.minSample,
        window: criterion.window,
        value: criterion.value,
        ciLow: criterion.ciLow,
        ciHigh: criterion.ciHigh,
        sampleSize: criterion.sampleSize,
        status: criterion.status,
        measurement: criterion.measurement,
      })),
    })),
  };
}

function clickHouseTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

export async function storeSnapshot(decision: RecordedDecision, snapshot: DecisionSnapshot): Promise<void> {
  await storage().client.insert({
    table: 'stage_decision_snapshots',
    values: [
      {
        decision_id: decision.id,
        decided_at: clickHouseTime(decision.decidedAt),
        evaluated_at: clickHouseTime(new Date(snapshot.evaluatedAt)),
        snapshot: JSON.stringify(snapshot),
      },
    ],
    format: 'JSONEachRow',
    clickhouse_settings: {
      insert_deduplicate: 1,
      insert_deduplication_token: randomUUID(),
      distributed_foreground_insert: 1,
      log_comment: 'stage-gates:decision-snapshot',
    },
  });
}

export async function readSnapshot(decisionId: string): Promise<DecisionSnapshot | null> {
  const [row] = await runQuery(gateDecisionSnapshot, { decisionId });
  return row ? (JSON.parse(row.snapshot) as DecisionSnapshot) : null;
}

export async function snapshotIds(): Promise<Set<string>> {
  const rows = await runQuery(gateDecisionSnapshotIds, { limit: DECISION_LOG_LIMIT });
  return new Set(rows.map((row) => row.decisionId));
}
