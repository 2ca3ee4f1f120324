/**
 * Results: the machine-readable copy (bench/results/api-<events>-<date>.json), the section of
 * docs/performance.md for this event count (between `<!-- bench:api N -->` markers, replaced on a
 * rerun), and the p95-against-events chart over every run in bench/results (docs/performance-api-p95.svg).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EndpointResult, ViewerResult } from './endpoints';
import type { IngestStats } from './ingest-load';
import type { PageResult } from './browser';
import type { PopulationMeta } from './population';
import { fmtEvents, fmtInt, fmtMs } from './stats';

export interface RunResult {
  kind: 'bench:api';
  date: string;
  startedAt: string;
  requestedEvents: number;
  machine: { cores: number; loadBefore: number[]; loadBeforeMeasuring: number[]; node: string; platform: string };
  population: PopulationMeta & {
    dir: string;
    reused: boolean;
    /** Counted in the served copy before the app started. */
    countedEvents: number;
    last28DayEvents: number;
    last90DayEvents: number;
    /** sql/migrations changed after the population was built (the served app applied newer ones). */
    migrationsChanged?: boolean;
  };
  callsPerEndpoint: number;
  endpoints: EndpointResult[];
  coldStages: { ms: number; status: number; secondsAfterStart: number };
  viewers: ViewerResult[];
  ingest: {
    overall: IngestStats;
    viewers: IngestStats;
    coldStages: IngestStats;
    endpoints: IngestStats;
    browser: IngestStats;
    lastError: string;
  };
  pages: PageResult[];
  errors: number;
  totalSeconds: number;
}

// ---------------------------------------------------------------------------------------------
// Goals (DESIGN.md section 9)

export function endpointGoalMs(events: number): number | null {
  if (events <= 10_000_000) return 150;
  if (events <= 50_000_000) return 500;
  return null;
}
const AT_10M = (events: number) => events <= 10_000_000;
const verdict = (ok: boolean | null) => (ok === null ? '— (no goal at this size)' : ok ? 'met' : '**NOT met**');

// ---------------------------------------------------------------------------------------------
// Files

export const RESULTS_DIR = path.resolve(import.meta.dirname, '..', 'results');
export const DOC = path.resolve(import.meta.dirname, '..', '..', 'docs', 'performance.md');
export const CHART = path.resolve(import.meta.dirname, '..', '..', 'docs', 'performance-api-p95.svg');

export function writeResult(result: RunResult): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `api-${result.requestedEvents}-${result.date}.json`);
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

export function readResults(): RunResult[] {
  if (!fs.existsSync(RESULTS_DIR)) return [];
  return fs
    .readdirSync(RESULTS_DIR)
    .filter((f) => /^api-\d+-.+\.json$/.test(f))
    .map((f) => {
      try {
        return JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, f), 'utf8')) as RunResult;
      } catch {
        return undefined;
      }
    })
    .filter((r): r is RunResult => r !== undefined && r.kind === 'bench:api');
}

/** The newest run per event count. */
export function latestPerSize(results: RunResult[]): RunResult[] {
  const bySize = new Map<number, RunResult>();
  for (const r of results) {
    const seen = bySize.get(r.requestedEvents);
    if (!seen || seen.startedAt < r.startedAt) bySize.set(r.requestedEvents, r);
  }
  return [...bySize.values()].sort((a, b) => a.requestedEvents - b.requestedEvents);
}

