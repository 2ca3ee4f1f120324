/**
 * `npm start` / `npm run demo`: validate the environment, build when the sources changed, serve
 * with scripts/serve.mjs (Next.js's production server that also stamps each request's peer
 * address; one process: ingest, read API and dashboard share the embedded engine), and with --demo
 * stream a simulated rollout population through the real OTLP endpoint.
 *
 *   npm start
 *   npm run demo                      # ~5,000 users over 90 days
 *   npm run demo -- --users 20000 --days 120
 *   npm run demo -- --force           # add a population to a store that already has events
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, parseEnv } from '../lib/env';
import { apiTokens } from '../lib/api/auth';
import { exposureProblem } from '../lib/security/exposure';
import { TokenConfigError } from '../lib/security/tokens';
import { resolveIngestTokens } from '../lib/tokens';

const ROOT = path.resolve(import.meta.dirname, '..');
const NEXT_BIN = path.join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');
const SERVE = path.join(ROOT, 'scripts', 'serve.mjs');
const DIST_DIR = path.join(ROOT, process.env.NEXT_DIST_DIR || '.next');
const STAMP = path.join(DIST_DIR, 'source-stamp');
const SOURCES = [
  'app',
  'components',
  'lib',
  'ingest',
  'packages/telemetry/src',
  'sql',
  'instrumentation.ts',
  'instrumentation-client.ts',
  'proxy.ts',
  'next.config.mjs',
  'package-lock.json',
  'tsconfig.json',
];

function walk(entry: string, out: string[]): void {
  const full = path.join(ROOT, entry);
  if (!fs.existsSync(full)) return;
  const stat = fs.statSync(full);
  if (stat.isDirectory()) for (const child of fs.readdirSync(full).sort()) walk(path.join(entry, child), out);
  else out.push(`${entry}:${stat.size}:${stat.mtimeMs}`);
}

/** A fingerprint of everything `next build` reads; a changed file means a rebuild. */
export function sourceStamp(): string {
  const files: string[] = [];
  for (const entry of SOURCES) walk(entry, files);
  return createHash('sha256').update(files.join('\n')).digest('hex');
}

export function buildIfNeeded(log: (line: string) => void = console.log): void {
  const stamp = sourceStamp();
  const built = fs.existsSync(path.join(DIST_DIR, 'BUILD_ID')) && fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === stamp;
  if (built) return;
  log('[start] building the app (next build) — the first start takes a minute or two…');
  const result = spawnSync(process.execPath, [NEXT_BIN, 'build'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) throw new Error(`next build failed with exit code ${result.status}`);
  fs.writeFileSync(STAMP, stamp);
}

export function startServer(environment: NodeJS.ProcessEnv, stdio: 'inherit' | 'pipe' = 'inherit'): ChildProcess {
  const e = parseEnv(environment);
  // scripts/serve.mjs: `next start` plus the peer address the SSO header's trust needs (its header says why).
  return spawn(process.execPath, [SERVE], {
    cwd: ROOT,
    stdio: stdio === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    // The embedded engine's sessions each hold a libuv thread while a query runs (lib/clickhouse.ts):
    // Node's default pool of 4 would leave none for file and zlib work under load.
    env: { UV_THREADPOOL_SIZE: '16', ...environment, PORT: String(e.PORT), HOST: e.HOST, NEXT_TELEMETRY_DISABLED: '1' },
  });
}

export async function waitForHealth(baseUrl: string, timeoutMs = 120_000, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(`${baseUrl}/api/v1/health`);
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the server did not become healthy within ${timeoutMs / 1000} s (${last})`);
}

/** True when the store already has events: a second demo run would double the population. */
async function storeHasEvents(baseUrl: string, apiToken: string | undefined): Promise<boolean> {
  const from = new Date(Date.now() - 400 * 86_400_000 + 60_000).toISOString();
  const response = await fetch(`${baseUrl}/api/v1/events?limit=1&from=${encodeURIComponent(from)}`, {
    headers: apiToken ? { authorization: `Bearer ${apiToken}` } : {},
  });
  if (!response.ok) return false;
  const body = (await response.json()) as { events?: unknown[] };
  return (body.events?.length ?? 0) > 0;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      demo: { type: 'boolean', default: false },
      users: { type: 'string', default: '5000' },
      days: { type: 'string', default: '90' },
      seed: { type: 'string', default: '42' },
      force: { type: 'boolean', default: false },
    },
  });
  let e;
  try {
    e = parseEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  // Refuse, before building anything, a configuration that would expose an unguarded install or
  // whose tokens cannot be read.
  const exposure = exposureProblem(e);
  if (exposure) {
    console.error(`[start] refusing to start:\n${exposure}`);
    process.exit(1);
  }
  let tokens: ReturnType<typeof resolveIngestTokens>;
  let readToken: string | undefined;
  try {
    tokens = resolveIngestTokens(e);
    const api = apiTokens(e);
    readToken = (api.read[0] ?? api.admin[0])?.secret;
  } catch (error) {
    if (!(error instanceof TokenConfigError)) throw error;
    console.error(`[start] ${error.message}`);
    process.exit(1);
  }
  buildIfNeeded();
  const child = startServer(process.env);
  const stop = (signal: NodeJS.Signals) => {
    child.kill(signal);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code) => process.exit(code ?? 0));

  const host = e.HOST === '0.0.0.0' ? '127.0.0.1' : e.HOST;
  const baseUrl = `http://${host}:${e.PORT}`;
  await waitForHealth(baseUrl, 180_000, child);
  console.log(`[start] dashboard: ${e.PUBLIC_URL ?? baseUrl}${e.PUBLIC_URL ? ' (passkey sign-in)' : ''}`);
  if (values.demo && !values.force && (await storeHasEvents(baseUrl, readToken))) {
    console.log(
      `[demo] ${e.DATA_DIR} already holds events: not streaming a second population (--force adds one anyway; an empty DATA_DIR starts over)`,
    );
  } else if (values.demo) {
    const { runDemo } = await import('./demo');
    const summary = await runDemo({
      endpoint: baseUrl,
      token: tokens.tokens[0]?.secret ?? '',
      users: Number(values.users),
      days: Number(values.days),
      seed: Number(values.seed),
    });
    if (summary.rejected > 0 || summary.failed > 0) {
      console.warn(`[demo] warning: ${summary.rejected} record(s) rejected and ${summary.failed} lost — the server log says why`);
    }
    console.log(`[demo] done — open ${baseUrl}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((error: unknown) => {
    console.error(`[start] ${(error as Error).message}`);
    process.exit(1);
  });
}
