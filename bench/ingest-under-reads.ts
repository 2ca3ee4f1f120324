/**
 * `npx tsx bench/ingest-under-reads.ts [--data DIR] [--variants 0:500,0:250,10:500] [--rounds 2] [--seconds 60] [--readers 4] [--gate-history off]`:
 * ingest latency while readers keep the CPU busy, for each variant `nice:coalesceMs` — QUERY_NICE
 * (the nice value of the reads' threads) and INGEST_COALESCE_MS (how long ingest gathers concurrent
 * requests into one insert); docs/performance.md, "Ingest under read load". With `--readers 0
 * --gate-history off` it measures what ingest alone costs (docs/performance.md, "Coalescing
 * concurrent ingest requests"): only ingest and what it sets off (merges, the ceremony state pass).
 *
 * Each round starts the production app (scripts/serve.mjs, as `npm start`) once per variant, in
 * rotated order, on a fresh copy of an existing benchmark population (default: the 10 M one of
 * `npm run bench:api`); `--readers` loops each ask the dashboard's read endpoints one after another
 * (28-day windows ending at different times, with and without filters) while the API benchmark's
 * background ingest sends OTLP protobuf requests of 100 records, 12 a second. After 5 s of warm-up,
 * `--seconds` are measured: ingest latency p50/p95/p99/max, reads answered and their median, and
 * the CPU of the server's process tree (Linux /proc, % of one core).
 * Writes bench/results/ingest-under-reads-<date>-<HHMM>.json. Needs a quiet machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildIfNeeded } from '../scripts/start';
import { withAppOnCopy } from './api/app';
import { IngestLoad, type IngestStats } from './api/ingest-load';
import { log, sleep, summarize, type Summary } from './api/stats';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '.bench-data/api-10000000/population' },
    variants: { type: 'string', default: '0:500,0:250,10:500' },
    rounds: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '60' },
    readers: { type: 'string', default: '4' },
    'gate-history': { type: 'string', default: 'on' },
  },
});
const source = path.resolve(values.data);
interface Variant {
  nice: number;
  coalesceMs: number;
}
const variants: Variant[] = values.variants.split(',').map((v) => {
  const [nice, coalesceMs] = v.split(':').map(Number);
  if (!Number.isInteger(nice) || !Number.isInteger(coalesceMs)) throw new Error(`--variants: "${v}" is not nice:coalesceMs`);
  return { nice: nice!, coalesceMs: coalesceMs! };
});
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const readers = Number(values.readers);
const gateHistory = values['gate-history'];
if (gateHistory !== 'on' && gateHistory !== 'off') throw new Error('--gate-history: on or off');

const DAY = 86_400_000;
const PATHS = [
  '/api/v1/overview',
  '/api/v1/signin',
  '/api/v1/registration',
  '/api/v1/failures',
  '/api/v1/cohorts/fallback',
  '/api/v1/support/drivers',
  '/api/v1/journeys',
];
const FILTERS: Array<Record<string, string>> = [{}, { deviceClass: 'mobile-ios' }, { riskTier: 'standard' }];

/** The i-th read: the endpoints in turn, each over a 28-day window ending a different number of minutes ago. */
function readUrl(baseUrl: string, i: number): string {
  const to = new Date(Date.now() - ((i * 37) % 600) * 60_000);
  const params = new URLSearchParams({
    from: new Date(to.getTime() - 28 * DAY).toISOString(),
    to: to.toISOString(),
    ...FILTERS[Math.floor(i / PATHS.length) % FILTERS.length],
  });
  return `${baseUrl}${PATHS[i % PATHS.length]}?${params}`;
}

interface Run extends Variant {
  round: number;
  ingest: IngestStats;
  /** the reads started in the measured interval */
  reads: Summary & { answered: number; errors: number };
  /** the server's process tree over the measured interval, % of one core */
  cpuPercent: number;
}

/** CPU ticks (1/100 s) of a process and all its descendants (Linux /proc). */
function treeTicks(root: number): number {
  const parent = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(entry), Number(fields[1]));
      ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
    } catch {
      // gone meanwhile
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p)) if (p === root) return true;
    return false;
  };
  let total = 0;
  for (const [pid, t] of ticks) if (inTree(pid)) total += t;
  return total;
}

