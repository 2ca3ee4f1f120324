/**
 * Previous-period merge: pair each group's count in the current window with the same group's count
 * in the previous window of equal length. A group present on one side only counts 0 on the other.
 */
export interface PeriodComparison<Row> {
  key: string;
  current: number;
  previous: number;
  /** current − previous */
  change: number;
  /** (current − previous) / previous; null when previous is 0 */
  relativeChange: number | null;
  currentRow: Row | undefined;
  previousRow: Row | undefined;
}

export function mergePreviousPeriod<Row>(
  current: readonly Row[],
  previous: readonly Row[],
  key: (row: Row) => string,
  value: (row: Row) => number,
): Array<PeriodComparison<Row>> {
  const previousByKey = new Map(previous.map((row) => [key(row), row] as const));
  const seen = new Set<string>();
  const compare = (k: string, currentRow: Row | undefined, previousRow: Row | undefined): PeriodComparison<Row> => {
    const now = currentRow ? value(currentRow) : 0;
    const before = previousRow ? value(previousRow) : 0;
    return {
      key: k,
      current: now,
      previous: before,
      change: now - before,
      relativeChange: before === 0 ? null : (now - before) / before,
      currentRow,
      previousRow,
    };
  };
  const merged = current.map((row) => {
    const k = key(row);
    seen.add(k);
    return compare(k, row, previousByKey.get(k));
  });
  for (const row of previous) {
    const k = key(row);
    if (!seen.has(k)) {
      seen.add(k);
      merged.push(compare(k, undefined, row));
    }
  }
  return merged;
}

/**
 * Overlay a previous window's series on the current one's time axis: the i-th previous bucket is
 * paired with the i-th current bucket (both windows have equal length). Missing → null.
 */
export function overlayPreviousSeries<T extends { start: string }, V extends number | null>(
  current: readonly T[],
  previous: readonly V[],
): Array<T & { previous: V | null }> {
  return current.map((bucket, index) => ({ ...bucket, previous: index < previous.length ? (previous[index] as V) : null }));
}
