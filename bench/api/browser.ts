/**
 * First filled chart per dashboard page, and each page's first-load JavaScript (gzip), in Chromium
 * through playwright-core. On a warm server: every page is loaded once first, then measured in a
 * fresh browser context (empty cache), from navigation start (performance.timeOrigin) to the first
 * chart with data drawn: a recharts bar, line, area or sector path with a shape, or a stage-gate
 * interval mark. Pages without charts (Security, Lookup) report their first filled data panel instead.
 */
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page, type Response } from 'playwright-core';
import { log } from './stats';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface PageSpec {
  name: string;
  path: string;
  /** 'chart' or what is timed instead on a page without charts. */
  kind: 'chart' | 'panel';
}

export function dashboardPages(userId: string): PageSpec[] {
  return [
    { name: 'Overview', path: '/', kind: 'chart' },
    { name: 'Registration', path: '/registration', kind: 'chart' },
    { name: 'Sign-in & fallback', path: '/signin', kind: 'chart' },
    { name: 'Passkey retention', path: '/retention', kind: 'chart' },
    { name: 'Journeys', path: '/journeys', kind: 'chart' },
    { name: 'Failures', path: '/failures', kind: 'chart' },
    { name: 'Recovery & support', path: '/recovery', kind: 'chart' },
    { name: 'Security', path: '/security', kind: 'panel' },
    { name: 'Stage gates', path: '/stages', kind: 'chart' },
    { name: 'Alerts', path: '/alerts', kind: 'panel' },
    { name: 'Lookup', path: `/lookup?userId=${encodeURIComponent(userId)}`, kind: 'panel' },
    { name: 'Quarantine', path: '/quarantine', kind: 'panel' },
  ];
}

export interface PageResult {
  name: string;
  path: string;
  kind: 'chart' | 'panel';
  /** ms from navigation start to the first filled chart (or panel); null when it never filled. */
  firstFilledMs: number | null;
  /** JavaScript loaded on first load: files, raw bytes, gzip bytes. */
  jsFiles: number;
  jsBytes: number;
  jsGzipBytes: number;
  /** Scripts loaded after the load event until the network was idle (prefetches, lazy chunks). */
  laterJsFiles: number;
  laterJsGzipBytes: number;
  /** Where the time to the first filled chart went (ms from navigation start), from the page's own performance entries. */
  timeline?: PageTimeline;
  error?: string;
}

export interface PageTimeline {
  /** The HTML fully received, DOMContentLoaded over, the load event over. */
  htmlMs: number;
  domContentLoadedMs: number;
  loadMs: number;
  /** Each read API request of the page: when it was sent and when its body had arrived. */
  apiRequests: Array<{ path: string; startMs: number; endMs: number }>;
}

/**
 * Installed before any page script: records performance.now() the first time a filled chart (or,
 * for `panel` pages, a data panel in its ready state) is in the DOM. A string, not a function:
 * tsx's name-keeping helpers must not end up in the page.
 */
function watcher(kind: 'chart' | 'panel'): string {
  return `(() => {
  const kind = ${JSON.stringify(kind)};
  const chartFilled = () => {
    const shapes = document.querySelectorAll('.recharts-surface path.recharts-rectangle, .recharts-surface path.recharts-curve, .recharts-surface path.recharts-sector, .recharts-surface path.recharts-area-area, .recharts-surface .recharts-trapezoid, .recharts-surface path.recharts-sankey-link, svg[class*="intervalBar"] circle, svg[class*="intervalBar"] rect');
    for (const shape of Array.from(shapes)) {
      if (shape.tagName.toLowerCase() !== 'path') return true;
      const d = shape.getAttribute('d') || '';
      if (d.length > 4 && !/NaN/.test(d)) return true;
    }
    return false;
  };
  const panelFilled = () => document.querySelector('[data-panel][data-state="ready"]:not([data-panel="lookup-search"]), [data-testid="lookup-timeline"]') !== null;
  const check = kind === 'chart' ? chartFilled : panelFilled;
  const observe = () => {
    if (window.__benchFilled !== undefined) return;
    if (check()) { window.__benchFilled = performance.now(); return; }
    new MutationObserver((_, observer) => {
      if (window.__benchFilled === undefined && check()) { window.__benchFilled = performance.now(); observer.disconnect(); }
    }).observe(document, { subtree: true, childList: true, attributes: true });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', observe); else observe();
})();`;
}

export interface ScriptSizes {
  files: number;
  bytes: number;
  gzipBytes: number;
}

/**
 * Records the scripts a page loads from `baseUrl`, each gzip-compressed here (zlib, default level):
 * first-load JS is what is requested before the page's load event; later ones (route prefetches of
 * the navigation's other pages, lazily loaded chunks such as the charts) are reported apart.
 * Call before navigating; `stop` detaches and adds up.
 */
