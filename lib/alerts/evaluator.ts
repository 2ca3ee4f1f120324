/**
 * The alert evaluation (docs/alerts.md, "Schedule and the single evaluator"): every
 * ALERT_INTERVAL_SECONDS in the process holding the lease (lease.ts), every enabled rule observed
 * (rules.ts), every series stepped through the state machine (state-machine.ts) with its silences
 * and cool-down, the notices stored and delivered to every webhook (delivery.ts), then the states
 * stored — a crash between delivery and the state write repeats a notice rather than losing one.
 * Evaluations of one process run one after another (the scheduled ones and POST /alerts/evaluate).
 */
import 'server-only';
import { randomUUID } from 'node:crypto';
import { storage } from '@/lib/clickhouse';
import type { AlertDelivery, AlertEvent, AlertSilence } from '@/lib/contracts/alerts';
import { env } from '@/lib/env';
import { rolloutConfigState } from '@/lib/stage-gates/rollout-config-service';
import { alertRulesOf, describeRule, type AlertRule } from './config';
import { deliver } from './delivery';
import { holdsLease, holderName, SERVER_SETTLE_MS } from './lease';
import { parseWebhookTargets, type AlertNotice } from './payload';
import { observe, type Observation } from './rules';
import { step } from './state-machine';
import { listSilences, loadStates, saveDeliveries, saveEvents, saveStates, type StoredSeries } from './store';

export interface EvaluationReport {
  evaluated: boolean;
  holder: string;
  firing: number;
  notifications: number;
  errors: string[];
}

const STATE_KEY = Symbol.for('passkey-analytics.alerts');
interface AlertsProcessState {
  chain: Promise<unknown>;
  started: boolean;
  last: { at: string; durationMs: number; error: string | null; evaluated: boolean } | null;
}
function processState(): AlertsProcessState {
  const g = globalThis as typeof globalThis & { [STATE_KEY]?: AlertsProcessState };
  g[STATE_KEY] ??= { chain: Promise.resolve(), started: false, last: null };
  return g[STATE_KEY];
}

export function lastEvaluation(): AlertsProcessState['last'] {
  return processState().last;
}

/** Runs `task` after every earlier evaluation of this process. */
function serialized<T>(task: () => Promise<T>): Promise<T> {
  const state = processState();
  const run = state.chain.catch(() => undefined).then(task);
  state.chain = run;
  return run;
}

export function silenceCovers(silence: AlertSilence, ruleId: string, seriesKey: string, now: number): boolean {
  return (
    silence.ruleId === ruleId &&
    (silence.seriesKey === '' || silence.seriesKey === seriesKey) &&
    silence.expiredAt === null &&
    Date.parse(silence.until) > now
  );
}

export function webhookTargets() {
  return parseWebhookTargets(env().ALERT_WEBHOOK_URLS);
}

/** Deliver notices to every webhook; the delivery rows to store. */
export async function deliverNotices(notices: AlertNotice[]): Promise<AlertDelivery[]> {
  const e = env();
  const targets = webhookTargets();
  const options = {
    secret: e.ALERT_WEBHOOK_SECRET,
    attempts: e.ALERT_WEBHOOK_ATTEMPTS,
    backoffMs: e.ALERT_WEBHOOK_BACKOFF_MS,
    // The Alerts page; a signed-in person's Lax session cookie goes with the click, so it opens signed in.
    dashboardUrl: e.PUBLIC_URL ? `${e.PUBLIC_URL}/alerts` : null,
  };
  const jobs = notices.flatMap((notice) =>
    targets.map(async (target): Promise<AlertDelivery> => {
      const outcome = await deliver(target, notice, options);
      return { id: randomUUID(), at: new Date().toISOString(), eventId: notice.id, ruleId: notice.rule.id, kind: notice.kind, ...outcome };
    }),
  );
  return Promise.all(jobs);
}

function noticeOf(rule: AlertRule, event: AlertEvent, startedAt: number | null): AlertNotice {
  return {
    id: event.id,
    kind: event.kind,
    at: new Date(event.at),
    rule: { id: rule.id, kind: rule.kind, severity: rule.severity, description: describeRule(rule) },
    seriesKey: event.seriesKey,
    labels: event.labels,
    summary: event.summary,
    value: event.value,
    threshold: event.threshold,
    startedAt: startedAt === null ? null : new Date(startedAt),
  };
}

