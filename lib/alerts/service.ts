/**
 * The alerts API's answers (app/api/v1/alerts/**): rules with their state, recent notices and
 * deliveries, silences (create, expire), and a test notification to every webhook.
 */
import 'server-only';
import { randomUUID } from 'node:crypto';
import { ApiError } from '@/lib/api/errors';
import { MAX_SILENCE_DAYS, type AlertRuleState, type AlertSilence, type AlertsResponse, type TestResponse } from '@/lib/contracts/alerts';
import { env } from '@/lib/env';
import { runQuery } from '@/lib/query';
import { rolloutConfigState } from '@/lib/stage-gates/rollout-config-service';
import { alertSilenceRows } from '@/sql/queries/alerts-store';
import { alertRulesOf, describeRule, ruleSettings, type AlertRule } from './config';
import { deliverNotices, lastEvaluation, silenceCovers, webhookTargets } from './evaluator';
import { listDeliveries, listEvents, listSilences, loadStates, saveDeliveries, saveEvents, saveSilence, silenceJson } from './store';

const RECENT = 200;
const SPIKE_MARKERS = 500;
const SPIKE_MARKER_DAYS = 90;

function rulesInForce(): { rules: AlertRule[]; error: string | null } {
  const state = rolloutConfigState();
  return state.ok ? { rules: alertRulesOf(state.config), error: null } : { rules: [], error: state.error.message };
}

export async function alertsOverview(now = Date.now()): Promise<AlertsResponse> {
  const e = env();
  const { rules, error } = rulesInForce();
  const spikeRules = rules.filter((rule) => rule.kind === 'failure_spike').map((rule) => rule.id);
  const [states, events, deliveries, silences, firings] = await Promise.all([
    loadStates(),
    listEvents(RECENT),
    listDeliveries(RECENT),
    listSilences(now),
    spikeRules.length === 0
      ? []
      : listEvents(SPIKE_MARKERS, { kinds: ['firing'], since: new Date(now - SPIKE_MARKER_DAYS * 86_400_000), ruleIds: spikeRules }),
  ]);
  const active = silences.filter((silence) => silence.active);
  const ruleStates: AlertRuleState[] = rules.map((rule) => {
    const firing = states
      .filter((state) => rule.enabled && state.ruleId === rule.id && state.status === 'firing')
      .map((state) => ({
        seriesKey: state.seriesKey,
        labels: state.labels,
        since: new Date(state.since).toISOString(),
        value: state.value,
        threshold: state.threshold,
        summary: state.summary,
        notified: state.notified,
        silenced: active.some((silence) => silenceCovers(silence, rule.id, state.seriesKey, now)),
      }));
    const wholeRuleMuted = active.some((silence) => silence.ruleId === rule.id && silence.seriesKey === '');
    return {
      id: rule.id,
      kind: rule.kind,
      severity: rule.severity,
      enabled: rule.enabled,
      description: describeRule(rule),
      cooldownMinutes: rule.cooldownMinutes,
      settings: ruleSettings(rule),
      state: !rule.enabled
        ? 'disabled'
        : firing.some((series) => !series.silenced)
          ? 'firing'
          : wholeRuleMuted
            ? 'silenced'
            : firing.length > 0
              ? 'silenced'
              : 'ok',
      firing,
    };
  });
  return {
    enabled: e.ALERTS === 'on',
    intervalSeconds: e.ALERT_INTERVAL_SECONDS,
    lastEvaluation: lastEvaluation(),
    webhooks: webhookTargets().map(({ target, format }) => ({ target, format })),
    signed: Boolean(e.ALERT_WEBHOOK_SECRET),
    configError: error,
    rules: ruleStates,
    events,
    spikeFirings: firings,
    deliveries,
    silences,
  };
}

export async function createSilence(
  input: { ruleId: string; seriesKey: string; until: string; reason: string; actor: string },
  now = Date.now(),
): Promise<AlertSilence> {
  const { rules, error } = rulesInForce();
  if (error) throw new ApiError(503, 'config_invalid', error);
  if (!rules.some((rule) => rule.id === input.ruleId)) {
    throw new ApiError(
      400,
      'unknown_rule',
      `No alert rule "${input.ruleId.slice(0, 100)}"; the rules are ${rules.map((rule) => rule.id).join(', ')}.`,
      'ruleId',
    );
  }
  const until = Date.parse(input.until);
  if (!(until > now)) throw new ApiError(400, 'invalid_silence', 'until must be in the future.', 'until');
  if (until > now + MAX_SILENCE_DAYS * 86_400_000)
    throw new ApiError(400, 'invalid_silence', `A silence lasts at most ${MAX_SILENCE_DAYS} days.`, 'until');
  const silence: AlertSilence = {
    id: randomUUID(),
    ruleId: input.ruleId,
    seriesKey: input.seriesKey,
    createdAt: new Date(now).toISOString(),
    until: new Date(until).toISOString(),
    reason: input.reason,
    actor: input.actor,
    expiredAt: null,
    expiredBy: null,
    active: true,
  };
  await saveSilence(silence, now);
  return silence;
}

export async function expireSilence(id: string, actor: string, now = Date.now()): Promise<AlertSilence> {
  const rows = await runQuery(alertSilenceRows, { limit: 10_000 });
  const row = rows.find((candidate) => candidate.id === id);
  if (!row) throw new ApiError(400, 'unknown_silence', `No silence "${id.slice(0, 100)}".`, 'id');
  const current = silenceJson(row, now);
  if (!current.active) return current;
  const expired: AlertSilence = { ...current, expiredAt: new Date(now).toISOString(), expiredBy: actor, active: false };
  await saveSilence(expired, Math.max(now, row.version + 1));
  return expired;
}

/** A test notice to every configured webhook, stored with its deliveries. */
export async function sendTestNotification(actor: string, message: string | undefined, now = Date.now()): Promise<TestResponse> {
  const id = randomUUID();
  const summary = message ? `Test notification from ${actor}: ${message}` : `Test notification from ${actor}.`;
  const event = {
    id,
    at: new Date(now).toISOString(),
    ruleId: 'test',
    seriesKey: 'all',
    kind: 'test' as const,
    severity: 'info' as const,
    summary,
    value: null,
    threshold: null,
    labels: {},
  };
  const deliveries = await deliverNotices([
    {
      id,
      kind: 'test',
      at: new Date(now),
      rule: { id: 'test', kind: 'test', severity: 'info', description: 'A test notification (POST /api/v1/alerts/test).' },
      seriesKey: 'all',
      labels: {},
      summary,
      value: null,
      threshold: null,
      startedAt: null,
    },
  ]);
  await saveEvents([event]);
  await saveDeliveries(deliveries);
  return {
    eventId: id,
    results: deliveries.map(({ target, format, status, attempts, httpStatus, error }) => ({
      target,
      format,
      status,
      attempts,
      httpStatus,
      error,
    })),
  };
}