export function recordScripts(page: Page, baseUrl: string): { stop(): Promise<{ firstLoad: ScriptSizes; later: ScriptSizes }> } {
  const scripts: Array<Promise<{ raw: number; gzip: number; beforeLoad: boolean } | undefined>> = [];
  let loaded = false;
  page.once('load', () => (loaded = true));
  const onResponse = (response: Response) => {
    const request = response.request();
    if (request.resourceType() !== 'script' && !/\.m?js(\?|$)/.test(new URL(response.url()).pathname)) return;
    if (!response.url().startsWith(baseUrl)) return;
    const beforeLoad = !loaded;
    scripts.push(
      response
        .body()
        .then((body) => ({ raw: body.length, gzip: gzipSync(body).length, beforeLoad }))
        .catch(() => undefined),
    );
  };
  page.on('response', onResponse);
  const sum = (list: Array<{ raw: number; gzip: number }>): ScriptSizes => ({
    files: list.length,
    bytes: list.reduce((total, s) => total + s.raw, 0),
    gzipBytes: list.reduce((total, s) => total + s.gzip, 0),
  });
  return {
    async stop() {
      page.off('response', onResponse);
      const all = (await Promise.all(scripts)).filter((s): s is { raw: number; gzip: number; beforeLoad: boolean } => s !== undefined);
      return { firstLoad: sum(all.filter((s) => s.beforeLoad)), later: sum(all.filter((s) => !s.beforeLoad)) };
    },
  };
}

async function measurePage(browser: Browser, baseUrl: string, spec: PageSpec): Promise<PageResult> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  const scripts = recordScripts(page, baseUrl);
  await page.addInitScript(watcher(spec.kind));
  let firstFilledMs: number | null = null;
  let timeline: PageTimeline | undefined;
  let error: string | undefined;
  try {
    await page.goto(`${baseUrl}${spec.path}`, { waitUntil: 'commit', timeout: 60_000 });
    await page.waitForFunction(() => (window as unknown as { __benchFilled?: number }).__benchFilled !== undefined, undefined, {
      timeout: 60_000,
      polling: 50,
    });
    firstFilledMs = await page.evaluate(() => (window as unknown as { __benchFilled?: number }).__benchFilled ?? null);
    // Every panel's data in (or 60 s), so the timeline holds every read request's answer.
    await page
      .waitForFunction(() => document.querySelectorAll('[data-panel][data-state="loading"]').length === 0, undefined, { timeout: 60_000 })
      .catch(() => undefined);
    await page.waitForLoadState('networkidle', { timeout: 30_000 }).catch(() => undefined);
    timeline = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      const apiRequests = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((entry) => new URL(entry.name).pathname.startsWith('/api/'))
        .map((entry) => ({
          path: new URL(entry.name).pathname,
          startMs: Math.round(entry.startTime),
          endMs: Math.round(entry.responseEnd),
        }));
      return {
        htmlMs: Math.round(nav?.responseEnd ?? 0),
        domContentLoadedMs: Math.round(nav?.domContentLoadedEventEnd ?? 0),
        loadMs: Math.round(nav?.loadEventEnd ?? 0),
        apiRequests,
      };
    });
  } catch (e) {
    error = (e as Error).message.split('\n')[0];
    // Slow data or no chart? Say which: panels still loading, charts drawn without data.
    const state = await page
      .evaluate(() => ({
        loading: document.querySelectorAll('[data-panel][data-state="loading"]').length,
        panels: document.querySelectorAll('[data-panel]').length,
        surfaces: document.querySelectorAll('.recharts-surface').length,
      }))
      .catch(() => undefined);
    if (state) error += ` (${state.loading} of ${state.panels} panels still loading, ${state.surfaces} chart surfaces)`;
  }
  const { firstLoad, later } = await scripts.stop();
  await context.close();
  return {
    name: spec.name,
    path: spec.path,
    kind: spec.kind,
    firstFilledMs: firstFilledMs === null ? null : Math.round(firstFilledMs),
    jsFiles: firstLoad.files,
    jsBytes: firstLoad.bytes,
    jsGzipBytes: firstLoad.gzipBytes,
    laterJsFiles: later.files,
    laterJsGzipBytes: later.gzipBytes,
    timeline,
    error,
  };
}

export async function measurePages(baseUrl: string, pages: PageSpec[]): Promise<PageResult[]> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    // Warm the server: every page once (compiled route chunks, server caches), not timed.
    const warm = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    for (const spec of pages) {
      const page = await warm.newPage();
      await page.goto(`${baseUrl}${spec.path}`, { waitUntil: 'load', timeout: 120_000 }).catch(() => undefined);
      await page
        .waitForFunction(() => document.querySelectorAll('[data-panel][data-state="loading"]').length === 0, undefined, {
          timeout: 120_000,
        })
        .catch(() => undefined);
      await page.close();
      log(`browser: warmed ${spec.path}`);
    }
    await warm.close();
    const results: PageResult[] = [];
    for (const spec of pages) {
      const result = await measurePage(browser, baseUrl, spec);
      log(
        `browser: ${spec.name.padEnd(20)} first filled ${spec.kind} ${result.firstFilledMs ?? '—'} ms · JS ${(result.jsGzipBytes / 1024).toFixed(1)} KB gzip ` +
          `(${result.jsFiles} files, ${(result.jsBytes / 1024).toFixed(0)} KB raw; later ${(result.laterJsGzipBytes / 1024).toFixed(1)} KB in ${result.laterJsFiles} files)${result.error ? ` · ${result.error}` : ''}`,
      );
      results.push(result);
    }
    return results;
  } finally {
    await browser.close();
  }
}