async function measure(variant: Variant, round: number): Promise<Run> {
  process.env.QUERY_NICE = String(variant.nice);
  process.env.INGEST_COALESCE_MS = String(variant.coalesceMs);
  process.env.GATE_HISTORY = gateHistory;
  return withAppOnCopy(source, async (app) => ({ ...variant, round, ...(await readAndIngest(app.baseUrl, app.token, app.child.pid!)) }));
}

/** Readers and background ingest against a running app: warm-up, then the measured interval. */
async function readAndIngest(baseUrl: string, token: string, serverPid: number): Promise<Pick<Run, 'ingest' | 'reads' | 'cpuPercent'>> {
  const reads: Array<{ start: number; ms: number; ok: boolean }> = [];
  let stopping = false;
  let seq = 0;
  const loops = Array.from({ length: readers }, async () => {
    while (!stopping) {
      const i = seq++;
      const start = performance.now();
      let ok = false;
      try {
        const response = await fetch(readUrl(baseUrl, i), { signal: AbortSignal.timeout(120_000) });
        await response.arrayBuffer();
        ok = response.status === 200;
      } catch {
        ok = false;
      }
      reads.push({ start, ms: performance.now() - start, ok });
    }
  });
  const ingest = new IngestLoad(baseUrl, token);
  ingest.start();
  await sleep(5_000);
  const from = performance.now();
  const ticksBefore = treeTicks(serverPid);
  await sleep(seconds * 1000);
  const ticksAfter = treeTicks(serverPid);
  const to = performance.now();
  stopping = true;
  await ingest.stop();
  await Promise.all(loops);
  const measured = reads.filter((r) => r.start >= from && r.start <= to);
  return {
    cpuPercent: Math.round((ticksAfter - ticksBefore) / ((to - from) / 1000)),
    ingest: ingest.stats(from, to),
    reads: {
      ...summarize(measured.filter((r) => r.ok).map((r) => r.ms)),
      answered: measured.filter((r) => r.ok).length,
      errors: measured.filter((r) => !r.ok).length,
    },
  };
}

buildIfNeeded((line) => console.log(line));
const runs: Run[] = [];
const load = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' / ');
const label = (v: Variant) => `nice ${v.nice}, coalesce ${v.coalesceMs} ms`;
log(
  `ingest under reads: ${variants.map(label).join('; ')}, ${rounds} rounds of ${seconds} s, ${readers} readers, ` +
    `stage-gate history ${gateHistory}; load average ${load}`,
);
for (let round = 1; round <= rounds; round++) {
  const order = variants.map((_, k) => variants[(k + round - 1) % variants.length]!);
  for (const variant of order) {
    const run = await measure(variant, round);
    runs.push(run);
    log(
      `round ${round}, ${label(variant)}: ingest p50 ${run.ingest.p50} / p95 ${run.ingest.p95} / p99 ${run.ingest.p99} / max ${run.ingest.max} ms ` +
        `(${run.ingest.requests} requests, ${run.ingest.errors} errors, ${run.ingest.eventsPerSecond} events/s); ` +
        `reads answered ${run.reads.answered} (median ${run.reads.answered ? run.reads.p50 : '—'} ms, ${run.reads.errors} errors); server CPU ${run.cpuPercent} % of a core`,
    );
  }
}

console.log(
  '\n| `QUERY_NICE` | `INGEST_COALESCE_MS` | round | ingest p50 | p95 | p99 | max | ingest events/s | reads answered | read p50 | server CPU, % of a core |',
);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of [...runs].sort((a, b) => a.nice - b.nice || b.coalesceMs - a.coalesceMs || a.round - b.round)) {
  console.log(
    `| ${r.nice} | ${r.coalesceMs} | ${r.round} | ${r.ingest.p50} | ${r.ingest.p95} | ${r.ingest.p99} | ${r.ingest.max} | ${r.ingest.eventsPerSecond} | ${r.reads.answered} | ${r.reads.answered ? r.reads.p50 : '—'} | ${r.cpuPercent} |`,
  );
}
const stamp = new Date().toISOString();
const file = `bench/results/ingest-under-reads-${stamp.slice(0, 10)}-${stamp.slice(11, 13)}${stamp.slice(14, 16)}.json`;
fs.writeFileSync(file, `${JSON.stringify({ at: stamp, loadAverage: load, source, seconds, readers, gateHistory, runs }, null, 2)}\n`);
log(`wrote ${file}`);
