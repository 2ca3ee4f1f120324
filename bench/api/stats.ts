/** Small helpers shared by the API benchmark: percentiles, formatting, free ports, logging. */
import net from 'node:net';

/** Nearest-rank percentile (p in 0..100) of unsorted values; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(values: readonly number[]): Summary {
  return {
    count: values.length,
    p50: round1(percentile(values, 50)),
    p95: round1(percentile(values, 95)),
    p99: round1(percentile(values, 99)),
    max: round1(values.length ? Math.max(...values) : Number.NaN),
  };
}

export const round1 = (value: number) => (Number.isFinite(value) ? Math.round(value * 10) / 10 : value);

const numberFormat = new Intl.NumberFormat('en-US');
/** 10000000 → "10,000,000". */
export const fmtInt = (value: number) => numberFormat.format(Math.round(value));
/** Milliseconds for tables: "12.3" below 100, whole numbers above; "—" for missing. */
export function fmtMs(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value < 100 ? value.toFixed(1) : fmtInt(value);
}
/** 10000000 → "10 M", 500000 → "500 k". */
export function fmtEvents(value: number): string {
  if (value >= 1_000_000) return `${Number((value / 1_000_000).toFixed(value % 1_000_000 === 0 ? 0 : 2))} M`;
  if (value >= 1_000) return `${Number((value / 1_000).toFixed(value % 1_000 === 0 ? 0 : 1))} k`;
  return String(value);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const started = performance.now();
/** `[bench:api +12.3s] message` — every phase prints progress. */
export function log(message: string): void {
  console.log(`[bench:api +${((performance.now() - started) / 1000).toFixed(1)}s] ${message}`);
}
