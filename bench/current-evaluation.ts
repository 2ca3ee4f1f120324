/**
 * `npx tsx bench/current-evaluation.ts [--data DIR] [--rounds 3] [--viewers 8] [--ingest on|off]`:
 * what a viewer of the current stage-gate evaluation (GET /api/v1/stages?trend=0: the Overview's
 * stage panel, the Stage gates page's first paint) waits at a minute boundary, when the windows move
 * on and every query of the evaluation is new (lib/stage-gates/kept-evaluations.ts). Each round
 * waits for the next minute, then `--viewers` viewers ask at once; then one asks every 500 ms until
 * the answer is this minute's. Reported per round: what the viewers waited, which minute they were
 * served, and how long this minute's evaluation took to measure — what each of them waited before
 * it was kept. On the production app over a fresh copy of a benchmark population (default the
 * 10 M one), with the API benchmark's background ingest unless `--ingest off`. Writes
 * bench/results/current-evaluation-<date>-<HHMM>.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildIfNeeded } from '../scripts/start';
import { withAppOnCopy } from './api/app';
import { IngestLoad } from './api/ingest-load';
import { log, sleep } from './api/stats';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '.bench-data/api-10000000/population' },
    rounds: { type: 'string', default: '3' },
    viewers: { type: 'string', default: '8' },
    ingest: { type: 'string', default: 'on' },
  },
});
const ROUNDS = Number(values.rounds);
const VIEWERS = Number(values.viewers);
const MINUTE = 60_000;

async function ask(baseUrl: string): Promise<{ ms: number; evaluatedAt: string }> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/api/v1/stages?trend=0`);
  const body = (await response.json()) as { evaluatedAt?: string };
  if (response.status !== 200 || !body.evaluatedAt)
    throw new Error(`GET /api/v1/stages?trend=0: ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
  return { ms: Math.round(performance.now() - started), evaluatedAt: body.evaluatedAt };
}

const hhmm = (iso: string) => iso.slice(11, 16);

buildIfNeeded((line) => console.log(line));
const load = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' / ');
log(`current evaluation: ${ROUNDS} minute boundaries × ${VIEWERS} viewers; ingest ${values.ingest}; load average ${load}`);
await withAppOnCopy(path.resolve(values.data), async (app) => {
  const ingest = new IngestLoad(app.baseUrl, app.token);
  try {
    if (values.ingest === 'on') ingest.start();
    const first = await ask(app.baseUrl);
    log(`first evaluation after start (nothing kept): ${first.ms} ms, as of ${hhmm(first.evaluatedAt)}`);
    const rounds = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const minute = Math.floor(Date.now() / MINUTE) * MINUTE + MINUTE;
      await sleep(minute - Date.now() + 1000);
      const started = performance.now();
      const viewers = await Promise.all(Array.from({ length: VIEWERS }, () => ask(app.baseUrl)));
      let fresh = viewers.find((v) => Date.parse(v.evaluatedAt) === minute);
      while (!fresh) {
        await sleep(500);
        const next = await ask(app.baseUrl);
        if (Date.parse(next.evaluatedAt) === minute) fresh = next;
      }
      const row = {
        minute: new Date(minute).toISOString(),
        viewersMs: viewers.map((v) => v.ms),
        servedAsOf: [...new Set(viewers.map((v) => hhmm(v.evaluatedAt)))],
        thisMinuteKeptAfterMs: Math.round(performance.now() - started),
      };
      rounds.push(row);
      log(
        `${hhmm(row.minute)}: ${VIEWERS} viewers served in ${row.viewersMs.join(', ')} ms (as of ${row.servedAsOf.join(', ')}); ` +
          `this minute's evaluation kept after ${row.thisMinuteKeptAfterMs} ms`,
      );
    }
    const stamp = new Date().toISOString();
    const file = `bench/results/current-evaluation-${stamp.slice(0, 10)}-${stamp.slice(11, 13)}${stamp.slice(14, 16)}.json`;
    fs.writeFileSync(
      file,
      `${JSON.stringify({ at: stamp, loadAverage: load, viewers: VIEWERS, first, ingest: values.ingest === 'on' ? ingest.stats() : null, rounds }, null, 2)}\n`,
    );
    log(`wrote ${file}`);
  } finally {
    await ingest.stop();
  }
});