// ---------------------------------------------------------------------------------------------
// The markdown section

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)}`;
const load = (values: number[]) => values.map((v) => v.toFixed(2)).join(' / ');

export function section(r: RunResult, all: RunResult[]): string {
  const p = r.population;
  const goal = endpointGoalMs(r.requestedEvents);
  const lines: string[] = [];
  lines.push(`### API benchmark — ${r.date}, ${fmtInt(r.requestedEvents)} events`);
  lines.push('');
  lines.push(
    `\`npm run bench:api -- --events ${r.requestedEvents}\`, ${r.machine.cores} cores, Node ${r.machine.node}. Run took ${Math.round(r.totalSeconds)} s in all.`,
  );
  lines.push('');
  lines.push(
    `- **Population**: ${fmtInt(p.countedEvents)} events (${fmtInt(p.users)} users, ${p.days} days; ${fmtInt(p.last28DayEvents)} in the last 28 days, ` +
      `${fmtInt(p.last90DayEvents)} in the last 90). Built ${p.reused ? 'earlier and reused' : `in ${p.buildSeconds} s`}: the demo's ${fmtInt(p.baseUsers)} users × ${p.baseDays} days ` +
      `(${fmtInt(p.baseEvents)} events) streamed through \`POST /v1/logs\`${p.streamSeconds ? ` in ${p.streamSeconds} s` : ''}, then copied inside ClickHouse with fresh ids ` +
      `(${p.eras.map((e) => `era ${e.era}${e.shiftDays ? ` shifted −${e.shiftDays} d` : ''}: ${e.copies}${e.fraction ? ` + ${e.fraction}` : ''} × base = ${fmtInt(e.events)} events`).join('; ')}).` +
      `${p.reusedFrom ? ` The recent era is a copy of ${p.reusedFrom}.` : ''}`,
  );
  if (p.migrationsChanged)
    lines.push(
      '- **Warning**: sql/migrations changed after this population was built; the app applied the newer migrations to it at start. Rerun for figures on a population built with them.',
    );
  lines.push(
    `- **Machine quietness**: load average (1 / 5 / 15 min) ${load(r.machine.loadBefore)} before the run, ${load(r.machine.loadBeforeMeasuring)} when measuring began.`,
  );
  const o = r.ingest.overall;
  lines.push(
    `- **Background ingest** during every read measurement: ${fmtInt(o.eventsPerSecond)} events/s achieved (goal ≥ 1,000: ${verdict(o.eventsPerSecond >= 1000)}), ` +
      `${fmtInt(o.requests)} requests of 100 records, latency p50 ${fmtMs(o.p50)} / p95 ${fmtMs(o.p95)} / p99 ${fmtMs(o.p99)} / max ${fmtMs(o.max)} ms, ${o.errors} errors, ${o.skipped} skipped (at most 32 in flight).`,
  );
  lines.push(`- **Errors**: ${r.errors === 0 ? 'none — every read answered 200' : `**${r.errors} non-200 responses** (listed below)`}.`);
  lines.push('');
  lines.push(
    `Each endpoint: ${r.callsPerEndpoint} sequential calls after one untimed warm-up (fewer — the count in the table — where the calls took longer than the per-endpoint budget together), each a different question (see bench/api/endpoints.ts), times in ms to the full body.`,
  );
  lines.push('');
  lines.push(`| endpoint | calls | p50 | p95 | max | errors | goal p95 | verdict |`);
  lines.push(`|---|---:|---:|---:|---:|---:|---:|---|`);
  for (const e of r.endpoints) {
    const ok = goal === null ? null : e.errors === 0 && e.p95 <= goal;
    lines.push(
      `| \`${e.name}\` | ${e.calls} | ${fmtMs(e.p50)} | ${fmtMs(e.p95)} | ${fmtMs(e.max)} | ${e.errors} | ${goal === null ? '—' : `≤ ${goal}`} | ${verdict(ok)} |`,
    );
  }
  const viewerTimes = r.viewers.map((v) => v.ms).sort((a, b) => a - b);
  const viewersOk = AT_10M(r.requestedEvents) ? viewerTimes.every((ms) => ms <= 1000) && r.viewers.every((v) => v.errors === 0) : null;
  lines.push(
    `| **8 viewers open the Overview** (all requests of each) | 8 | ${viewerTimes.map((ms) => fmtMs(ms)).join(', ')} | | | ${r.viewers.reduce((s, v) => s + v.errors, 0)} | all ≤ 1,000 | ${verdict(viewersOk)} |`,
  );
  const vi = r.ingest.viewers;
  lines.push(
    `| ingest request p99 while they load | ${vi.requests} | ${fmtMs(vi.p99)} | | ${fmtMs(vi.max)} | ${vi.errors} | ≤ 500 | ${verdict(vi.requests === 0 ? false : vi.p99 <= 500 && vi.errors === 0)} |`,
  );
  const coldOk = AT_10M(r.requestedEvents) ? r.coldStages.status === 200 && r.coldStages.ms <= 2000 : null;
  lines.push(
    `| cold stage-gate evaluation (first \`/api/v1/stages\` after start) | 1 | ${fmtMs(r.coldStages.ms)} | | | ${r.coldStages.status === 200 ? 0 : 1} | ≤ 2,000 | ${verdict(coldOk)} |`,
  );
  lines.push('');
  lines.push(
    `8 viewers: each fires the Overview's first-load requests (\`/api/v1/overview\` with its own filters, \`/api/v1/stages?trend=0\`) at the same moment; ` +
      `ingest during them: ${vi.requests} requests, p50 ${fmtMs(vi.p50)} / p95 ${fmtMs(vi.p95)} / p99 ${fmtMs(vi.p99)} ms. ` +
      `Cold stages: measured ${r.coldStages.secondsAfterStart.toFixed(1)} s after the app answered health, with ingest running, before any other stages call.`,
  );
  lines.push('');
  lines.push(`| page | first filled chart, ms | goal | verdict | first-load JS, KB gzip | goal | verdict | JS after load, KB gzip |`);
  lines.push(`|---|---:|---:|---|---:|---:|---|---:|`);
  for (const page of r.pages) {
    const what = page.kind === 'chart' ? '' : ' (no chart: first filled panel)';
    lines.push(
      `| ${page.name} (\`${page.path.replace(/\?.*/, '')}\`)${what} | ${page.firstFilledMs === null ? `— ${page.error ?? ''}` : fmtInt(page.firstFilledMs)} | ≤ 1,500 | ${verdict(page.firstFilledMs !== null && page.firstFilledMs <= 1500)} | ` +
        `${kb(page.jsGzipBytes)} (${page.jsFiles} files) | ≤ 250 | ${verdict(page.jsGzipBytes <= 250 * 1024)} | ${kb(page.laterJsGzipBytes ?? 0)} (${page.laterJsFiles ?? 0} files) |`,
    );
  }
  lines.push('');
  lines.push(
    'First filled chart: fresh browser context on a warm server (each page loaded once before), navigation start to the first recharts bar/line/area with a shape (Stage gates: an interval mark); first-load JS: every script the page requests before its load event, each gzip-compressed by the benchmark (zlib, default level); scripts requested after it (route prefetches for the navigation, lazy chunks) are the last column.',
  );

  // History against the 10 M run: cost should follow the window, not the history.
  const ten = latestPerSize(all).find((x) => x.requestedEvents === 10_000_000);
  if (r.requestedEvents > 10_000_000 && ten) {
    lines.push('');
    lines.push(
      `Against the 10 M run of ${ten.date} (same events per day in the last 90 days): goal p95 at ${fmtEvents(r.requestedEvents)} ≤ 1.5 × p95 at 10 M.`,
    );
    lines.push('');
    lines.push('| endpoint | p95 at 10 M | p95 here | ratio | verdict |');
    lines.push('|---|---:|---:|---:|---|');
    for (const e of r.endpoints) {
      const before = ten.endpoints.find((x) => x.name === e.name);
      if (!before) continue;
      const ratio = e.p95 / before.p95;
      lines.push(`| \`${e.name}\` | ${fmtMs(before.p95)} | ${fmtMs(e.p95)} | ${ratio.toFixed(2)} | ${verdict(ratio <= 1.5)} |`);
    }
  }
  const failures = r.endpoints.flatMap((e) => e.errorSamples);
  if (failures.length > 0) {
    lines.push('');
    lines.push('Non-200 responses (first three per endpoint):');
    lines.push('');
    for (const f of failures) lines.push(`- \`${f.replace(/`/g, "'").slice(0, 300)}\``);
  }
  return lines.join('\n');
}

