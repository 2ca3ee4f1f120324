/**
 * First-load JavaScript per dashboard page, quickly, against a running app (no population needed:
 * the bytes a page loads do not depend on its data):
 *
 *   npx tsx bench/first-load-js.ts http://127.0.0.1:3000
 *
 * For each page of the full benchmark (bench/api/browser.ts `dashboardPages`), in a fresh Chromium
 * context, the same recording as there (`recordScripts`): scripts requested before the load event,
 * gzip-compressed, and those after it (lazy chunks such as the charts, route prefetches). The full
 * benchmark (`npm run bench:api`) measures the same on its population, with the first filled chart.
 */
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/helpers/chromium';
import { dashboardPages, recordScripts } from './api/browser';

const GOAL_KB = 250;

const base = process.argv[2];
if (!base) {
  console.error('usage: npx tsx bench/first-load-js.ts <app URL>');
  process.exit(2);
}
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
console.log('| page | first-load JS, KB gzip | files | verdict (≤ 250) | after load, KB gzip |');
console.log('|---|---:|---:|---|---:|');
for (const spec of dashboardPages('')) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const scripts = recordScripts(page, base);
  await page.goto(base + spec.path, { waitUntil: 'load' });
  await page.waitForTimeout(3000);
  const { firstLoad, later } = await scripts.stop();
  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  console.log(
    `| \`${spec.path}\` | ${kb(firstLoad.gzipBytes)} | ${firstLoad.files} | ${firstLoad.gzipBytes / 1024 <= GOAL_KB ? 'met' : '**NOT met**'} | ${kb(later.gzipBytes)} |`,
  );
  await context.close();
}
await browser.close();
