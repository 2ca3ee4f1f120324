/**
 * A short-lived, process-wide cache of stage-gate query results. Why: one evaluation runs a dozen
 * metric queries per window and seven windows per criterion (the trend), and on the embedded engine
 * that is tens of seconds of work; the page, the Overview panel and a refetch should not repeat it.
 *
 * - Keyed by query name and bound parameters, so only identical questions share an answer.
 * - A window that ended more than SETTLED_AFTER_MS ago is settled (late data is rare) and kept for
 *   SETTLED_TTL_MS; anything else — the current window — for LIVE_TTL_MS.
 * - In-flight queries are shared: two requests arriving together run each query once.
 * - At most QUERY_CONCURRENCY queries run at a time across all requests, so an evaluation cannot
 *   starve ingest or the other pages of the engine.
 * - A failed query is not cached.
 */
import 'server-only';
import type { z } from 'zod';
import { runQuery, type QueryDefinition } from '@/lib/query';

export const LIVE_TTL_MS = 60_000;
export const SETTLED_TTL_MS = 15 * 60_000;
export const SETTLED_AFTER_MS = 60 * 60_000;
const MAX_ENTRIES = 5_000;
const QUERY_CONCURRENCY = 3;

/** Runs at most `limit` tasks at a time, in order of arrival. */
export function concurrencyLimit(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    // A finishing task hands its slot straight to the next waiter, so `active` never overshoots.
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else active += 1;
    try {
      return await task();
    } finally {
      const wake = waiting.shift();
      if (wake) wake();
      else active -= 1;
    }
  };
}

interface Entry {
  result: Promise<unknown[]>;
  expiresAt: number;
}

interface QueryCache {
  entries: Map<string, Entry>;
  limited: <T>(task: () => Promise<T>) => Promise<T>;
  /** Queries asked through the cache and not answered yet (the history pass gives way to them). */
  pending: number;
}

const CACHE_KEY = Symbol.for('passkey-analytics.stage-gate-query-cache');
type GlobalWithCache = typeof globalThis & { [CACHE_KEY]?: QueryCache };

function cache(): QueryCache {
  const g = globalThis as GlobalWithCache;
  g[CACHE_KEY] ??= { entries: new Map(), limited: concurrencyLimit(QUERY_CONCURRENCY), pending: 0 };
  return g[CACHE_KEY];
}

function ttlFor(params: unknown, now: number): number {
  const to = (params as { to?: unknown }).to;
  return to instanceof Date && to.getTime() < now - SETTLED_AFTER_MS ? SETTLED_TTL_MS : LIVE_TTL_MS;
}

function prune(entries: Map<string, Entry>, now: number): void {
  for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
  // Still too many: drop the oldest insertions (Map keeps insertion order).
  for (const key of entries.keys()) {
    if (entries.size <= MAX_ENTRIES) break;
    entries.delete(key);
  }
}

export function cachedQuery<P extends z.ZodType, R extends z.ZodType>(
  query: QueryDefinition<P, R>,
  params: z.input<P>,
): Promise<z.output<R>[]> {
  const { entries, limited } = cache();
  const now = Date.now();
  const key = `${query.name}:${JSON.stringify(params)}`;
  const hit = entries.get(key);
  if (hit && hit.expiresAt > now) return hit.result as Promise<z.output<R>[]>;
  const state = cache();
  state.pending += 1;
  const result = limited(() => runQuery(query, params)).finally(() => {
    state.pending -= 1;
  });
  entries.set(key, { result, expiresAt: now + ttlFor(params, now) });
  result.catch(() => {
    if (entries.get(key)?.result === result) entries.delete(key);
  });
  if (entries.size > MAX_ENTRIES) prune(entries, now);
  return result;
}

/** How many stage-gate queries of requests are waiting or running now. */
export function stageGateQueriesPending(): number {
  return cache().pending;
}

/** Forget everything (tests, or after a bulk backfill). */
export function clearStageGateQueryCache(): void {
  cache().entries.clear();
}
