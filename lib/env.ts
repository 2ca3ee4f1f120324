/**
 * Environment, validated once with zod (DESIGN.md section 8). Every variable the product reads
 * is here; the README lists the same set.
 */
import { z } from 'zod';
import path from 'node:path';
import { addressEntryProblem } from './security/addresses';

const csv = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part.length > 0),
  );

/** IP addresses and CIDR ranges, comma-separated (lib/security/addresses.ts). */
const addresses = csv.refine((entries) => entries.every((entry) => addressEntryProblem(entry) === undefined), {
  error: (issue) => (issue.input as string[]).map(addressEntryProblem).find(Boolean) ?? 'invalid',
});

const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier (letters, digits, underscore)');

/** A link template of another tool (a trace viewer, a help desk): an http(s) URL with `placeholder` where the id goes; empty = unset. */
const urlTemplate = (placeholder: '{traceId}' | '{ticketId}') =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? value : undefined))
    .refine((value) => value === undefined || (/^https?:\/\//.test(value) && value.includes(placeholder)), {
      message: `must be an http(s) URL containing ${placeholder}`,
    });

/** Why PUBLIC_URL cannot be the dashboard's origin, or undefined. */
function publicUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be the dashboard origin as a URL, e.g. https://analytics.example.com';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) URL';
  if (url.pathname !== '/' || url.search || url.hash) return 'must be an origin only (no path, query or fragment)';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(url.hostname) || url.hostname.startsWith('['))
    return `must name the host (e.g. localhost or analytics.example.com), not the IP address ${url.hostname}: WebAuthn refuses IP addresses as RP ID`;
  if (url.protocol === 'http:' && url.hostname !== 'localhost' && !url.hostname.endsWith('.localhost'))
    return 'must be https (passkeys need a secure context; only localhost may use http)';
  return undefined;
}

/** Headers a proxy identity may not be read from: the request's own, and the ones scripts/serve.mjs stamps. */
const RESERVED_HEADERS = /^(?:host|cookie|authorization|content-.*|origin|referer|user-agent|sec-.*|x-pa-.*|x-forwarded-for)$/;

