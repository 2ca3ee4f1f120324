/**
 * The read API questions: every /api/v1 endpoint (app/api/v1/**\/route.ts, GET), each asked
 * `calls` different questions one after the other — windows ending at different, non-round times,
 * the default 28-day window and 90-day windows, with and without two global filters.
 */
import { FALLBACK_COHORT_REASONS } from '../../lib/contracts/cohorts';
import { summarize, type Summary } from './stats';

export type Params = Record<string, string>;

/** Values present in the population, read from it before the app starts. */
export interface DataContext {
  deviceClasses: string[];
  oses: Array<{ os: string; browser: string }>;
  variants: string[];
  providers: string[];
  /** Users active in the last 28 days (distinct copies), for the events lookup. */
  userIds: string[];
}

export interface EndpointSpec {
  name: string;
  path: string;
  question(i: number, now: number): Params;
  /** It takes no question (the state now): every call asks the same. */
  same?: true;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** A `to` i steps back: whole hours plus odd minutes, seconds and milliseconds (cuts hours and days). */
function toAt(i: number, now: number): Date {
  const hours = [0, 1, 3, 6, 11, 20, 27, 40, 51, 70, 95, 130][i % 12]! + Math.floor(i / 12) * 5;
  return new Date(now - hours * HOUR_MS - ((i * 17) % 60) * 60_000 - ((i * 23) % 60) * 1000 - ((i * 137) % 1000));
}

type WindowKind = 'default' | '28d' | '90d';

function windowParams(kind: WindowKind, i: number, now: number): Params {
  if (kind === 'default') return {};
  const to = toAt(i, now);
  const days = kind === '28d' ? 28 : 90;
  return { from: new Date(to.getTime() - days * DAY_MS).toISOString(), to: to.toISOString() };
}

export function filterSets(ctx: DataContext): Params[] {
  const dc = (k: number) => ctx.deviceClasses[k % Math.max(1, ctx.deviceClasses.length)] ?? 'mobile-ios';
  const ob = (k: number) => ctx.oses[k % Math.max(1, ctx.oses.length)] ?? { os: 'iOS', browser: 'Mobile Safari' };
  return [
    {},
    { deviceClass: dc(0), riskTier: 'standard' },
    { os: ob(0).os, browser: ob(0).browser },
    { deviceClass: dc(1), riskTier: 'high' },
    { os: ob(1).os, browser: ob(1).browser },
  ];
}

/** The i-th (window, filters) combination: 3 windows × 5 filter sets, then the cut windows again with new ends. */
function metricQuestion(ctx: DataContext, i: number, now: number): Params {
  const sets = filterSets(ctx);
  const windows: WindowKind[] = ['default', '28d', '90d'];
  const kind: WindowKind = i < 15 ? windows[i % 3]! : i % 2 === 0 ? '28d' : '90d';
  return { ...windowParams(kind, i, now), ...sets[Math.floor(i / 3) % sets.length]! };
}

export function endpointSpecs(ctx: DataContext): EndpointSpec[] {
  const metric = (name: string, path: string, extra: (i: number) => Params = () => ({})): EndpointSpec => ({
    name,
    path,
    question: (i, now) => ({ ...metricQuestion(ctx, i, now), ...extra(i) }),
  });
  const pick = <T>(list: readonly T[], i: number) => list[i % list.length]!;
  return [
    metric('overview', '/api/v1/overview'),
    metric('registration', '/api/v1/registration'),
    metric('registration?groupBy', '/api/v1/registration', (i) => ({ groupBy: pick(['os', 'browser', 'provider', 'credentialKind'], i) })),
    metric('signin', '/api/v1/signin'),
    metric('signin/after-fallback', '/api/v1/signin/after-fallback'),
    metric('capabilities', '/api/v1/capabilities'),
    metric('cohorts/fallback', '/api/v1/cohorts/fallback'),
    metric('cohorts/fallback/users', '/api/v1/cohorts/fallback/users', (i) => ({ reason: pick(['all', ...FALLBACK_COHORT_REASONS], i) })),
    metric('cohorts/fallback/methods', '/api/v1/cohorts/fallback/methods'),
    metric('cohorts/fallback/weekly', '/api/v1/cohorts/fallback/weekly'),
    metric('recovery', '/api/v1/recovery', (i) => ({ interval: pick(['day', 'week'], i) })),
    metric('support/drivers', '/api/v1/support/drivers'),
    metric('support/drivers/tickets', '/api/v1/support/drivers/tickets', (i) => ({
      driver: pick(['no_preceding_failure', 'authentication:user_cancelled_or_timed_out', 'recovery:failed'], i),
    })),
    metric('annotations', '/api/v1/annotations'),
    metric('failures', '/api/v1/failures', (i) => ({ groupBy: pick(['reason', 'reason,deviceClass', 'deviceClass'], i) })),
    // day buckets: a 90-day window holds more hours than one answer may (MAX_SERIES_BUCKETS)
    metric('failures/series', '/api/v1/failures/series', (i) => ({
      interval: 'day',
      groupBy: pick(['reason', 'deviceClass', 'serviceVersion'], i),
    })),
    metric('security', '/api/v1/security'),
    metric('retention', '/api/v1/retention'),
    metric('journeys', '/api/v1/journeys', (i) => ({ kind: pick(['sign_in', 'sign_in', 'registration', 'recovery'], i) })),
    metric('journeys/flows', '/api/v1/journeys/flows', (i) => ({
      kind: 'sign_in',
      depth: '0',
      ...pick(
        [
          { source: 'autofill', target: 'autofill_ok' },
          { source: 'password_form', target: 'fallback_password' },
          { source: 'passkey_button', target: 'prompt_ok' },
        ],
        i,
      ),
    })),
    metric('journeys/upsell', '/api/v1/journeys/upsell'),
    {
      name: 'stages',
      path: '/api/v1/stages',
      // Past evaluations (each `to` a new question, so none is served from the stage-gate cache), with and without the trend.
      question: (i, now) => ({ to: toAt(i + 1, now).toISOString(), trend: i % 2 === 0 ? '6' : '0' }),
    },
    {
      name: 'stages/blast-radius',
      path: '/api/v1/stages/blast-radius',
      question: (i, now) => ({ to: toAt(i + 1, now).toISOString(), limit: pick(['1000', '100'], i) }),
    },
    {
      name: 'stages/experiment',
      path: '/api/v1/stages/experiment',
      // the demo configuration names no experiment: this measures the answer a page gets without one
      question: (i, now) => ({ to: toAt(i + 1, now).toISOString() }),
    },
    {
      name: 'stages/phase-out',
      path: '/api/v1/stages/phase-out',
      question: (i, now) => ({ to: toAt(i + 1, now).toISOString(), weeks: pick(['12', '4', '26'], i) }),
    },
    {
      name: 'stages/history',
      path: '/api/v1/stages/history',
      // 90, 89, … days: each call a different range of stored days
      question: (i) => ({ days: String(90 - (i % 90)) }),
    },
    { name: 'alerts', path: '/api/v1/alerts', question: () => ({}), same: true },
    {
      name: 'events?userId',
      path: '/api/v1/events',
      question: (i, now) => ({
        userId: ctx.userIds[i % Math.max(1, ctx.userIds.length)] ?? 'usr_000001',
        ...windowParams(pick<WindowKind>(['default', '90d', '28d'], i), i, now),
      }),
    },
    {
      name: 'quarantine',
      path: '/api/v1/quarantine',
      // its own parameters (no metric filters): a window ending at a new time each call, every other call one reason
      question: (i, now) => ({
        ...windowParams(pick<WindowKind>(['28d', '90d'], i), i, now),
        ...(i % 2 === 1 ? { reason: 'invalid_attributes' } : {}),
      }),
    },
    { name: 'health', path: '/api/v1/health', question: () => ({}), same: true },
  ];
}

export function url(baseUrl: string, path: string, params: Params): string {
  const search = new URLSearchParams(params).toString();
  return `${baseUrl}${path}${search ? `?${search}` : ''}`;
}

export interface CallResult {
  ms: number;
  status: number;
  url: string;
  error?: string;
}

export async function timedGet(target: string, timeoutMs = 120_000): Promise<CallResult> {
  const started = performance.now();
  try {
    const response = await fetch(target, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    const ms = performance.now() - started;
    return response.status === 200
      ? { ms, status: 200, url: target }
      : { ms, status: response.status, url: target, error: text.slice(0, 300) };
  } catch (error) {
    return { ms: performance.now() - started, status: 0, url: target, error: (error as Error).message };
  }
}

export interface EndpointResult extends Summary {
  name: string;
  calls: number;
  errors: number;
  errorSamples: string[];
  /** Every call's time, in call order. */
  samples: number[];
}

/**
 * `calls` timed calls, unless they take longer than `budgetMs` together: then it stops after the call
 * that crossed the budget (at least 3), and the result says how many were made — an endpoint far
 * off its goal must not eat the run's 15 minutes (the table shows the count).
 */
export async function measureEndpoint(
  baseUrl: string,
  spec: EndpointSpec,
  calls: number,
  onCall?: (i: number, r: CallResult) => void,
  budgetMs = Number.POSITIVE_INFINITY,
): Promise<EndpointResult> {
  // One untimed warm-up (loads the route's code), a question none of the timed calls asks.
  await timedGet(url(baseUrl, spec.path, spec.question(calls + 7, Date.now() - 5 * DAY_MS)));
  const results: CallResult[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < calls; i++) {
    const params = spec.question(i, Date.now());
    const target = url(baseUrl, spec.path, params);
    if (seen.has(target) && !spec.same) throw new Error(`benchmark bug: ${spec.name} asks the same question twice (${target})`);
    seen.add(target);
    const result = await timedGet(target);
    results.push(result);
    onCall?.(i, result);
    if (i >= 2 && results.reduce((sum, r) => sum + r.ms, 0) > budgetMs) break;
  }
  const failed = results.filter((r) => r.status !== 200);
  return {
    name: spec.name,
    ...summarize(results.map((r) => r.ms)),
    calls: results.length,
    errors: failed.length,
    errorSamples: failed.slice(0, 3).map((r) => `HTTP ${r.status} ${r.url.replace(baseUrl, '')}: ${r.error ?? ''}`),
    samples: results.map((r) => Math.round(r.ms * 10) / 10),
  };
}

// ---------------------------------------------------------------------------------------------
// 8 viewers opening the Overview at once

/** The requests the Overview page makes on first load (components/pages/overview): the headlines and the current stage. */
export function overviewRequests(baseUrl: string, filters: Params, now: number): string[] {
  const end = Math.ceil(now / 60_000) * 60_000; // lib/client/global-params.ts: a preset ends at the next whole minute
  const window = { from: new Date(end - 28 * DAY_MS).toISOString(), to: new Date(end).toISOString() };
  return [url(baseUrl, '/api/v1/overview', { ...window, ...filters }), url(baseUrl, '/api/v1/stages', { trend: '0' })];
}

export function viewerFilterSets(ctx: DataContext): Params[] {
  const dc = (k: number) => ctx.deviceClasses[k % Math.max(1, ctx.deviceClasses.length)] ?? 'mobile-ios';
  const ob = ctx.oses[0] ?? { os: 'iOS', browser: 'Mobile Safari' };
  return [
    {},
    { deviceClass: dc(0) },
    { deviceClass: dc(1), riskTier: 'standard' },
    { os: ob.os, browser: ob.browser },
    { credentialKind: 'synced' },
    { riskTier: 'high' },
    { deviceClass: `${dc(2)},${dc(3)}` },
    ctx.variants[0] ? { variant: ctx.variants[0] } : { provider: ctx.providers[0] ?? 'iCloud Keychain' },
  ];
}

export interface ViewerResult {
  viewer: number;
  filters: Params;
  ms: number;
  requests: Array<{ path: string; ms: number; status: number }>;
  errors: number;
}

export async function eightViewers(baseUrl: string, ctx: DataContext): Promise<ViewerResult[]> {
  const started = performance.now();
  const now = Date.now();
  return Promise.all(
    viewerFilterSets(ctx).map(async (filters, viewer) => {
      const calls = await Promise.all(overviewRequests(baseUrl, filters, now).map((target) => timedGet(target)));
      return {
        viewer: viewer + 1,
        filters,
        ms: Math.round((performance.now() - started) * 10) / 10,
        requests: calls.map((c) => ({ path: new URL(c.url).pathname, ms: Math.round(c.ms * 10) / 10, status: c.status })),
        errors: calls.filter((c) => c.status !== 200).length,
      };
    }),
  );
}
