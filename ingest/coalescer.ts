/**
 * Coalesces concurrent ingest requests into fewer inserts (embedded engine; docs/performance.md
 * "Where ingest's CPU goes"). Each insert makes a part the engine must merge, and on chDB twelve
 * inserts of 100 rows cost four to five times the CPU of one of 1,200, nearly all of it merging.
 *
 * Items are queued by key (a partition: one insert must stay within one so that it is all or
 * nothing) and flushed by `flush`, one flush at a time. When is a queue flushed:
 *   - at once (on the next turn of the event loop) when no other request has overlapped a flush or
 *     queued item within the last `LOAD_MEMORY_MS` — a lone or sequential sender waits for nothing;
 *   - otherwise once `intervalMs` has passed since the previous flush started and that flush has
 *     returned, so the requests arriving meanwhile join one insert;
 *   - at once, whatever the above, when a key's queue holds `flushRows` rows: an insert that large
 *     is cheap already, and waiting would only cap the throughput of senders of large requests.
 * A flush takes at most `maxRows` rows per key (whole items); the rest waits for the next one.
 */

export interface CoalescerOptions<T> {
  /** The longest a request waits for others to join while requests arrive concurrently. */
  intervalMs: number;
  /** Rows (item weights) queued for a key that trigger a flush at once. */
  flushRows: number;
  /** Rows of one insert at most (whole items; an item over it goes alone). */
  maxRows: number;
  /** An item's rows. */
  weight: (item: T) => number;
  /** Stores one key's items as one insert; every item's `submit` settles as it does. */
  flush: (key: string, items: readonly T[]) => Promise<void>;
  now?: () => number;
}

/** How long one overlap keeps the coalescer waiting for joiners. */
export const LOAD_MEMORY_MS = 1000;

interface Queued<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface Coalescer<T> {
  /** Resolves once the insert holding the item returned; rejects with its error. */
  submit(key: string, item: T): Promise<void>;
  /** Items queued and not yet flushed. */
  readonly queued: number;
}

export function createCoalescer<T>(options: CoalescerOptions<T>): Coalescer<T> {
  const now = options.now ?? Date.now;
  const queues = new Map<string, Array<Queued<T>>>();
  const rowsOf = new Map<string, number>();
  let queued = 0;
  let flushing = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastFlushStart = Number.NEGATIVE_INFINITY;
  let lastOverlap = Number.NEGATIVE_INFINITY;

  const full = () => [...rowsOf.values()].some((rows) => rows >= options.flushRows);

  function schedule(): void {
    if (flushing || queued === 0) return;
    const t = now();
    const underLoad = t - lastOverlap < LOAD_MEMORY_MS;
    const delay = full() || !underLoad ? 0 : Math.max(0, lastFlushStart + options.intervalMs - t);
    if (timer !== undefined) {
      if (delay > 0) return;
      clearTimeout(timer);
    }
    timer = setTimeout(() => void flush(), delay);
  }

  /** Takes whole items of one key up to maxRows rows (at least one). */
  function take(key: string): Array<Queued<T>> {
    const queue = queues.get(key)!;
    let rows = 0;
    let count = 0;
    while (count < queue.length && (count === 0 || rows + options.weight(queue[count]!.item) <= options.maxRows)) {
      rows += options.weight(queue[count]!.item);
      count += 1;
    }
    const taken = queue.splice(0, count);
    if (queue.length === 0) {
      queues.delete(key);
      rowsOf.delete(key);
    } else rowsOf.set(key, rowsOf.get(key)! - rows);
    queued -= taken.length;
    return taken;
  }

  async function flush(): Promise<void> {
    timer = undefined;
    flushing = true;
    lastFlushStart = now();
    try {
      for (const key of [...queues.keys()]) {
        const batch = take(key);
        try {
          await options.flush(
            key,
            batch.map((entry) => entry.item),
          );
          for (const entry of batch) entry.resolve();
        } catch (error) {
          for (const entry of batch) entry.reject(error);
        }
      }
    } finally {
      flushing = false;
      schedule();
    }
  }

  return {
    submit(key, item) {
      if (flushing || queued > 0) lastOverlap = now();
      return new Promise<void>((resolve, reject) => {
        const queue = queues.get(key) ?? [];
        queue.push({ item, resolve, reject });
        queues.set(key, queue);
        rowsOf.set(key, (rowsOf.get(key) ?? 0) + options.weight(item));
        queued += 1;
        schedule();
      });
    },
    get queued() {
      return queued;
    },
  };
}
