/**
 * Early reads: the answer to a GET the server started before the browser asked for it. A dashboard
 * page's server component starts the page's first read while it renders the HTML
 * (app/(product)/first-reads.ts); the browser asks the same URL once its scripts have loaded and
 * run — 1.3–2.9 s after navigation at 10 M events on the benchmark machine (docs/performance.md,
 * "Where a page's first chart waits") — and is handed the read already under way (or done) instead
 * of starting it then.
 *
 * An early read is kept for one request of the same caller (principal) for the same URL, and for at
 * most EARLY_READ_TTL_MS: an answer is at most that much older than the request that receives it.
 * At most EARLY_READS_KEPT are kept (the oldest go first), so reads nobody collects cannot pile up.
 * The state lives on globalThis: Next.js loads the page and the route in separate bundles.
 */
import 'server-only';
import type { Principal } from './auth';

export const EARLY_READ_TTL_MS = 20_000;
/** Marks an answer that was an early read (`x-served-from: early-read`), for whoever debugs a page's timing. */
export const EARLY_READ_HEADER = 'x-served-from';
export const EARLY_READS_KEPT = 64;

interface EarlyRead {
  answer: Promise<Response>;
  /** When it stops being handed out (ms since the epoch). */
  expires: number;
}

const KEY = Symbol.for('passkey-analytics.early-reads');
type GlobalWithEarlyReads = typeof globalThis & { [KEY]?: Map<string, EarlyRead> };

function kept(): Map<string, EarlyRead> {
  const g = globalThis as GlobalWithEarlyReads;
  return (g[KEY] ??= new Map());
}

/** Who a read is for: only the same caller receives it. */
function callerOf(principal: Principal): string {
  switch (principal.kind) {
    case 'token':
      return `token:${principal.name}`;
    case 'session':
      return `session:${principal.sessionId}`;
    case 'sso':
      return `sso:${principal.name}`;
    case 'open':
      return 'open';
  }
}

/** The URL as the browser will ask it: path and query string (the host is checked by authorization). */
function keyOf(principal: Principal, url: string): string {
  const { pathname, search } = new URL(url);
  return `${callerOf(principal)} ${pathname}${search}`;
}

function sweep(reads: Map<string, EarlyRead>, now: number): void {
  for (const [key, read] of reads) if (read.expires <= now) reads.delete(key);
  // Map keeps insertion order: the first keys are the oldest.
  for (const key of reads.keys()) {
    if (reads.size <= EARLY_READS_KEPT) break;
    reads.delete(key);
  }
}

/** Starts `run` as the early read of `url` for `principal` (replacing an earlier one). */
export function startEarlyRead(principal: Principal, url: string, run: () => Promise<Response>, now = Date.now()): void {
  const reads = kept();
  const answer = run();
  // Nobody may collect it: its failure is the browser's request's to meet again.
  answer.catch(() => undefined);
  const key = keyOf(principal, url);
  reads.delete(key);
  reads.set(key, { answer, expires: now + EARLY_READ_TTL_MS });
  sweep(reads, now);
}

/** The early read of `url` for `principal`, if one is kept: handed out once. */
export function takeEarlyRead(principal: Principal, url: string, now = Date.now()): Promise<Response> | undefined {
  const reads = kept();
  const key = keyOf(principal, url);
  const read = reads.get(key);
  if (!read) return undefined;
  reads.delete(key);
  return read.expires > now ? read.answer : undefined;
}
