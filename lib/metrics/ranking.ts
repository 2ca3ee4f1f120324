/**
 * The order of every ranked list the API returns: the largest count first, ties by name in
 * code-unit order (so an answer never depends on the engine's row order).
 */
export function byCountThenName<T>(count: (item: T) => number, name: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const difference = count(b) - count(a);
    if (difference !== 0) return difference;
    const [x, y] = [name(a), name(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  };
}
