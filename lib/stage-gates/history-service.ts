/**
 * GET /api/v1/stages/history, the service: the stored daily evaluations of the last `days` days
 * (never an evaluation on demand), each day marked evaluated, outdated or not evaluated by the rules
 * of history.ts. Two reads: the rows of each day's newest evaluation and the late data since their
 * oldest watermark. And the same stored judgements for a live evaluation's trend windows
 * (storedJudgements). Server only.
 */
import 'server-only';
import type { StageHistoryResponse } from '@/lib/contracts/stage-history';
import type { Judgement } from '@/lib/contracts/stages';
import { env } from '@/lib/env';
import { runQuery } from '@/lib/query';
import { gateEvaluations } from '@/sql/queries/gate-evaluations';
import { gateLateData } from '@/sql/queries/gate-late-data';
import { longestWindowDays, type RolloutConfig } from './config';
import { asStatus, buildHistory, configFingerprint, dayState, historyDays, lateDataSince, utcDay, type StoredRun } from './history';
import { DAY_MS } from './stage-state';

async function storedRows(fingerprint: string, fromDay: string, toDay: string) {
  const rows = await runQuery(gateEvaluations, { fromDay, toDay });
  const runs = new Map<string, StoredRun>();
  for (const row of rows) {
    if (!runs.has(row.day)) runs.set(row.day, row);
  }
  const since = lateDataSince([...runs.values()], fingerprint);
  const late = since ? await runQuery(gateLateData, { since }) : [];
  return { rows, runs, late };
}

export async function stageHistory(config: RolloutConfig, days: number, now: number = Date.now()): Promise<StageHistoryResponse> {
  const fingerprint = configFingerprint(config, env().DEFAULT_ENVIRONMENT);
  const range = historyDays(now, days);
  const { rows, late } = await storedRows(fingerprint, range[0] as string, range.at(-1) as string);
  return buildHistory({ config, fingerprint, now, days, rows, late });
}

/**
 * The judgements of the stored daily evaluations an evaluation ending at `to` with `trendWindows`
 * previous windows can use: day D's evaluation judged each criterion over the window ending at
 * D + 1 day 00:00 UTC — a trend window's exactly, when the day's evaluation is current (made under
 * this configuration and not outdated by late data or an erasure since its watermark, history.ts
 * dayState). Looked up by the transition, the criterion and the window's end.
 */
export async function storedJudgements(
  config: RolloutConfig,
  to: Date,
  trendWindows: number,
): Promise<(fromStage: number, criterionId: string, windowTo: Date) => Judgement | undefined> {
  const longest = longestWindowDays(config);
  if (trendWindows === 0 || longest === 0) return () => undefined;
  const fingerprint = configFingerprint(config, env().DEFAULT_ENVIRONMENT);
  // The oldest trend window ends (trendWindows − 1) lengths before the midnight at or before the current window's start.
  const fromDay = utcDay(to.getTime() - (trendWindows + 1) * longest * DAY_MS - DAY_MS);
  const { rows, runs, late } = await storedRows(fingerprint, fromDay, utcDay(to.getTime() - DAY_MS));
  const judgements = new Map<string, Judgement>();
  for (const row of rows) {
    if (dayState(runs.get(row.day), fingerprint, late) !== 'evaluated') continue;
    const { value, ciLow, ciHigh, sampleSize } = row;
    judgements.set(`${row.day}|${row.fromStage}|${row.criterionId}`, { value, ciLow, ciHigh, sampleSize, status: asStatus(row.status) });
  }
  return (fromStage, criterionId, windowTo) =>
    windowTo.getTime() % DAY_MS === 0 ? judgements.get(`${utcDay(windowTo.getTime() - DAY_MS)}|${fromStage}|${criterionId}`) : undefined;
}
