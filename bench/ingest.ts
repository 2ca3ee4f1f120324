/**
 * `npm run bench:ingest` — the app's OTLP ingest on the embedded engine against the engine's own insert
 * of the same rows (issue 8, DESIGN.md section 9):
 *
 *   npm run bench:ingest
 *   npm run bench:ingest -- --rounds 5 --requests 40 --batch 1000 --concurrency 2
 *
 * Paths, each sending --requests requests of --batch records:
 *   protobuf   OTLP/HTTP protobuf requests to the production server, --concurrency at a time
 *   json       the same requests as OTLP/HTTP JSON
 *   raw        the engine alone (bench/ingest-engine.ts raw): the same rows, decoded and mapped by the
 *              app's code and serialized before the clock starts, inserted through the app's ingest
 *              client one request at a time, in four formats — JSONCompactEachRow (the app's own),
 *              TabSeparated, JSONEachRow, JSONColumns; the fastest of them is the yardstick
 *
 * What makes it fair:
 *   - identical rows: request r holds the records benchRecords(batch, `r<r>`, now) with one `now` for
 *     the whole run, on every path and in every round; each path of each round gets a fresh data
 *     directory, so nothing is deduplicated and every path inserts into empty tables;
 *   - alternating rounds (--rounds, at least 5): every round measures all three paths, in an order
 *     rotated from round to round, so the machine's drift falls on all of them alike; figures are the
 *     median and the spread (lowest – highest) over the rounds, and each round's ratios compare paths
 *     of that round;
 *   - no merges while timing: background merges are switched off in every data directory before it
 *     is used (bench/ingest-engine.ts prepare); the parts counted afterwards show that none ran;
 *   - the server does ingest only (STATE_PASSES, ALERTS and GATE_HISTORY off) and gets two warm-up
 *     requests before its clock starts, as the raw path gets two warm-up inserts.
 * RSS: the server's process tree, sampled every 100 ms from its start to its stop.
 * Writes bench/results/ingest-<date>-<HHMM>.json and prints the table for docs/performance.md.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildIfNeeded, startServer, waitForHealth } from '../scripts/start';
import { otlpJson, otlpProtobuf } from '../tests/helpers/otlp';
import { BENCH_RESOURCE, BENCH_TOKEN_NAME, benchRecords, RAW_FORMATS, requestPrefix } from './ingest-fixtures';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    requests: { type: 'string', default: '40' },
    batch: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '2' },
    port: { type: 'string', default: '3217' },
  },
});
const ROUNDS = Number(values.rounds);
const REQUESTS = Number(values.requests);
const BATCH = Number(values.batch);
const CONCURRENCY = Number(values.concurrency);
for (const [name, value, least] of [
  ['--rounds', ROUNDS, 1],
  ['--requests', REQUESTS, 1],
  ['--batch', BATCH, 1],
  ['--concurrency', CONCURRENCY, 1],
] as const) {
  if (!Number.isInteger(value) || value < least) {
    console.error(`${name} must be a whole number of at least ${least}`);
    process.exit(2);
  }
}
if (ROUNDS < 5) console.warn(`[bench] note: ${ROUNDS} rounds; the goal's figures need at least 5`);

const SECRET = 'bench-ingest-secret';
const GOALS = { protobufRatio: 0.8, jsonRatio: 0.6, rssBytes: 1024 ** 3, stretchEventsPerSecond: 25_000 };
type ServerPath = 'protobuf' | 'json';
type Path = ServerPath | 'raw';
const PATHS: readonly Path[] = ['protobuf', 'json', 'raw'];

interface Body {
  body: Uint8Array<ArrayBuffer> | string;
  type: string;
}
interface ServerRun {
  seconds: number;
  rate: number;
  maxRssBytes: number;
  parts: number;
  mergedParts: number;
}
interface RoundResult {
  round: number;
  order: Path[];
  protobuf: ServerRun;
  json: ServerRun;
  /** rows/s per raw format */
  raw: Record<string, number>;
}

const log = (line: string) => console.log(`[bench] ${line}`);
const fmt = (value: number) => Math.round(value).toLocaleString('en');

