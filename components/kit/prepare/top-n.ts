/**
 * Top-N + other: keep the N largest groups by one count and fold the rest into a single "other"
 * row whose counts are sums. Only counts are folded — a rate of "other" is not the sum of rates, so
 * callers recompute nothing and show rates only for the kept rows.
 */
export type TopNRow<K extends string> = {
  label: string;
  /** true for the folded row */
  other: boolean;
  /** how many source rows this row stands for */
  members: number;
} & { [Key in K]: number };

export interface TopNOptions<Row, K extends string> {
  n: number;
  label: (row: Row) => string;
  /** The counts to carry (and sum into "other"). */
  values: { [Key in K]: (row: Row) => number };
  /** Which count ranks the rows (descending; ties keep the input order). */
  rankBy: K;
  otherLabel?: string;
}

export function topNWithOther<Row, K extends string>(rows: readonly Row[], options: TopNOptions<Row, K>): Array<TopNRow<K>> {
  const keys = Object.keys(options.values) as K[];
  const toEntry = (row: Row): TopNRow<K> => {
    const entry: Record<string, unknown> = { label: options.label(row), other: false, members: 1 };
    for (const key of keys) entry[key] = options.values[key](row);
    return entry as TopNRow<K>;
  };
  const ranked = rows
    .map((row, index) => ({ entry: toEntry(row), index }))
    .sort((a, b) => b.entry[options.rankBy] - a.entry[options.rankBy] || a.index - b.index)
    .map(({ entry }) => entry);
  const n = Math.max(0, Math.floor(options.n));
  // Folding a single row into "other" hides its name for nothing.
  if (ranked.length <= n + 1) return ranked;
  const kept = ranked.slice(0, n);
  const rest = ranked.slice(n);
  const other: Record<string, unknown> = { label: options.otherLabel ?? 'other', other: true, members: rest.length };
  for (const key of keys) other[key] = rest.reduce((sum, entry) => sum + entry[key], 0);
  return [...kept, other as TopNRow<K>];
}
