'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import {
  nextPageSearch,
  parseGlobalParams,
  resetWindowAnchors,
  windowAnchor,
  withGlobalParams,
  type GlobalParams,
  type GlobalParamsUpdate,
} from './global-params';

export interface UseGlobalParams extends GlobalParams {
  /** Pushes a history entry (the back button restores the previous state). */
  update: (update: GlobalParamsUpdate) => void;
  /** Sets or clears a page-specific search param (e.g. `groupBy`), also pushing a history entry. */
  setPageParam: (key: string, value: string | null) => void;
  /** The page URL's current search params. */
  pageSearch: URLSearchParams;
}

/** The global time range and filters from the URL; every dashboard page reads them through this. */
export function useGlobalParams(): UseGlobalParams {
  const searchParams = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const raw = searchParams.toString();
  const params = useMemo(() => {
    const search = new URLSearchParams(raw);
    return parseGlobalParams(search, windowAnchor(withGlobalParams('', search)));
  }, [raw]);
  const pageSearch = useMemo(() => new URLSearchParams(raw), [raw]);

  const go = useCallback(
    (search: string) => router.push(search ? `${pathname}?${search}` : pathname, { scroll: false }),
    [router, pathname],
  );
  const update = useCallback(
    (change: GlobalParamsUpdate) => {
      if (change.range) resetWindowAnchors();
      go(nextPageSearch(new URLSearchParams(raw), change));
    },
    [go, raw],
  );
  const setPageParam = useCallback(
    (key: string, value: string | null) => {
      const next = new URLSearchParams(raw);
      if (value === null || value === '') next.delete(key);
      else next.set(key, value);
      go(next.toString());
    },
    [go, raw],
  );
  return { ...params, update, setPageParam, pageSearch };
}
