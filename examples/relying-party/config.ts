/**
 * The reference relying party's configuration: command-line flags win over environment variables,
 * validated once with zod so a typo fails at start with a message naming the setting.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';

const url = z
  .url({
    protocol: /^https?$/,
    error: (issue) => (issue.input === undefined ? 'is required' : 'must be an http(s) URL such as http://127.0.0.1:3000'),
  })
  .transform((value) => value.replace(/\/+$/, ''));

export const zRelyingPartyConfig = z.object({
  /** Base URL of the passkey analytics product; events go to `${product}/v1/logs`. */
  product: url,
  /** Ingest token of the product (`INGEST_TOKENS`). */
  token: z
    .string({ error: 'is required (the product prints its ingest token at start)' })
    .trim()
    .min(1, 'is required (the product prints its ingest token at start)'),
  port: z.coerce.number().int().min(0).max(65_535).default(4000),
  host: z.string().min(1).default('127.0.0.1'),
  /** WebAuthn relying party ID: a registrable domain, never an IP address. */
  rpId: z
    .string()
    .regex(/^[a-z0-9.-]+$/i, 'must be a domain name (WebAuthn refuses IP addresses)')
    .default('localhost'),
  rpName: z.string().min(1).max(64).default('Reference RP'),
  /** The origin pages are served from; default `http://<rpId>:<port>`. */
  origin: url.optional(),
  /**
   * Where the page's SDK posts OTLP/JSON: `proxy` (same-origin `/v1/logs`, forwarded with the
   * token added by this server — the default) or `direct` (to the product, which must list this
   * origin in CORS_ORIGINS; the token is then visible to the page).
   */
  browserTelemetry: z.enum(['proxy', 'direct']).default('proxy'),
  /** The rollout stage this RP runs (DESIGN.md section 1), reported as `feature_flag.evaluation`. */
  stage: z.coerce.number().int().min(1).max(5).default(2),
  serviceName: z.string().min(1).max(128).default('reference-relying-party'),
  environment: z.string().min(1).max(64).default('development'),
});
export type RelyingPartyConfig = z.infer<typeof zRelyingPartyConfig>;
export type RelyingPartyConfigInput = z.input<typeof zRelyingPartyConfig>;

export class RelyingPartyConfigError extends Error {
  override name = 'RelyingPartyConfigError';
}

/** Flag → environment variable. */
const ENVIRONMENT: Record<keyof RelyingPartyConfigInput, string> = {
  product: 'RP_PRODUCT_URL',
  token: 'RP_INGEST_TOKEN',
  port: 'RP_PORT',
  host: 'RP_HOST',
  rpId: 'RP_ID',
  rpName: 'RP_NAME',
  origin: 'RP_ORIGIN',
  browserTelemetry: 'RP_BROWSER_TELEMETRY',
  stage: 'RP_ROLLOUT_STAGE',
  serviceName: 'RP_SERVICE_NAME',
  environment: 'RP_ENVIRONMENT',
};

const FLAGS = {
  product: 'product',
  token: 'token',
  port: 'port',
  host: 'host',
  rpId: 'rp-id',
  rpName: 'rp-name',
  origin: 'origin',
  browserTelemetry: 'browser-telemetry',
  stage: 'stage',
  serviceName: 'service-name',
  environment: 'environment',
} as const satisfies Record<keyof RelyingPartyConfigInput, string>;

export const USAGE = `Usage: npx tsx examples/relying-party/server.ts --product <url> --token <ingest token> [options]

  --product <url>              the passkey analytics product            (RP_PRODUCT_URL)
  --token <token>              its ingest token                         (RP_INGEST_TOKEN)
  --port <n>                   listen port, 0 = any (default 4000)      (RP_PORT)
  --host <addr>                listen address (default 127.0.0.1)       (RP_HOST)
  --rp-id <domain>             WebAuthn RP ID (default localhost)       (RP_ID)
  --origin <url>               page origin (default http://<rp-id>:<port>) (RP_ORIGIN)
  --browser-telemetry <mode>   proxy | direct (default proxy)           (RP_BROWSER_TELEMETRY)
  --stage <1-5>                rollout stage (default 2)                (RP_ROLLOUT_STAGE)
  --service-name <name>        OTel service.name                        (RP_SERVICE_NAME)
  --environment <name>         deployment.environment.name              (RP_ENVIRONMENT)`;

/** Parses flags (`--product http://…`) and environment variables; flags win. */
export function parseRelyingPartyConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): RelyingPartyConfig {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: Object.fromEntries(Object.values(FLAGS).map((flag) => [flag, { type: 'string' as const }])),
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new RelyingPartyConfigError(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(FLAGS) as (keyof RelyingPartyConfigInput)[]) {
    const flag = values[FLAGS[key]];
    const fromEnv = env[ENVIRONMENT[key]];
    const value = typeof flag === 'string' ? flag : fromEnv;
    if (value !== undefined && value !== '') input[key] = value;
  }
  return validateRelyingPartyConfig(input);
}

export function validateRelyingPartyConfig(input: RelyingPartyConfigInput | Record<string, unknown>): RelyingPartyConfig {
  const result = zRelyingPartyConfig.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = issue.path[0] as keyof RelyingPartyConfigInput | undefined;
      const name = key && key in FLAGS ? `--${FLAGS[key]} (${ENVIRONMENT[key]})` : issue.path.join('.');
      return `  ${name}: ${issue.message}`;
    });
    throw new RelyingPartyConfigError(`Invalid relying party configuration:\n${problems.join('\n')}\n\n${USAGE}`);
  }
  return result.data;
}

/** The origin pages are served from once the port is known. */
export function originOf(config: RelyingPartyConfig, port: number): string {
  return config.origin ?? `http://${config.rpId}:${port}`;
}
