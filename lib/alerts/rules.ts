/**
 * What each rule kind observes (docs/alerts.md, "Rules"): one observation per series — active or
 * not, with the value, the threshold and a one-line summary. The state machine
 * (state-machine.ts) turns observations into firing and resolved notices.
 */
import 'server-only';
import type { Filters } from '@/lib/domain/filters';
import { appliedEnvironments } from '@/lib/metrics/environment';
import { runQuery } from '@/lib/query';
import { listDecisions } from '@/lib/stage-gates/decisions';
import { evaluateStages } from '@/lib/stage-gates/evaluate';
import { createStorageMeasurer } from '@/lib/stage-gates/measure';
import { stageStateAt } from '@/lib/stage-gates/stage-state';
import type { RolloutConfig } from '@/lib/stage-gates/config';
import { isPhishableRecoveryMethod } from '@/lib/vocabulary';
import { alertCeremonyCounts, alertIngestSources, alertQuarantineCounts } from '@/sql/queries/alert-signals';
import { recoveryLoadTotals, recoveryTotals } from '@/sql/queries/recovery-load';
import { windowFilterParams } from '@/sql/queries/shared';
import type { AlertRule, AlertRuleOf } from './config';
import type { SeriesState } from './state-machine';
import { judgeRejectedShare, judgeSpike, type SpikeJudgement } from './stats';

export interface Observation {
  seriesKey: string;
  labels: Record<string, string>;
  active: boolean;
  value: number | null;
  threshold: number | null;
  summary: string;
  memo?: string;
}

export interface ObserveContext {
  now: number;
  config: RolloutConfig;
  /** This rule's stored series, by key. */
  previous: ReadonlyMap<string, SeriesState>;
  /** Reads shared by the rules of one evaluation (two spike rules read the same counts). */
  shared?: Map<string, Promise<unknown>>;
}

