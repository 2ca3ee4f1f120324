/**
 * A count of the changes this process has made to the stored data — an ingest insert settled, a
 * write through the API answered — so that whatever keeps an answer (lib/api/shared-answers.ts) can
 * tell whether the data moved since it began. Process-wide (a global: Next.js may load this module
 * once per route bundle); another process's changes are not counted.
 */
const KEY = Symbol.for('passkey-analytics.data-changes');
type GlobalWithChanges = typeof globalThis & { [KEY]?: number };

/** Records that the data may have changed. */
export function dataChanged(): void {
  const g = globalThis as GlobalWithChanges;
  g[KEY] = (g[KEY] ?? 0) + 1;
}

/** The number of changes so far: equal at two moments when nothing changed in between. */
export function dataVersion(): number {
  return (globalThis as GlobalWithChanges)[KEY] ?? 0;
}
