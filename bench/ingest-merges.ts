/**
 * `npx tsx bench/ingest-merges.ts <data dir> [--seconds 30] [--rounds 2]`: what a steady ingest of
 * 1,200 events/s costs the embedded engine's CPU when it arrives as 12 requests of 100 records per
 * second (one insert each, as ingest stores a request today) against one insert of 1,200 rows per
 * second — the same rows, alternating rounds, CPU time per engine thread (Linux /proc) divided by
 * the round's length. Stop the app first: one process per data directory. Run it on a copy of a
 * benchmark population (e.g. .bench-data/api-10000000/population): the rows stay in it.
 *
 * Why it is here: under the API benchmark's background ingest the engine's merge threads took most
 * of a core (docs/performance.md, "Where ingest's CPU goes"); this isolates the cause.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { decodeJson } from '../ingest/decode';
import { insertEvents } from '../ingest/sink';
import { mapRecords } from '../ingest/to-rows';
import { storage } from '../lib/clickhouse';
import { otlpJson } from '../tests/helpers/otlp';
import { benchRecords } from './ingest-fixtures';
import { openBenchStore } from './open-store';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { seconds: { type: 'string', default: '30' }, rounds: { type: 'string', default: '2' } },
});
const SECONDS = Number(values.seconds);
const bench = await openBenchStore(positionals[0]);
const { ingestClient } = storage();

/** CPU ticks (1/100 s) per thread name of this process, digits stripped (MergeMutate3 → MergeMutate). */
function threadTicks(): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const tid of fs.readdirSync('/proc/self/task')) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/[0-9]+$/, '');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(name, (ticks.get(name) ?? 0) + Number(fields[11]) + Number(fields[12]));
    } catch {
      // the thread ended meanwhile
    }
  }
  return ticks;
}

const rowsOf = (count: number, prefix: string) =>
  mapRecords(decodeJson(JSON.stringify(otlpJson(benchRecords(count, prefix)))), Date.now()).rows;

const shapes = [
  { label: '12 inserts/s × 100 rows', perSecond: 12, size: 100 },
  { label: '1 insert/s × 1,200 rows', perSecond: 1, size: 1_200 },
];
console.log(`${SECONDS} s per round, 1,200 events/s; CPU % of one core by engine thread`);
for (let round = 0; round < Number(values.rounds); round += 1) {
  for (const { label, perSecond, size } of shapes) {
    const batches = Array.from({ length: SECONDS * perSecond }, (_, i) => rowsOf(size, `im${process.pid}-${round}-${perSecond}-${i}`));
    const before = threadTicks();
    const started = performance.now();
    for (let i = 0; i < batches.length; i += 1) {
      const wait = started + (i * 1000) / perSecond - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      await insertEvents(ingestClient, batches[i]!, `im-${process.pid}-${round}-${perSecond}-${i}`);
    }
    const seconds = (performance.now() - started) / 1000;
    const used = [...threadTicks()]
      .map(([name, ticks]) => [name, (ticks - (before.get(name) ?? 0)) / seconds] as const)
      .filter(([, percent]) => percent >= 1)
      .sort((a, b) => b[1] - a[1]);
    const total = used.reduce((sum, [, percent]) => sum + percent, 0);
    console.log(
      `round ${round + 1}, ${label}: ${total.toFixed(0)} % in all — ${used.map(([n, p]) => `${n} ${p.toFixed(0)} %`).join(', ')}`,
    );
  }
}
await bench.close();