/** `read()` once per evaluation for `key`. */
function once<T>(context: ObserveContext, key: string, read: () => Promise<T>): Promise<T> {
  if (!context.shared) return read();
  let hit = context.shared.get(key) as Promise<T> | undefined;
  if (!hit) {
    hit = read();
    context.shared.set(key, hit);
  }
  return hit;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const NO_FILTERS: Filters = { deviceClass: [], os: [], browser: [], provider: [], credentialKind: [], riskTier: [], variant: [] };

/** `deviceClass=mobile-ios|reason=timeout`: labels as a series key (the order given). */
export function seriesKeyOf(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? 'all' : entries.map(([key, value]) => `${key}=${value}`).join('|');
}

const percent = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(1)} %`);
const pText = (p: number) => (p < 1e-6 ? 'p < 1e-6' : `p = ${p.toPrecision(2)}`);

function observation(
  labels: Record<string, string>,
  active: boolean,
  value: number | null,
  threshold: number | null,
  summary: string,
  memo?: string,
): Observation {
  return { seriesKey: seriesKeyOf(labels), labels, active, value, threshold, summary, ...(memo === undefined ? {} : { memo }) };
}

async function stageGate(rule: AlertRuleOf<'stage_gate'>, context: ObserveContext): Promise<Observation[]> {
  const at = new Date(context.now);
  const decisions = (await listDecisions()).filter((decision) => decision.decidedAt.getTime() <= context.now);
  // Only the transitions the rule watches are measured (the next one: a quarter of the queries).
  const { currentStage } = stageStateAt(context.config, decisions, at);
  const config =
    rule.transitions === 'next'
      ? { ...context.config, transitions: context.config.transitions.filter((t) => t.from === currentStage) }
      : context.config;
  const evaluation = await evaluateStages({
    config,
    decisions,
    to: at,
    stateAt: at,
    trendWindows: 0,
    measurer: createStorageMeasurer(),
  });
  const out: Observation[] = [];
  for (const transition of evaluation.transitions) {
    if (rule.transitions === 'next' && !transition.next) continue;
    const name = `${transition.from}-${transition.to}`;
    const labels = { transition: name };
    const previous = context.previous.get(seriesKeyOf(labels));
    const ready = transition.verdict === 'ready';
    // Fires on ready → not ready (and stays until ready again); a gate never ready does not fire.
    const active = !ready && (previous?.status === 'firing' || previous?.memo === 'ready');
    const summary = active
      ? `Stage gate ${transition.from} → ${transition.to} is no longer ready (${transition.verdict.replace('_', ' ')}).`
      : `Stage gate ${transition.from} → ${transition.to}: ${transition.verdict.replace('_', ' ')}.`;
    out.push(observation(labels, active, null, null, summary, transition.verdict));
    if (!rule.criteria) continue;
    for (const criterion of transition.criteria) {
      const failing = criterion.status === 'fail';
      const where = criterion.deviceClass ? ` (${criterion.deviceClass})` : '';
      const comparator = criterion.comparator === 'gte' ? '≥' : '≤';
      out.push(
        observation(
          { transition: name, criterion: criterion.id },
          failing,
          criterion.value,
          criterion.threshold,
          `${criterion.label}${where}: ${criterion.value ?? 'n/a'} — the gate needs ${comparator} ${criterion.threshold} (${criterion.status.replace('_', ' ')}).`,
        ),
      );
    }
  }
  return out;
}

function spikeSummary(
  what: string,
  windowName: string,
  judged: SpikeJudgement,
  counts: { recent: number; recentTotal: number },
  baselineDays: number,
) {
  return (
    `${what} in the last ${windowName}: ${percent(judged.recentRate)} (${counts.recent} of ${counts.recentTotal}) ` +
    `vs ${percent(judged.baselineRate)} over the previous ${baselineDays} days (${pText(judged.p)}).`
  );
}

async function failureSpike(rule: AlertRuleOf<'failure_spike'>, context: ObserveContext): Promise<Observation[]> {
  const { now } = context;
  const recentFrom = new Date(now - (rule.window === 'hour' ? HOUR_MS : DAY_MS));
  const from = new Date(recentFrom.getTime() - rule.baselineDays * DAY_MS);
  const rows = await once(context, `ceremonies:${rule.window}:${rule.baselineDays}:${rule.ceremonyType}`, () =>
    runQuery(alertCeremonyCounts, {
      ...windowFilterParams({ from, to: new Date(now) }, NO_FILTERS),
      recentFrom,
      types: rule.ceremonyType === 'all' ? [] : [rule.ceremonyType],
    }),
  );
  const totals = new Map<string, { recent: number; baseline: number }>();
  const groups = new Map<string, { labels: Record<string, string>; recent: number; baseline: number }>();
  for (const row of rows) {
    const total = totals.get(row.deviceClass) ?? { recent: 0, baseline: 0 };
    total.recent += row.recent;
    total.baseline += row.baseline;
    totals.set(row.deviceClass, total);
    if (row.outcome !== 'failure') continue;
    const labels: Record<string, string> =
      rule.measure === 'reason' ? { deviceClass: row.deviceClass, reason: row.reason } : { deviceClass: row.deviceClass };
    const key = seriesKeyOf(labels);
    const group = groups.get(key) ?? { labels, recent: 0, baseline: 0 };
    group.recent += row.recent;
    group.baseline += row.baseline;
    groups.set(key, group);
  }
  return [...groups.values()].map((group) => {
    const total = totals.get(group.labels.deviceClass!)!;
    const input = { recent: group.recent, recentTotal: total.recent, baseline: group.baseline, baselineTotal: total.baseline };
    const judged = judgeSpike(input, rule);
    const what =
      rule.measure === 'reason'
        ? `Failures "${group.labels.reason}" on ${group.labels.deviceClass}`
        : `Failure rate on ${group.labels.deviceClass}`;
    return observation(
      group.labels,
      judged.firing,
      judged.recentRate,
      judged.baselineRate === null ? null : judged.baselineRate * rule.minRatio,
      spikeSummary(what, rule.window, judged, input, rule.baselineDays),
    );
  });
}

function recoveries(windowMinutes: number, riskTier: 'any' | 'high', context: ObserveContext) {
  return once(context, `recoveries:${windowMinutes}:${riskTier}`, () => readRecoveries(windowMinutes, riskTier, context.now));
}

async function readRecoveries(windowMinutes: number, riskTier: 'any' | 'high', now: number) {
  const filters: Filters = riskTier === 'high' ? { ...NO_FILTERS, riskTier: ['high'] } : NO_FILTERS;
  const { activeUsers, methods } = recoveryTotals(
    await runQuery(recoveryLoadTotals, windowFilterParams({ from: new Date(now - windowMinutes * MINUTE_MS), to: new Date(now) }, filters)),
  );
  return {
    activeUsers,
    started: methods.reduce((sum, row) => sum + row.started, 0),
    phishable: methods.reduce((sum, row) => sum + (isPhishableRecoveryMethod(row.method) ? row.started : 0), 0),
  };
}

const windowText = (minutes: number) =>
  minutes % 1440 === 0 ? `${minutes / 1440} d` : minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;

async function recoveryLoadRule(rule: AlertRuleOf<'recovery_load'>, context: ObserveContext): Promise<Observation[]> {
  const { activeUsers, started } = await recoveries(rule.windowMinutes, 'any', context);
  const rate = activeUsers > 0 ? (started / activeUsers) * 1000 : started > 0 ? Infinity : 0;
  const active = started >= rule.minRecoveries && rate > rule.maxPer1000ActiveUsers;
  const rateText = Number.isFinite(rate) ? rate.toFixed(1) : '∞';
  return [
    observation(
      {},
      active,
      Number.isFinite(rate) ? rate : null,
      rule.maxPer1000ActiveUsers,
      `${started} recoveries started in the last ${windowText(rule.windowMinutes)}: ${rateText} per 1,000 active users (${activeUsers} active; limit ${rule.maxPer1000ActiveUsers}).`,
    ),
  ];
}

async function phishableRule(rule: AlertRuleOf<'phishable_recoveries'>, context: ObserveContext): Promise<Observation[]> {
  const { phishable } = await recoveries(rule.windowMinutes, rule.riskTier, context);
  const who = rule.riskTier === 'high' ? ' by high-risk accounts' : '';
  return [
    observation(
      {},
      phishable > rule.maxCount,
      phishable,
      rule.maxCount,
      `${phishable} phishable recover${phishable === 1 ? 'y' : 'ies'}${who} started in the last ${windowText(rule.windowMinutes)} (limit ${rule.maxCount}).`,
    ),
  ];
}

async function ingestSilence(rule: AlertRuleOf<'ingest_silence'>, { now }: ObserveContext): Promise<Observation[]> {
  const rows = await runQuery(alertIngestSources, {
    from: new Date(now - rule.watchHours * HOUR_MS),
    to: new Date(now + MINUTE_MS),
    environments: appliedEnvironments({ environment: undefined }),
  });
  return rows.map((row) => {
    const silentMinutes = Math.max(0, (now - row.lastReceivedMs) / MINUTE_MS);
    const active = silentMinutes > rule.silentMinutes;
    const name = `${row.service || '(no service.name)'} / ${row.environment || '(no environment)'}`;
    return observation(
      { service: row.service, environment: row.environment },
      active,
      Math.round(silentMinutes * 10) / 10,
      rule.silentMinutes,
      active
        ? `No events from ${name} for ${silentMinutes.toFixed(1)} min (limit ${rule.silentMinutes} min); last at ${new Date(row.lastReceivedMs).toISOString()}.`
        : `${name} last sent ${silentMinutes.toFixed(1)} min ago.`,
    );
  });
}

async function quarantineShare(rule: AlertRuleOf<'quarantine_share'>, { now }: ObserveContext): Promise<Observation[]> {
  const recentFrom = new Date(now - (rule.window === 'hour' ? HOUR_MS : DAY_MS));
  const rows = await runQuery(alertQuarantineCounts, {
    from: new Date(recentFrom.getTime() - rule.baselineDays * DAY_MS),
    to: new Date(now + MINUTE_MS),
    recentFrom,
    environments: appliedEnvironments({ environment: undefined }),
  });
  return rows.map((row) => {
    const input = {
      recent: row.rejectedRecent,
      recentTotal: row.rejectedRecent + row.acceptedRecent,
      baseline: row.rejectedBaseline,
      baselineTotal: row.rejectedBaseline + row.acceptedBaseline,
    };
    const judged = judgeRejectedShare(input, rule);
    return observation(
      { service: row.service },
      judged.firing,
      judged.recentRate,
      rule.maxShare,
      spikeSummary(`Rejected share of ${row.service || '(no service.name)'}`, rule.window, judged, input, rule.baselineDays),
    );
  });
}

/** The observations of one rule at `context.now`. */
export function observe(rule: AlertRule, context: ObserveContext): Promise<Observation[]> {
  switch (rule.kind) {
    case 'stage_gate':
      return stageGate(rule, context);
    case 'failure_spike':
      return failureSpike(rule, context);
    case 'recovery_load':
      return recoveryLoadRule(rule, context);
    case 'phishable_recoveries':
      return phishableRule(rule, context);
    case 'ingest_silence':
      return ingestSilence(rule, context);
    case 'quarantine_share':
      return quarantineShare(rule, context);
  }
}
