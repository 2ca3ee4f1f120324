'use client';

/**
 * A page's secondary reads wait for its first one. On the embedded engine every read already uses
 * both cores, so reads sent together finish no sooner than one after another, and a page that sends
 * its panels' reads at once shows its first chart only when most of them are done
 * (docs/performance.md, "A page's first chart before its other panels"). Inside `AfterFirstRead`,
 * a panel's read (`useQueryAfterFirstRead`) is sent once the page's first read has settled
 * (answered or failed); outside it, at once.
 */
import { useQuery, type QueryKey, type UseQueryOptions } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';

const FirstReadSettled = createContext(true);

export function AfterFirstRead({ settled, children }: { settled: boolean; children: ReactNode }) {
  return <FirstReadSettled.Provider value={settled}>{children}</FirstReadSettled.Provider>;
}

/** Whether a secondary panel may send its read: the page's first read has settled (always true outside `AfterFirstRead`). */
function useFirstReadSettled(): boolean {
  return useContext(FirstReadSettled);
}

/** A secondary panel's read: sent once the page's first read has settled (at once outside `AfterFirstRead`). */
export function useQueryAfterFirstRead<TQueryFnData, TError, TData, TQueryKey extends QueryKey>(
  options: UseQueryOptions<TQueryFnData, TError, TData, TQueryKey>,
) {
  return useQuery({ ...options, enabled: useFirstReadSettled() });
}
