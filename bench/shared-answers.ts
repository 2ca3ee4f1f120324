/**
 * `npx tsx bench/shared-answers.ts [--data DIR] [--rounds 4] [--viewers 8] [--ingest on|off]`: what
 * shared answers (lib/api/shared-answers.ts) give people who open the same dashboard view at once.
 * Each round, `--viewers` viewers ask the Overview's question of the default view (a preset 28-day
 * window ending at the next whole minute, no filters; a new window each round) at the same moment,
 * as browsers do — once sharing (plain requests), once each computed for itself (`Cache-Control:
 * no-cache`), alternating which goes first. Reported per round and mode: what each viewer waited and
 * how many answers were shared. On the production app over a fresh copy of a benchmark population
 * (default the 10 M one), with the API benchmark's background ingest unless `--ingest off`. Writes
 * bench/results/shared-answers-<date>-<HHMM>.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildIfNeeded } from '../scripts/start';
import { withAppOnCopy } from './api/app';
import { IngestLoad } from './api/ingest-load';
import { log, sleep, summarize } from './api/stats';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '.bench-data/api-10000000/population' },
    rounds: { type: 'string', default: '4' },
    viewers: { type: 'string', default: '8' },
    ingest: { type: 'string', default: 'on' },
  },
});
const ROUNDS = Number(values.rounds);
const VIEWERS = Number(values.viewers);
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

type Mode = 'shared' | 'each computed';

async function ask(url: string, mode: Mode): Promise<{ ms: number; shared: boolean }> {
  const started = performance.now();
  const response = await fetch(url, { headers: mode === 'shared' ? {} : { 'cache-control': 'no-cache' } });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status}`);
  return { ms: Math.round(performance.now() - started), shared: response.headers.get('x-served-from') === 'shared-answer' };
}

buildIfNeeded((line) => console.log(line));
const load = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' / ');
log(
  `shared answers: ${ROUNDS} rounds × 2 modes × ${VIEWERS} viewers of the default Overview; ingest ${values.ingest}; load average ${load}`,
);
const rows: Array<{ round: number; mode: Mode; to: string; viewersMs: number[]; shared: number }> = [];
await withAppOnCopy(path.resolve(values.data), async (app) => {
  const ingest = new IngestLoad(app.baseUrl, app.token);
  try {
    if (values.ingest === 'on') ingest.start();
    await ask(`${app.baseUrl}/api/v1/overview`, 'each computed'); // warm-up: the read plan, the first query of each kind
    for (let round = 0; round < ROUNDS; round += 1) {
      const modes: Mode[] = round % 2 === 0 ? ['shared', 'each computed'] : ['each computed', 'shared'];
      for (const mode of modes) {
        // the default view's window: 28 days to the next whole minute (lib/client/global-params.ts), new each time
        const to = (Math.ceil(Date.now() / MINUTE_MS) + rows.length) * MINUTE_MS;
        const query = new URLSearchParams({ from: new Date(to - 28 * DAY_MS).toISOString(), to: new Date(to).toISOString() });
        const url = `${app.baseUrl}/api/v1/overview?${query}`;
        const viewers = await Promise.all(Array.from({ length: VIEWERS }, () => ask(url, mode)));
        const row = {
          round,
          mode,
          to: new Date(to).toISOString(),
          viewersMs: viewers.map((v) => v.ms),
          shared: viewers.filter((v) => v.shared).length,
        };
        rows.push(row);
        log(`round ${round + 1}, ${mode}: served in ${row.viewersMs.join(', ')} ms; ${row.shared} of ${VIEWERS} shared`);
        await sleep(2000);
      }
    }
  } finally {
    await ingest.stop();
  }
  const ingestSummary = values.ingest === 'on' ? ingest.stats() : null;
  for (const mode of ['shared', 'each computed'] as const) {
    const slowest = rows.filter((r) => r.mode === mode).map((r) => Math.max(...r.viewersMs));
    log(`${mode}: slowest viewer per round ${slowest.join(', ')} ms (median ${summarize(slowest).p50})`);
  }
  log(`ingest: ${JSON.stringify(ingestSummary)}`);
  const stamp = new Date().toISOString();
  const file = `bench/results/shared-answers-${stamp.slice(0, 10)}-${stamp.slice(11, 13)}${stamp.slice(14, 16)}.json`;
  fs.writeFileSync(
    file,
    `${JSON.stringify({ kind: 'shared-answers', startedAt: stamp, load, viewers: VIEWERS, ingest: values.ingest, rows, ingestSummary }, null, 2)}\n`,
  );
  log(`wrote ${file}`);
});
