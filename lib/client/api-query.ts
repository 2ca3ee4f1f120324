/**
 * Query options for one read of the API — how the dashboard's reads are made, bar a few with a
 * retry or refresh of their own — that also carry the read itself (`api`: path, parameters,
 * response schema). The browser asks it with `fetchApi`; a page's server component can start the
 * same GET while it renders the page (app/(product)/first-reads.ts), so the page's first read does
 * not wait for its JavaScript.
 */
import { queryOptions, type QueryKey } from '@tanstack/react-query';
import type { z } from 'zod';
import { fetchApi, shouldRetry, type ApiParams } from './api';

export interface ApiRead<S extends z.ZodType = z.ZodType> {
  path: string;
  params: ApiParams;
  /** The contract schema the route answers with (lib/contracts/*). */
  schema: S;
}

export interface ApiQueryOptions<S extends z.ZodType> {
  staleTime?: number;
  /** When to ask again, from the answer held (ms, or false for not on a timer). */
  refetchAfter?: (data: z.output<S> | undefined) => number | false;
}

export function apiQuery<const K extends QueryKey, S extends z.ZodType>(
  queryKey: K,
  api: ApiRead<S>,
  { staleTime = 30_000, refetchAfter }: ApiQueryOptions<S> = {},
) {
  return {
    ...queryOptions({
      retry: shouldRetry,
      staleTime,
      queryKey,
      queryFn: ({ signal }) => fetchApi(api.path, api.params, api.schema, { signal }),
      ...(refetchAfter ? { refetchInterval: (query: { state: { data?: z.output<S> } }) => refetchAfter(query.state.data) } : {}),
    }),
    api,
  };
}

/** What a server needs of a query made by apiQuery to start it itself: its read. */
export interface ApiQuery {
  api: ApiRead;
}