const INTRO_START = '<!-- bench:api intro -->';
const INTRO_END = '<!-- /bench:api intro -->';

function intro(): string {
  return [
    INTRO_START,
    '## Read API (`npm run bench:api`)',
    '',
    'What it does (bench/api.ts, bench/api/): builds a population per size in `.bench-data/api-<events>/population` (the demo population',
    'streamed through `POST /v1/logs`, then multiplied inside ClickHouse by `INSERT … SELECT` copies with fresh ids, so every',
    "materialized view fills, and the app's own ceremony state pass is run until it has caught up; beyond 10 M events the extra",
    'copies are older history, shifted back by 90-day steps, so the last 90 days hold the same events at every size), brings its',
    "stored daily stage-gate evaluations up to date with the app's own pass (bench/api/gate-history.ts: the stored days, 183 at the default configuration, as a",
    'long-running app has them; minutes the first time at 10 M, then only the days since), serves a',
    "fresh copy of it with the production app (`npm start`'s server, so one run's ingest never leaks into the next), and measures with",
    'background ingest at about 1,200 events/s: every `/api/v1` endpoint, 8 simultaneous Overview loads, the cold stage-gate',
    'evaluation, and in Chromium the first filled chart and first-load JavaScript of every page. Goals: DESIGN.md section 9.',
    'Machine-readable results: bench/results/. Sections below are replaced when the same size is run again.',
    '',
    '![p95 per endpoint against events](performance-api-p95.svg)',
    INTRO_END,
  ].join('\n');
}

