/**
 * `npx tsx bench/early-reads.ts [--data DIR] [--delay 1500] [--rounds 4] [--ingest on|off]`: what a
 * page gains from its first read being started by the server while it renders the page
 * (app/(product)/first-reads.ts), without a browser on the same two cores: for each page with first
 * reads, the time from the document request to the answer of the page's first read when the page's
 * script asks it `--delay` ms later (a browser elsewhere loading and running the page's JavaScript:
 * 1.3–2.9 s on the benchmark machine) — **early**: the document is requested as a browser does
 * (`Sec-Fetch-Dest: document`), so the server starts the read; **late**: as before, the read starts
 * only when the script asks (the document requested as a script would, which starts nothing).
 * Alternating rounds, each on its own custom window (so neither finds the other's answers in a
 * cache), on the production app over a fresh copy of a benchmark population (default the 10 M one),
 * with the API benchmark's background ingest unless `--ingest off`. Writes
 * bench/results/early-reads-<date>-<HHMM>.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildIfNeeded } from '../scripts/start';
import { apiUrl } from '../lib/client/api';
import type { ApiQuery } from '../lib/client/api-query';
import { parseGlobalParams } from '../lib/client/global-params';
import { overviewQuery, registrationQuery, signinQuery, type MetricsParams } from '../lib/client/query-options';
import { journeysQuery } from '../lib/client/journeys';
import { recoveryQuery } from '../lib/client/recovery';
import { retentionQuery } from '../lib/client/retention';
import { securityQuery } from '../lib/client/security';
import { withAppOnCopy } from './api/app';
import { IngestLoad } from './api/ingest-load';
import { log, percentile, sleep } from './api/stats';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '.bench-data/api-10000000/population' },
    delay: { type: 'string', default: '1500' },
    rounds: { type: 'string', default: '4' },
    ingest: { type: 'string', default: 'on' },
  },
});
const DELAY = Number(values.delay);
const ROUNDS = Number(values.rounds);
const DAY = 86_400_000;
const MINUTE = 60_000;

/** The pages and the first read each starts (as their page.tsx files do, on a custom window). */
const PAGES: Array<{ path: string; read: (params: MetricsParams) => ApiQuery }> = [
  { path: '/', read: overviewQuery },
  { path: '/registration', read: (p) => registrationQuery({ ...p, groupBy: 'deviceClass' }) },
  { path: '/signin', read: signinQuery },
  { path: '/retention', read: retentionQuery },
  { path: '/journeys', read: (p) => journeysQuery({ ...p, kind: 'sign_in' }) },
  { path: '/recovery', read: (p) => recoveryQuery({ ...p, interval: 'day' }) },
  { path: '/security', read: securityQuery },
];

const DOCUMENT = { 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate' };

async function pageLoad(baseUrl: string, page: (typeof PAGES)[number], window: { from: string; to: string }, early: boolean) {
  const search = new URLSearchParams(window);
  const { tz, filters } = parseGlobalParams(search, Date.now());
  const { api } = page.read({ ...window, tz, filters });
  const started = performance.now();
  const document = fetch(`${baseUrl}${page.path}?${search}`, { headers: early ? DOCUMENT : {} }).then((r) => r.text());
  await sleep(DELAY);
  const response = await fetch(`${baseUrl}${apiUrl(api.path, api.params)}`);
  await response.text();
  const ms = performance.now() - started;
  await document;
  return { ms: Math.round(ms), status: response.status, servedFrom: response.headers.get('x-served-from') };
}

buildIfNeeded((line) => console.log(line));
const load = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' / ');
log(
  `early reads: ${PAGES.length} pages × ${ROUNDS} rounds × early / late, script asks ${DELAY} ms after the document; ingest ${values.ingest}; load average ${load}`,
);
await withAppOnCopy(path.resolve(values.data), async (app) => {
  const ingest = new IngestLoad(app.baseUrl, app.token);
  try {
    if (values.ingest === 'on') ingest.start();
    // warm the server (first compiles, first reads of each route)
    const end = Math.floor(Date.now() / MINUTE) * MINUTE;
    for (const page of PAGES)
      await pageLoad(app.baseUrl, page, { from: new Date(end - 29 * DAY).toISOString(), to: new Date(end - DAY).toISOString() }, false);
    const rows = [];
    let shift = 0;
    for (const page of PAGES) {
      const times: Record<'early' | 'late', number[]> = { early: [], late: [] };
      for (let round = 0; round < ROUNDS; round += 1) {
        for (const mode of round % 2 === 0 ? (['early', 'late'] as const) : (['late', 'early'] as const)) {
          shift += 1; // a window of its own: 28 days ending `shift` minutes before now
          const to = end - shift * MINUTE;
          const result = await pageLoad(
            app.baseUrl,
            page,
            { from: new Date(to - 28 * DAY).toISOString(), to: new Date(to).toISOString() },
            mode === 'early',
          );
          if (result.status !== 200) throw new Error(`${page.path}: ${result.status}`);
          if ((result.servedFrom === 'early-read') !== (mode === 'early'))
            throw new Error(`${page.path} ${mode}: served from ${result.servedFrom}`);
          times[mode].push(result.ms);
        }
      }
      const row = {
        page: page.path,
        early: times.early,
        late: times.late,
        earlyMedian: percentile(times.early, 50),
        lateMedian: percentile(times.late, 50),
      };
      rows.push(row);
      log(`${page.path.padEnd(14)} early ${times.early.join(', ')} · late ${times.late.join(', ')} ms`);
    }
    console.log(`\n| page | early read: median (runs), ms | read started by the script: median (runs), ms |\n|---|---:|---:|`);
    for (const r of rows)
      console.log(`| \`${r.page}\` | ${r.earlyMedian} (${r.early.join(', ')}) | ${r.lateMedian} (${r.late.join(', ')}) |`);
    const stamp = new Date().toISOString();
    const file = `bench/results/early-reads-${stamp.slice(0, 10)}-${stamp.slice(11, 13)}${stamp.slice(14, 16)}.json`;
    fs.writeFileSync(
      file,
      `${JSON.stringify({ at: stamp, loadAverage: load, delayMs: DELAY, ingest: values.ingest === 'on' ? ingest.stats() : null, pages: rows }, null, 2)}\n`,
    );
    log(`wrote ${file}`);
  } finally {
    await ingest.stop();
  }
});
