import { formatCount } from '@/components/kit/format';

/** `1 ceremony`, `3 ceremonies` — the count formatted once, the noun agreeing with it. */
export function plural(count: number, one: string, many: string): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}