/** Rewrites the bench:api part of docs/performance.md: the intro, then one section per size (this run's replaced). */
export function updateDoc(r: RunResult, all: RunResult[]): void {
  let doc = fs.existsSync(DOC) ? fs.readFileSync(DOC, 'utf8') : '# Performance\n';
  const marker = (n: number) => [`<!-- bench:api ${n} -->`, `<!-- /bench:api ${n} -->`] as const;
  const sections = new Map<number, string>();
  const sectionPattern = /<!-- bench:api (\d+) -->\n?([\s\S]*?)<!-- \/bench:api \1 -->\n*/g;
  for (const match of doc.matchAll(sectionPattern)) sections.set(Number(match[1]), match[2]!.trim());
  doc = doc.replace(sectionPattern, '');
  const introIndex = doc.indexOf(INTRO_START);
  let insertAt: number;
  if (introIndex >= 0) {
    const end = doc.indexOf(INTRO_END, introIndex);
    doc = doc.slice(0, introIndex) + doc.slice(end + INTRO_END.length).replace(/^\n+/, '');
    insertAt = introIndex;
  } else {
    doc = `${doc.trimEnd()}\n\n`;
    insertAt = doc.length;
  }
  sections.set(r.requestedEvents, section(r, all));
  const block = [
    intro(),
    ...[...sections.entries()].sort((a, b) => a[0] - b[0]).map(([n, text]) => `${marker(n)[0]}\n${text}\n${marker(n)[1]}`),
  ].join('\n\n');
  doc = `${doc.slice(0, insertAt)}${block}\n\n${doc.slice(insertAt).replace(/^\n+/, '')}`;
  fs.writeFileSync(DOC, `${doc.trimEnd()}\n`);
}

// ---------------------------------------------------------------------------------------------
// The chart: p95 per endpoint against events, log-log, one line per endpoint