function engine(command: 'prepare' | 'raw' | 'count', dir: string, extra: string[] = []): unknown {
  const child = spawnSync(
    path.join(ROOT, 'node_modules', '.bin', 'tsx'),
    [path.join(ROOT, 'bench', 'ingest-engine.ts'), command, dir, ...extra],
    {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (child.status !== 0) throw new Error(`bench/ingest-engine.ts ${command} failed (exit ${child.status}): ${child.stderr.slice(-2000)}`);
  const last = child.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last);
}

/** RSS of a process and its descendants (Linux /proc), in bytes. */
function treeRss(rootPid: number): number {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended meanwhile
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parents.get(p)) if (p === rootPid) return true;
    return false;
  };
  let bytes = 0;
  for (const pid of parents.keys()) {
    if (!inTree(pid)) continue;
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) bytes += Number(match[1]) * 1024;
    } catch {
      // ended meanwhile
    }
  }
  return bytes;
}

async function send(baseUrl: string, bodies: Body[]): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const item = bodies[next++]!;
        const response = await fetch(`${baseUrl}/v1/logs`, {
          method: 'POST',
          body: item.body,
          headers: { 'content-type': item.type, authorization: `Bearer ${SECRET}` },
        });
        const text = await response.text();
        if (response.status !== 200 || text.includes('rejected'))
          throw new Error(`ingest answered ${response.status}: ${text.slice(0, 200)}`);
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function serverPath(kind: ServerPath, warmUp: Body[], timed: Body[]): Promise<ServerRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pa-bench-ingest-${kind}-`));
  try {
    engine('prepare', dir);
    const baseUrl = `http://127.0.0.1:${values.port}`;
    const child = startServer(
      {
        ...process.env,
        PORT: values.port,
        HOST: '127.0.0.1',
        DATA_DIR: dir,
        CLICKHOUSE_URL: '',
        INGEST_TOKENS: `${BENCH_TOKEN_NAME}:${SECRET}`,
        STATE_PASSES: 'off',
        ALERTS: 'off',
        GATE_HISTORY: 'off',
      },
      'pipe',
    );
    let maxRssBytes = 0;
    const sampler = setInterval(() => (maxRssBytes = Math.max(maxRssBytes, treeRss(child.pid!))), 100);
    let seconds: number;
    try {
      await waitForHealth(baseUrl, 120_000, child);
      await send(baseUrl, warmUp);
      seconds = await send(baseUrl, timed);
    } finally {
      await stop(child);
      clearInterval(sampler);
    }
    const stored = engine('count', dir) as { rows: number; parts: number; merges: number };
    const expected = (warmUp.length + timed.length) * BATCH;
    if (stored.rows !== expected) throw new Error(`${kind}: ${stored.rows} rows stored, ${expected} sent`);
    return { seconds, rate: (timed.length * BATCH) / seconds, maxRssBytes, parts: stored.parts, mergedParts: stored.merges };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function rawPath(now: number): Record<string, number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-bench-ingest-raw-'));
  try {
    const seconds = engine('raw', dir, ['--requests', String(REQUESTS), '--batch', String(BATCH), '--now', String(now)]) as Record<
      string,
      number
    >;
    return Object.fromEntries(Object.entries(seconds).map(([format, s]) => [format, (REQUESTS * BATCH) / s]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const spread = (xs: number[], f: (v: number) => string) => `${f(Math.min(...xs))} – ${f(Math.max(...xs))}`;
const fastestRaw = (r: RoundResult) => Math.max(...Object.values(r.raw));

async function main(): Promise<void> {
  buildIfNeeded();
  const load = os.loadavg();
  log(
    `${ROUNDS} rounds × ${REQUESTS} requests × ${BATCH} records per path, concurrency ${CONCURRENCY}, Node ${process.version}, ` +
      `${os.cpus().length} cores, load average ${load.map((v) => v.toFixed(2)).join(' / ')}`,
  );
  const now = Date.now() - 60_000;
  const records = Array.from({ length: REQUESTS }, (_, r) => benchRecords(BATCH, requestPrefix(r), now));
  const warmRecords = ['w0', 'w1'].map((prefix) => benchRecords(BATCH, prefix, now));
  const protobuf = (rs: typeof records) => rs.map((r) => ({ body: otlpProtobuf(r, BENCH_RESOURCE), type: 'application/x-protobuf' }));
  const json = (rs: typeof records) => rs.map((r) => ({ body: JSON.stringify(otlpJson(r, BENCH_RESOURCE)), type: 'application/json' }));
  const bodies: Record<ServerPath, { warmUp: Body[]; timed: Body[] }> = {
    protobuf: { warmUp: protobuf(warmRecords), timed: protobuf(records) },
    json: { warmUp: json(warmRecords), timed: json(records) },
  };

  const rounds: RoundResult[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const order = PATHS.map((_, i) => PATHS[(i + round - 1) % PATHS.length]!);
    const result: Partial<RoundResult> = { round, order };
    for (const kind of order) {
      if (kind === 'raw') result.raw = rawPath(now);
      else result[kind] = await serverPath(kind, bodies[kind].warmUp, bodies[kind].timed);
    }
    const r = result as RoundResult;
    rounds.push(r);
    log(
      `round ${round} (${order.join(', ')}): protobuf ${fmt(r.protobuf.rate)}/s, json ${fmt(r.json.rate)}/s, raw ` +
        Object.entries(r.raw)
          .map(([format, rate]) => `${format} ${fmt(rate)}/s`)
          .join(', ') +
        ` · parts ${r.protobuf.parts} / ${r.json.parts} (merged ${r.protobuf.mergedParts + r.json.mergedParts}) · server RSS ≤ ${fmt(
          Math.max(r.protobuf.maxRssBytes, r.json.maxRssBytes) / 2 ** 20,
        )} MiB`,
    );
  }

  const rate = (pick: (r: RoundResult) => number) => rounds.map(pick);
  const ratio = (kind: ServerPath) => rounds.map((r) => r[kind].rate / fastestRaw(r));
  const rss = Math.max(...rounds.flatMap((r) => [r.protobuf.maxRssBytes, r.json.maxRssBytes]));
  const merged = rounds.reduce((n, r) => n + r.protobuf.mergedParts + r.json.mergedParts, 0);
  const rows: Array<[string, number[], (v: number) => string]> = [
    ['OTLP protobuf ingest, events/s', rate((r) => r.protobuf.rate), fmt],
    ['OTLP JSON ingest, events/s', rate((r) => r.json.rate), fmt],
    ...RAW_FORMATS.map((format): [string, number[], (v: number) => string] => [
      `raw insert, ${format}, rows/s`,
      rate((r) => r.raw[format]!),
      fmt,
    ]),
    ['fastest raw format of the round, rows/s', rate(fastestRaw), fmt],
    ['ratio protobuf / fastest raw (same round)', ratio('protobuf'), (v) => v.toFixed(2)],
    ['ratio JSON / fastest raw (same round)', ratio('json'), (v) => v.toFixed(2)],
  ];
  console.log('\n| path | median | spread (lowest – highest) |\n|---|---:|---:|');
  for (const [name, xs, f] of rows) console.log(`| ${name} | ${f(median(xs))} | ${spread(xs, f)} |`);
  const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
  const protoRatio = median(ratio('protobuf'));
  const jsonRatio = median(ratio('json'));
  const protoRate = median(rate((r) => r.protobuf.rate));
  console.log(
    `\ngoals: protobuf ≥ ${GOALS.protobufRatio} × fastest raw: ${protoRatio.toFixed(2)} ${verdict(protoRatio >= GOALS.protobufRatio)}; ` +
      `JSON ≥ ${GOALS.jsonRatio} ×: ${jsonRatio.toFixed(2)} ${verdict(jsonRatio >= GOALS.jsonRatio)}; ` +
      `server RSS ≤ 1 GiB: ${fmt(rss / 2 ** 20)} MiB at most ${verdict(rss <= GOALS.rssBytes)}; ` +
      `stretch ≥ ${fmt(GOALS.stretchEventsPerSecond)} events/s: ${fmt(protoRate)} ${verdict(protoRate >= GOALS.stretchEventsPerSecond)}; ` +
      `merged parts while timing: ${merged}`,
  );
  const stamp = new Date().toISOString();
  const file = path.join(ROOT, 'bench', 'results', `ingest-${stamp.slice(0, 10)}-${stamp.slice(11, 13)}${stamp.slice(14, 16)}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    `${JSON.stringify({ startedAt: new Date(now + 60_000).toISOString(), loadAverage: load, options: { ROUNDS, REQUESTS, BATCH, CONCURRENCY }, rounds }, null, 2)}\n`,
  );
  log(`results: ${path.relative(ROOT, file)}`);
}

main().catch((error: unknown) => {
  console.error(`[bench] ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
