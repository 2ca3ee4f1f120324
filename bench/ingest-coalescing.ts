/**
 * `npx tsx bench/ingest-coalescing.ts <population dir> [--seconds 60] [--rounds 2] [--rate 12] [--batch 100] [--modes 0,200]`:
 * what coalescing concurrent ingest requests (INGEST_COALESCE_MS, ingest/coalescer.ts) changes for
 * the production app under the API benchmark's background ingest (12 protobuf requests/s × 100
 * records): the CPU of the server's process tree (Linux /proc, % of one core), request latency
 * p50 / p99 and the events/s acknowledged — one insert per request (`INGEST_COALESCE_MS=0`) against
 * the default (or the `--modes` given), in alternating rounds on one copy of the population (the app restarted per round,
 * 10 s of load before measuring). The stage-gate backfill is off (`GATE_HISTORY=off`) so that only
 * ingest and what it sets off (merges, the ceremony state pass) is measured.
 *
 * The population directory is copied first (to <dir>.coalescing, removed at the end).
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { buildIfNeeded } from '../scripts/start';
import { startApp } from './api/app';
import { IngestLoad } from './api/ingest-load';
import { copyDir } from './api/population';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seconds: { type: 'string', default: '60' },
    rounds: { type: 'string', default: '2' },
    rate: { type: 'string', default: '12' },
    batch: { type: 'string', default: '100' },
    modes: { type: 'string', default: '0,500' },
  },
});
const SECONDS = Number(values.seconds);
const WARM_UP_MS = 10_000;
const source = positionals[0];
if (!source || !fs.existsSync(source)) throw new Error('usage: npx tsx bench/ingest-coalescing.ts <population dir> [--seconds 60]');

/** CPU ticks (1/100 s) of a process and all its descendants. */
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

buildIfNeeded((line) => console.log(line));
const dataDir = `${source.replace(/\/$/, '')}.coalescing`;
fs.rmSync(dataDir, { recursive: true, force: true });
copyDir(source, dataDir);
const logFile = `${dataDir}.log`;
console.log(
  `# ${new Date().toISOString()} — ${values.rate} requests/s × ${values.batch} records, ${SECONDS} s per round, load average ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
);
console.log('| round | INGEST_COALESCE_MS | CPU, % of one core | p50 ms | p99 ms | events/s | errors |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
try {
  for (let round = 1; round <= Number(values.rounds); round++) {
    for (const coalesceMs of values.modes.split(',')) {
      process.env.INGEST_COALESCE_MS = coalesceMs;
      process.env.GATE_HISTORY = 'off';
      const app = await startApp(dataDir, logFile);
      try {
        const load = new IngestLoad(app.baseUrl, app.token, {
          requestsPerSecond: Number(values.rate),
          batch: Number(values.batch),
          maxInFlight: 64,
        });
        load.start();
        await sleep(WARM_UP_MS);
        const from = performance.now();
        const before = treeTicks(app.child.pid!);
        await sleep(SECONDS * 1000);
        const after = treeTicks(app.child.pid!);
        const to = performance.now();
        await load.stop();
        const stats = load.stats(from, to);
        const cpu = ((after - before) / ((to - from) / 1000)).toFixed(0);
        console.log(
          `| ${round} | ${coalesceMs} | ${cpu} | ${stats.p50.toFixed(0)} | ${stats.p99.toFixed(0)} | ${stats.eventsPerSecond} | ${stats.errors} |`,
        );
      } finally {
        await app.stop();
      }
    }
  }
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
