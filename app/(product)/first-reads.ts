/**
 * A dashboard page's first reads, started by the server while it renders the page (docs/performance.md,
 * "Where a page's first chart waits"). Without this a page asks its first question only once its
 * JavaScript has loaded and run — 1.3–2.9 s after navigation at 10 M events on the benchmark
 * machine. The server starts the very GET the page will send (the same URL: the same query options,
 * the preset window anchored at the server's render time — WindowAnchorSeed in the layout), in
 * process, with the browser's own request headers, so the same authorization, host checks and
 * defaults apply; the browser's request for that URL then receives the read already under way
 * (lib/api/early-reads.ts). The HTML is not held back: nothing here is awaited.
 *
 * Only for a browser's document request (`Sec-Fetch-Dest: document`): a client-side navigation is
 * a fetch of the page's RSC payload (`empty`), after which the browser asks from its own query
 * cache first; a script or crawler reading the HTML would never collect the read. (Next.js hides
 * its own RSC request headers from `headers()`.)
 */
import 'server-only';
import { headers } from 'next/headers';
import { cache } from 'react';
import { API_ROUTES } from '@/app/api/v1/registry';
import { operationOf } from '@/lib/api/operation';
import { apiUrl } from '@/lib/client/api';
import type { ApiQuery } from '@/lib/client/api-query';
import { parseGlobalParams, type GlobalParams } from '@/lib/client/global-params';

export type SearchParams = Record<string, string | string[] | undefined>;

/** The page's first queries, from the global params and the page's own URL parameters. */
export type FirstReads = (params: GlobalParams, search: URLSearchParams) => ApiQuery[];

/** When this request is rendered, once per request: the layout seeds the browser's window anchor with it, the reads use it. */
export const renderTime = cache(() => Date.now());

type EarlyStarter = { startEarly?: (request: Request) => void };

/** The early-read starter of each /api/v1 GET path (defineRoute's `startEarly`). */
const GET_ROUTES = new Map(
  API_ROUTES.flatMap((module) => {
    const operation = operationOf(module.GET);
    const startEarly = (module.GET as EarlyStarter | undefined)?.startEarly;
    return operation && startEarly ? [[operation.path, startEarly] as const] : [];
  }),
);

function searchOf(params: SearchParams): URLSearchParams {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) for (const item of [value ?? []].flat()) search.append(key, item);
  return search;
}

/** Starts the page's first reads (see the header); returns at once. */
export async function startFirstReads(searchParams: Promise<SearchParams>, reads: FirstReads): Promise<void> {
  const incoming = await headers();
  if (incoming.get('sec-fetch-dest') !== 'document') return;
  const search = searchOf(await searchParams);
  const origin = `http://${incoming.get('host') ?? 'localhost'}`;
  for (const { api } of reads(parseGlobalParams(search, renderTime()), search)) {
    const startEarly = GET_ROUTES.get(api.path);
    if (!startEarly) throw new Error(`no GET route with early reads for ${api.path}`);
    startEarly(new Request(new URL(apiUrl(api.path, api.params), origin), { headers: new Headers(incoming) }));
  }
}
