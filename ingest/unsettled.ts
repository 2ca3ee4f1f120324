/**
 * Inserts in flight, by the `received_at` they stamp on their rows: the state pass takes its
 * watermark no later than the oldest of them, so every event received before a watermark was
 * visible to the pass that recorded it (lib/ceremony-states.ts, sql/README.md "Ceremony state").
 *
 * Process-wide (a global, since Next.js may load this module once per route bundle): it covers the
 * inserts of this process only, which on the embedded engine are all of them. A ClickHouse server
 * shared by several app processes needs a margin on top (SERVER_MARGIN_MS in lib/ceremony-states.ts).
 */
import { dataChanged } from '@/lib/data-changes';

const KEY = Symbol.for('passkey-analytics.unsettled-inserts');
type GlobalWithInserts = typeof globalThis & { [KEY]?: Map<number, number> };

function open(): Map<number, number> {
  const g = globalThis as GlobalWithInserts;
  g[KEY] ??= new Map();
  return g[KEY];
}

let next = 0;

/**
 * Marks an insert of rows stamped `receivedMs` as in flight; call the returned function once it
 * returned (or failed): the data may have changed then (lib/data-changes.ts).
 */
export function beginInsert(receivedMs: number): () => void {
  const id = next++;
  open().set(id, receivedMs);
  return () => {
    open().delete(id);
    dataChanged();
  };
}

/** `now`, or the `received_at` of the oldest insert still in flight if earlier. */
export function settledBefore(now: number): number {
  let oldest = now;
  for (const receivedMs of open().values()) oldest = Math.min(oldest, receivedMs);
  return oldest;
}