const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#393b79',
  '#637939',
  '#8c6d31',
  '#843c39',
  '#7b4173',
];
const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function chartSvg(results: RunResult[]): string {
  const runs = latestPerSize(results);
  const W = 860;
  const H = 460;
  const m = { left: 64, right: 220, top: 36, bottom: 48 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const names = [...new Set(runs.flatMap((r) => r.endpoints.map((e) => e.name)))];
  const xs = runs.map((r) => r.population.countedEvents || r.requestedEvents);
  const ys = runs.flatMap((r) => r.endpoints.map((e) => e.p95)).filter((v) => Number.isFinite(v) && v > 0);
  const xMin = Math.pow(10, Math.floor(Math.log10(Math.min(...xs, 1e5))));
  const xMax = Math.pow(10, Math.ceil(Math.log10(Math.max(...xs, 1e8))));
  const yMin = Math.pow(10, Math.floor(Math.log10(Math.min(...ys, 1))));
  const yMax = Math.pow(10, Math.ceil(Math.log10(Math.max(...ys, 1000))));
  const x = (v: number) => m.left + ((Math.log10(v) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin))) * pw;
  const y = (v: number) => m.top + ph - ((Math.log10(Math.max(v, yMin)) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * ph;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="11">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(
    `<text x="${m.left}" y="20" font-size="14" font-weight="600">p95 per /api/v1 endpoint against events stored (npm run bench:api, newest run per size)</text>`,
  );
  for (let e = Math.log10(yMin); e <= Math.log10(yMax); e++) {
    for (const k of [1, 2, 5]) {
      const v = k * Math.pow(10, e);
      if (v < yMin || v > yMax) continue;
      out.push(
        `<line x1="${m.left}" x2="${m.left + pw}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="${k === 1 ? '#ccc' : '#eee'}"/>`,
      );
      out.push(
        `<text x="${m.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#555">${v >= 1000 ? `${v / 1000} s` : `${v} ms`}</text>`,
      );
    }
  }
  for (let e = Math.log10(xMin); e <= Math.log10(xMax); e++) {
    const v = Math.pow(10, e);
    out.push(`<line x1="${x(v).toFixed(1)}" x2="${x(v).toFixed(1)}" y1="${m.top}" y2="${m.top + ph}" stroke="#ddd"/>`);
    out.push(`<text x="${x(v).toFixed(1)}" y="${m.top + ph + 16}" text-anchor="middle" fill="#555">${fmtEvents(v)}</text>`);
  }
  out.push(`<text x="${m.left + pw / 2}" y="${H - 10}" text-anchor="middle" fill="#333">events stored (log scale)</text>`);
  // Goals: 150 ms up to 10 M, 500 ms up to 50 M.
  const goal = (from: number, to: number, ms: number) =>
    out.push(
      `<line x1="${x(Math.max(from, xMin)).toFixed(1)}" x2="${x(Math.min(to, xMax)).toFixed(1)}" y1="${y(ms).toFixed(1)}" y2="${y(ms).toFixed(1)}" stroke="#c00" stroke-dasharray="5 4" stroke-width="1.5"/>` +
        `<text x="${(x(Math.min(to, xMax)) - 4).toFixed(1)}" y="${(y(ms) - 4).toFixed(1)}" text-anchor="end" fill="#c00">goal ${ms} ms</text>`,
    );
  goal(xMin, 10_000_000, 150);
  goal(10_000_000, 50_000_000, 500);
  names.forEach((name, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    const points = runs
      .map((r) => ({ ev: r.population.countedEvents || r.requestedEvents, p95: r.endpoints.find((e) => e.name === name)?.p95 }))
      .filter((pt): pt is { ev: number; p95: number } => pt.p95 !== undefined && Number.isFinite(pt.p95));
    if (points.length > 1)
      out.push(
        `<polyline fill="none" stroke="${color}" stroke-width="1.6" points="${points.map((pt) => `${x(pt.ev).toFixed(1)},${y(pt.p95).toFixed(1)}`).join(' ')}"/>`,
      );
    for (const pt of points)
      out.push(
        `<circle cx="${x(pt.ev).toFixed(1)}" cy="${y(pt.p95).toFixed(1)}" r="3" fill="${color}"><title>${esc(name)}: ${fmtMs(pt.p95)} ms at ${fmtInt(pt.ev)} events</title></circle>`,
      );
    const ly = m.top + 8 + i * 16;
    out.push(`<line x1="${m.left + pw + 16}" x2="${m.left + pw + 36}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`);
    out.push(`<text x="${m.left + pw + 42}" y="${ly + 4}">${esc(name)}</text>`);
  });
  out.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

export function writeChart(results: RunResult[]): void {
  fs.writeFileSync(CHART, chartSvg(results));
}
