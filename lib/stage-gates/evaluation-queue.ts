/**
 * A bounded queue for the expensive on-demand evaluations (GET /api/v1/stages, its experiment and
 * stage-4 series): at most `running` at once, at most `waiting` more queued, and beyond that an
 * immediate 503 `busy` with `Retry-After` instead of an ever-growing pile of requests, each holding
 * memory and a connection while the two cores work through the ones before it
 * (docs/security.md "Query limits"). Repeated identical questions mostly hit the query cache
 * (lib/stage-gates/query-cache.ts) and leave the queue at once.
 */
import { ApiError } from '../api/errors';

export interface BoundedQueue {
  run<T>(work: () => Promise<T>): Promise<T>;
  readonly stats: { running: number; waiting: number; refused: number };
}

export function boundedQueue(options: { running: number; waiting: number; retryAfterSeconds: number }): BoundedQueue {
  const queue: Array<() => void> = [];
  const stats = { running: 0, waiting: 0, refused: 0 };
  const release = () => {
    stats.running -= 1;
    const next = queue.shift();
    if (next) {
      stats.waiting -= 1;
      stats.running += 1;
      next();
    }
  };
  return {
    stats,
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (stats.running >= options.running) {
        if (stats.waiting >= options.waiting) {
          stats.refused += 1;
          throw new ApiError(
            503,
            'busy',
            `${stats.running} stage-gate evaluations are running and ${stats.waiting} waiting; try again in a few seconds.`,
            undefined,
            { 'retry-after': String(options.retryAfterSeconds) },
          );
        }
        stats.waiting += 1;
        await new Promise<void>((resolve) => queue.push(resolve));
      } else {
        stats.running += 1;
      }
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}

const QUEUE = Symbol.for('passkey-analytics.evaluation-queue');
type GlobalWithQueue = typeof globalThis & { [QUEUE]?: BoundedQueue };

/** The process's queue: two evaluations at a time (two cores), eight more waiting. */
export function evaluationQueue(): BoundedQueue {
  const g = globalThis as GlobalWithQueue;
  return (g[QUEUE] ??= boundedQueue({ running: 2, waiting: 8, retryAfterSeconds: 5 }));
}