export const zEnv = z
  .object({
    PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATA_DIR: z.string().min(1).default('./.data'),
    CLICKHOUSE_URL: z
      .url()
      .optional()
      .or(z.literal('').transform(() => undefined)),
    CLICKHOUSE_USER: z.string().optional(),
    CLICKHOUSE_PASSWORD: z.string().optional(),
    CLICKHOUSE_DATABASE: identifier.default('passkey_analytics'),
    CLICKHOUSE_CLUSTER: identifier.optional().or(z.literal('').transform(() => undefined)),
    // Tokens, `name:secret` or a bare secret per entry (lib/security/tokens.ts; docs/security.md "Tokens").
    INGEST_TOKENS: csv,
    INGEST_BROWSER_TOKENS: csv,
    API_TOKENS: csv,
    ADMIN_TOKENS: csv,
    ROLLOUT_CONFIG: z.string().optional(),
    /**
     * The dashboard's origin (`https://analytics.example.com`); set = passkey sign-in is on, its host
     * the WebAuthn RP ID (a name, never an IP address: WebAuthn refuses those). lib/auth/config.ts.
     */
    PUBLIC_URL: z
      .string()
      .trim()
      .optional()
      .transform((value) => (value ? value.replace(/\/+$/, '') : undefined))
      .refine((value) => value === undefined || publicUrlProblem(value) === undefined, {
        error: (issue) => publicUrlProblem(String(issue.input).trim()) ?? 'invalid',
      }),
    /**
     * Optional SSO (lib/auth/proxy-identity.ts; docs/security.md "SSO through a reverse proxy"): the
     * request header in which a reverse proxy names the person it signed in (e.g. `X-Forwarded-User`),
     * believed only from AUTH_PROXY_ADDRESSES (IP addresses or CIDR ranges); AUTH_PROXY_ADMINS are the
     * names given the `admin` role, everyone else the proxy lets in is a `viewer`.
     */
    AUTH_PROXY_HEADER: z
      .string()
      .trim()
      .optional()
      .transform((value) => (value ? value.toLowerCase() : undefined))
      .refine((value) => value === undefined || (/^[a-z0-9-]{1,100}$/.test(value) && !RESERVED_HEADERS.test(value)), {
        message: 'must be a header name such as X-Forwarded-User (letters, digits, dashes; not a standard or x-pa- header)',
      }),
    AUTH_PROXY_ADDRESSES: addresses,
    AUTH_PROXY_ADMINS: csv,
    /** Hours a dashboard session lasts after sign-in. */
    SESSION_HOURS: z.coerce
      .number()
      .min(0.01)
      .max(24 * 90)
      .default(12),
    /** Hours an invitation (or the setup code) can be used. */
    INVITATION_HOURS: z.coerce
      .number()
      .min(0.01)
      .max(24 * 30)
      .default(72),
    CORS_ORIGINS: csv,
    INGEST_MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(1024 * 1024 * 1024)
      .default(16 * 1024 * 1024),
    // Ingest limits (ingest/limits.ts, ingest/budget.ts; docs/security.md).
    INGEST_MAX_RECORDS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
    INGEST_MAX_ATTRIBUTES: z.coerce.number().int().min(16).max(100_000).default(256),
    INGEST_MAX_VALUE_LENGTH: z.coerce
      .number()
      .int()
      .min(1024)
      .max(16 * 1024 * 1024)
      .default(16 * 1024),
    INGEST_MAX_DEPTH: z.coerce.number().int().min(1).max(64).default(8),
    INGEST_MAX_INFLIGHT_BYTES: z.coerce
      .number()
      .int()
      .min(1024 * 1024)
      .max(16 * 1024 * 1024 * 1024)
      .default(64 * 1024 * 1024),
    INGEST_MAX_INFLIGHT_RECORDS: z.coerce.number().int().min(1).max(10_000_000).default(40_000),
    /**
     * Embedded engine: the longest an ingest request waits for concurrent ones to join its insert
     * (ingest/coalescer.ts); 0 = one insert per request. A ClickHouse server always gets one per request.
     */
    INGEST_COALESCE_MS: z.coerce.number().int().min(0).max(2_000).default(500),
    /**
     * Reverse proxies or load balancers in front of the app (IP addresses or CIDR ranges) whose
     * X-Forwarded-For is believed for a request's client address (ingest/rates.ts); unset = the TCP peer.
     */
    TRUSTED_PROXIES: addresses,
    /** Records per second per ingest token, and per client address of a browser token (ingest/rates.ts). */
    INGEST_TOKEN_RATE: z.coerce.number().min(1).max(10_000_000).default(50_000),
    INGEST_BROWSER_CLIENT_RATE: z.coerce.number().min(1).max(10_000_000).default(50),
    INGEST_RATE_BURST_SECONDS: z.coerce.number().min(1).max(3_600).default(10),
    /** Days the users' data is kept (events, ceremony and credential state; lib/data-retention.ts); unset = indefinitely. */
    RETENTION_DAYS: z.preprocess(
      (value) => (value === '' ? undefined : value),
      z.coerce.number({ error: 'must be a whole number of days (1 – 36500), or unset' }).int().min(1).max(36_500).optional(),
    ),
    // Per-read limits for every named query (lib/query.ts; docs/security.md "Query limits").
    QUERY_MAX_EXECUTION_TIME: z.coerce.number().min(0.001).max(86_400).default(60),
    QUERY_MAX_MEMORY_USAGE: z.coerce
      .number()
      .int()
      .min(1024 * 1024)
      .max(1024 * 1024 * 1024 * 1024)
      .default(1024 * 1024 * 1024),
    /**
     * The nice value (0 – 19) of the threads a read runs on: above 0, ingest's inserts (nice 0) get
     * the CPU first when reads saturate it, and reads wait behind merges and the state pass too
     * (docs/performance.md, "Ingest under read load": off by default, it cost the dashboards more).
     */
    QUERY_NICE: z.coerce.number().int().min(0).max(19).default(0),
    LOG_QUERY_TIMES: z.enum(['0', '1']).default('0'),
    /**
     * The environment (`deployment.environment.name`) every metric endpoint and the stage gates read
     * when a request names none; unset = every environment (docs/metrics.md, "Filters").
     */
    DEFAULT_ENVIRONMENT: z
      .string()
      .trim()
      .max(200, 'must be at most 200 characters')
      .refine((value) => value === '' || (!value.includes(',') && value !== '*'), {
        message: "must be one environment name (no commas, not '*'); leave it unset to read every environment",
      })
      .optional()
      .transform((value) => (value ? value : undefined)),
    /**
     * A trace viewer's URL for Lookup's trace ids, `{traceId}` where the id goes, e.g.
     * `https://jaeger.example.com/trace/{traceId}` or a Tempo / SigNoz equivalent; unset = no link.
     */
    TRACE_URL_TEMPLATE: urlTemplate('{traceId}'),
    /**
     * The help desk's URL for a ticket, `{ticketId}` where the id goes, e.g.
     * `https://example.zendesk.com/agent/tickets/{ticketId}`; unset = ticket ids are not links.
     */
    SUPPORT_TICKET_URL_TEMPLATE: urlTemplate('{ticketId}'),
    /** Run the ceremony state pass in this process (exactly one process per cluster; docs/scaling.md). */
    STATE_PASSES: z.enum(['on', 'off']).default('on'),
    /** Evaluate the alert rules in this process (one evaluator per cluster via a lease; docs/alerts.md). */
    ALERTS: z.enum(['on', 'off']).default('on'),
    ALERT_INTERVAL_SECONDS: z.coerce.number().min(1).max(86_400).default(60),
    /** Webhooks, comma-separated: `https://…`, or `slack:https://…` / `json:https://…` to choose the payload format. */
    ALERT_WEBHOOK_URLS: csv.refine((urls) => urls.every((url) => /^(?:(?:slack|json):)?https?:\/\/[^\s/]+\S*$/i.test(url)), {
      message: 'every entry must be an http(s) URL, optionally prefixed slack: or json:',
    }),
    /** Signs every notification (HMAC-SHA256 over `<timestamp>.<body>`); unset = unsigned. */
    ALERT_WEBHOOK_SECRET: z
      .string()
      .optional()
      .transform((value) => (value ? value : undefined)),
    ALERT_WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(4),
    ALERT_WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(0).max(600_000).default(2_000),
    /** Run the stage-gate history pass (stored daily evaluations) in this process (one process per cluster; docs/stage-gates.md). */
    GATE_HISTORY: z.enum(['on', 'off']).default('on'),
    /** Measure the current stage-gate evaluations viewers asked in the last 15 minutes ahead of them (docs/stage-gates.md "How fresh"). */
    GATE_REFRESH: z.enum(['on', 'off']).default('off'),
    /**
     * The product's own telemetry (lib/self-telemetry.ts, docs/operations.md): an OTLP/HTTP base URL
     * (metrics go to `<url>/v1/metrics`, e.g. an OpenTelemetry Collector on :4318); unset = silent.
     */
    SELF_TELEMETRY_OTLP_ENDPOINT: z
      .url()
      .refine((value) => /^https?:\/\//.test(value), { message: 'must be an http(s) URL' })
      .optional()
      .or(z.literal('').transform(() => undefined)),
    /** Headers for that endpoint, `name=value` pairs separated by commas (e.g. an API key). */
    SELF_TELEMETRY_OTLP_HEADERS: z.string().optional(),
    SELF_TELEMETRY_EXPORT_INTERVAL_MS: z.coerce.number().int().min(500).max(3_600_000).default(60_000),
  })
  .refine((e) => !e.AUTH_PROXY_HEADER || e.AUTH_PROXY_ADDRESSES.length > 0, {
    path: ['AUTH_PROXY_ADDRESSES'],
    message: 'must list the SSO proxy addresses (IP addresses or CIDR ranges) when AUTH_PROXY_HEADER is set',
  });
export type Env = z.infer<typeof zEnv>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = zEnv.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment:\n${problems.join('\n')}`);
  }
  return result.data;
}

let cached: Env | undefined;
/** The process environment, parsed once. */
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}

export function dataDir(e: Env = env()): string {
  return path.resolve(e.DATA_DIR);
}

/**
 * `compute` of a configuration, worked out once per parsed environment (token lists, address lists):
 * the process's env() is parsed once, and a test's own Env gets its own value.
 */
export function perEnv<T>(compute: (e: Env) => T): (e?: Env) => T {
  const values = new WeakMap<Env, { value: T }>();
  return (e = env()) => {
    let entry = values.get(e);
    if (!entry) values.set(e, (entry = { value: compute(e) }));
    return entry.value;
  };
}
