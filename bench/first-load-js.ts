/**
 * First-load JavaScript per dashboard page, quickly, against a running app (no population needed:
 * the bytes a page loads do not depend on its data):
 *
 *   npx tsx bench/first-load-js.ts http://127.0.0.1:3000
 *
 * For each page, in a fresh Chromium context: every script requested before the page's load event,
 * gzip-compressed here (zlib, default level), and the scripts requested after it (lazy chunks such
 * as the charts, route prefetches). The full benchmark (`npm run bench:api`) measures the same on
 * its population, together with the first filled chart.
 */
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/helpers/chromium';

const PAGES = [
  '/',
  '/registration',
  '/signin',
  '/retention',
  '/journeys',
  '/failures',
  '/recovery',
  '/security',
  '/stages',
  '/alerts',
  '/lookup',
  '/quarantine',
];
const GOAL_KB = 250;

const base = process.argv[2];
if (!base) {
  console.error('usage: npx tsx bench/first-load-js.ts <app URL>');
  process.exit(2);
}
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
console.log('| page | first-load JS, KB gzip | files | verdict (≤ 250) | after load, KB gzip |');
console.log('|---|---:|---:|---|---:|');
for (const path of PAGES) {
  const context = await browser.newContext();
  const page = await context.newPage();
  let loaded = false;
  const before: Promise<number>[] = [];
  const after: Promise<number>[] = [];
  page.on('load', () => (loaded = true));
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    const size = response
      .body()
      .then((body) => gzipSync(body).length)
      .catch(() => 0);
    (loaded ? after : before).push(size);
  });
  await page.goto(base + path, { waitUntil: 'load' });
  await page.waitForTimeout(3000);
  const kb = async (list: Promise<number>[]) => (await Promise.all(list)).reduce((a, b) => a + b, 0) / 1024;
  const first = await kb(before);
  console.log(
    `| \`${path}\` | ${first.toFixed(1)} | ${before.length} | ${first <= GOAL_KB ? 'met' : '**NOT met**'} | ${(await kb(after)).toFixed(1)} |`,
  );
  await context.close();
}
await browser.close();
