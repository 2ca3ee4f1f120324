/**
 * `npx tsx bench/page-timeline.ts [--data DIR] [--pages /,/signin] [--ingest on|off]`: where each
 * dashboard page's time to its first filled chart goes — the HTML, the scripts (DOMContentLoaded,
 * load), when the page sends its first read API request, when each of them answers, and the first
 * filled chart — measured as `npm run bench:api` measures the first filled chart (bench/api/browser.ts:
 * a warm server, a fresh browser context per page), on the production app over a fresh copy of a
 * benchmark population (default: the 10 M one), with the API benchmark's background ingest (12
 * OTLP protobuf requests/s × 100 records) unless `--ingest off`. docs/performance.md, "Where a
 * page's first chart waits". Writes bench/results/page-timeline-<date>-<HHMM>.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildIfNeeded } from '../scripts/start';
import { withAppOnCopy } from './api/app';
import { dashboardPages, measurePages } from './api/browser';
import { IngestLoad } from './api/ingest-load';
import { log } from './api/stats';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '.bench-data/api-10000000/population' },
    pages: { type: 'string', default: '' },
    ingest: { type: 'string', default: 'on' },
  },
});
const source = path.resolve(values.data);
if (values.ingest !== 'on' && values.ingest !== 'off') throw new Error('--ingest: on or off');
const wanted = values.pages ? values.pages.split(',') : null;
const pages = dashboardPages('').filter((page) => !page.path.startsWith('/lookup') && (!wanted || wanted.includes(page.path)));
if (pages.length === 0)
  throw new Error(
    `--pages: none of ${values.pages} is a dashboard page (${dashboardPages('')
      .map((p) => p.path)
      .join(', ')})`,
  );

buildIfNeeded((line) => console.log(line));
const load = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' / ');
log(`page timeline: ${pages.map((p) => p.path).join(', ')}; background ingest ${values.ingest}; load average ${load}`);
await withAppOnCopy(source, async (app) => {
  const ingest = new IngestLoad(app.baseUrl, app.token);
  try {
    if (values.ingest === 'on') ingest.start();
    const results = await measurePages(app.baseUrl, pages);
    console.log(
      "\n| page | HTML | DOMContentLoaded | load | first API request sent | the page's API answers arrived | first filled chart |",
    );
    console.log('|---|---:|---:|---:|---:|---|---:|');
    for (const r of results) {
      const requests = r.timeline?.apiRequests ?? [];
      const firstSent = requests.length > 0 ? Math.min(...requests.map((q) => q.startMs)) : '—';
      const answers = [...requests].sort((x, y) => x.endMs - y.endMs).map((q) => `${q.path.replace('/api/v1/', '')} ${q.endMs}`);
      console.log(
        `| ${r.name} | ${r.timeline?.htmlMs ?? '—'} | ${r.timeline?.domContentLoadedMs ?? '—'} | ${r.timeline?.loadMs ?? '—'} | ` +
          `${firstSent} | ${answers.join(', ') || '—'} | ${r.firstFilledMs ?? `— ${r.error ?? ''}`} |`,
      );
    }
    const stamp = new Date().toISOString();
    const file = `bench/results/page-timeline-${stamp.slice(0, 10)}-${stamp.slice(11, 13)}${stamp.slice(14, 16)}.json`;
    const ingestStats = values.ingest === 'on' ? ingest.stats() : null;
    fs.writeFileSync(file, `${JSON.stringify({ at: stamp, loadAverage: load, source, ingest: ingestStats, pages: results }, null, 2)}\n`);
    log(`wrote ${file}`);
  } finally {
    await ingest.stop();
  }
});
