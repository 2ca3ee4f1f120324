/**
 * Pareto: groups sorted by a count, descending (ties by label), each with its share of the total
 * and the cumulative share up to and including it. With a total of 0 the shares are null.
 */
export type ParetoRow<Row> = Row & {
  paretoValue: number;
  share: number | null;
  cumulativeShare: number | null;
};

export function paretoCumulative<Row>(
  rows: readonly Row[],
  value: (row: Row) => number,
  label: (row: Row) => string,
): Array<ParetoRow<Row>> {
  const sorted = [...rows].sort((a, b) => value(b) - value(a) || label(a).localeCompare(label(b)));
  const total = sorted.reduce((sum, row) => sum + value(row), 0);
  let running = 0;
  return sorted.map((row) => {
    const v = value(row);
    running += v;
    return {
      ...row,
      paretoValue: v,
      share: total === 0 ? null : v / total,
      // The last row is exactly 1, not 0.9999999.
      cumulativeShare: total === 0 ? null : running === total ? 1 : running / total,
    };
  });
}

/** How many of the top groups it takes to reach `threshold` (e.g. 0.8) of the total; 0 with no total. */
export function groupsToReach<Row>(pareto: ReadonlyArray<ParetoRow<Row>>, threshold: number): number {
  const index = pareto.findIndex((row) => row.cumulativeShare !== null && row.cumulativeShare >= threshold);
  return index === -1 ? 0 : index + 1;
}