async function evaluate(now: number): Promise<EvaluationReport> {
  const lease = await holdsLease(now, storage().mode === 'embedded' ? 0 : SERVER_SETTLE_MS);
  const report: EvaluationReport = { evaluated: lease.held, holder: lease.holder ?? '', firing: 0, notifications: 0, errors: [] };
  if (!lease.held) return report;
  const config = rolloutConfigState();
  if (!config.ok) {
    report.errors.push(config.error.message);
    return report;
  }
  const all = alertRulesOf(config.config);
  const rules = all.filter((rule) => rule.enabled);
  const stored = await loadStates();
  const toStore: StoredSeries[] = [];
  // A rule switched off: its firing series end quietly.
  const disabled = new Set(all.filter((rule) => !rule.enabled).map((rule) => rule.id));
  for (const state of stored) {
    if (disabled.has(state.ruleId) && state.status === 'firing') toStore.push({ ...state, status: 'ok', since: now, notified: false });
  }
  const events: AlertEvent[] = [];
  const notices: AlertNotice[] = [];
  const shared = new Map<string, Promise<unknown>>();

  // Every rule observed first, the silences read after: a silence made while the rules' queries ran
  // (seconds on a large store) still holds back the notices of the events that arrived meanwhile.
  const observed: Array<{ rule: (typeof rules)[number]; previous: Map<string, StoredSeries>; observations: Observation[] }> = [];
  for (const rule of rules) {
    const previous = new Map(stored.filter((state) => state.ruleId === rule.id).map((state) => [state.seriesKey, state]));
    try {
      observed.push({ rule, previous, observations: await observe(rule, { now, config: config.config, previous, shared }) });
    } catch (error) {
      report.errors.push(`${rule.id}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  }
  const silences = (await listSilences(now)).filter((silence) => silence.active);

  for (const { rule, previous, observations } of observed) {
    const seen = new Set(observations.map((o) => o.seriesKey));
    for (const state of previous.values()) {
      if (state.status === 'firing' && !seen.has(state.seriesKey)) {
        observations.push({ ...state, active: false, summary: `No longer observed: ${state.summary}` });
      }
    }
    for (const obs of observations) {
      const prev = previous.get(obs.seriesKey);
      const muted = silences.some((silence) => silenceCovers(silence, rule.id, obs.seriesKey, now));
      const result = step(prev, obs, { now, cooldownMs: rule.cooldownMinutes * 60_000, muted });
      if (result.next.status === 'firing') report.firing += 1;
      if (result.changed || result.next.status === 'firing') {
        toStore.push({
          ...result.next,
          ruleId: rule.id,
          seriesKey: obs.seriesKey,
          labels: obs.labels,
          summary: obs.summary,
          value: obs.value,
          threshold: obs.threshold,
        });
      }
      if (!result.notice) continue;
      const event: AlertEvent = {
        id: randomUUID(),
        at: new Date(now).toISOString(),
        ruleId: rule.id,
        seriesKey: obs.seriesKey,
        kind: result.notice,
        severity: rule.severity,
        summary: obs.summary,
        value: obs.value !== null && Number.isFinite(obs.value) ? obs.value : null,
        threshold: obs.threshold !== null && Number.isFinite(obs.threshold) ? obs.threshold : null,
        labels: obs.labels,
      };
      events.push(event);
      notices.push(noticeOf(rule, event, result.notice === 'resolved' ? (prev?.since ?? null) : now));
    }
  }
  await saveEvents(events);
  await saveDeliveries(await deliverNotices(notices));
  await saveStates(toStore, now);
  report.notifications = events.length;
  return report;
}

/** One evaluation now (after any running one), if this process holds the lease. */
export function evaluateAlertsOnce(now: () => number = Date.now): Promise<EvaluationReport> {
  return serialized(async () => {
    const started = Date.now();
    try {
      const report = await evaluate(now());
      processState().last = {
        at: new Date(started).toISOString(),
        durationMs: Date.now() - started,
        error: report.errors[0] ?? null,
        evaluated: report.evaluated,
      };
      return report;
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      processState().last = { at: new Date(started).toISOString(), durationMs: Date.now() - started, error: message, evaluated: false };
      throw error;
    }
  });
}

/** Evaluates every ALERT_INTERVAL_SECONDS for the life of the process (lib/startup.ts; ALERTS=off stops it). */
export function startAlertEvaluations(log: (line: string) => void = console.log): void {
  const state = processState();
  if (state.started) return;
  state.started = true;
  const intervalMs = env().ALERT_INTERVAL_SECONDS * 1000;
  const loop = async () => {
    try {
      const report = await evaluateAlertsOnce();
      for (const problem of report.errors) log(`[alerts] ${problem}`);
    } catch (error) {
      log(`[alerts] evaluation failed, retrying: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
    setTimeout(loop, intervalMs).unref();
  };
  setTimeout(loop, Math.min(intervalMs, 5_000)).unref();
  log(`[alerts] evaluating every ${env().ALERT_INTERVAL_SECONDS} s as ${holderName()} (one evaluator per cluster: docs/alerts.md)`);
}
