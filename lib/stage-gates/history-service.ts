/**
 * GET /api/v1/stages/history, the service: the stored daily evaluations of the last `days` days
 * (never an evaluation on demand), each day marked evaluated, outdated or not evaluated by the rules
 * of history.ts. Two reads: the rows of each day's newest evaluation and the late data since their
 * oldest watermark. Server only.
 */
import 'server-only';
import type { StageHistoryResponse } from '@/lib/contracts/stage-history';
import { env } from '@/lib/env';
import { runQuery } from '@/lib/query';
import { gateEvaluations } from '@/sql/queries/gate-evaluations';
import { gateLateData } from '@/sql/queries/gate-late-data';
import type { RolloutConfig } from './config';
import { buildHistory, configFingerprint, historyDays, lateDataSince, type StoredRun } from './history';

export async function stageHistory(config: RolloutConfig, days: number, now: number = Date.now()): Promise<StageHistoryResponse> {
  const fingerprint = configFingerprint(config, env().DEFAULT_ENVIRONMENT);
  const range = historyDays(now, days);
  const rows = await runQuery(gateEvaluations, { fromDay: range[0] as string, toDay: range.at(-1) as string });
  const runs = new Map<string, StoredRun>();
  for (const row of rows) {
    if (!runs.has(row.day)) runs.set(row.day, row);
  }
  const since = lateDataSince([...runs.values()], fingerprint);
  const late = since ? await runQuery(gateLateData, { since }) : [];
  return buildHistory({ config, fingerprint, now, days, rows, late });
}
