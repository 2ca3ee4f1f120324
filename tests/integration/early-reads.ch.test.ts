/**
 * A dashboard page's first read started by the server while it renders the page
 * (app/(product)/first-reads.ts, lib/api/early-reads.ts), against the running app: the document
 * request starts the very GET the page's script will send, that request receives it (marked
 * `x-served-from: early-read`) with the answer a fresh request gives, and only once; a client-side
 * navigation (a fetch of the page's RSC payload) or a script reading the HTML starts nothing.
 */
import { describe, expect, inject, it } from 'vitest';
import { apiUrl } from '@/lib/client/api';
import { parseGlobalParams } from '@/lib/client/global-params';
import type { ApiQuery } from '@/lib/client/api-query';
import type { MetricsParams } from '@/lib/client/query-options';
import { failuresSeriesQuery } from '@/lib/client/failures';
import { retentionQuery } from '@/lib/client/retention';
import { securityQuery } from '@/lib/client/security';

const baseUrl = inject('baseUrl');

/** The page URL of a custom window, and the URL of the first read its view asks. */
function urls(page: string, from: string, to: string, read: (params: MetricsParams) => ApiQuery) {
  const search = new URLSearchParams({ from, to });
  const { tz, filters } = parseGlobalParams(search, Date.now());
  const { api } = read({ from, to, tz, filters });
  return { page: `${baseUrl}${page}?${search}`, api: `${baseUrl}${apiUrl(api.path, api.params)}` };
}

/** What a browser sends with a document navigation (`Sec-Fetch-Dest`; a fetch sends `empty`). */
const DOCUMENT = { 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate' };

/** `no-cache`: an identical read just before is not shared with this one (lib/api/shared-answers.ts). */
async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers: { 'cache-control': 'no-cache', ...headers } });
  return { status: response.status, servedFrom: response.headers.get('x-served-from'), body: await response.text() };
}

describe('early reads', () => {
  it.each([
    ['/retention', retentionQuery],
    // the page's URL without `interval` or `seriesBy`: a 28-day window by day, by reason
    ['/failures', (p: MetricsParams) => failuresSeriesQuery({ ...p, interval: 'day', groupBy: 'reason' })],
  ] as const)(
    'the document of %s starts its first read; the page request for it receives it, once, with the fresh answer',
    async (path, read) => {
      const { page, api } = urls(path, '2025-03-01T00:00:00.000Z', '2025-03-29T00:00:00.000Z', read);
      const document = await get(page, DOCUMENT);
      expect(document.status).toBe(200);
      const early = await get(api);
      expect(early).toMatchObject({ status: 200, servedFrom: 'early-read' });
      const fresh = await get(api);
      expect(fresh).toMatchObject({ status: 200, servedFrom: null });
      expect(JSON.parse(early.body)).toEqual(JSON.parse(fresh.body));
    },
  );

  it('is started for the URL the page asks: another window is asked afresh', async () => {
    const { page } = urls('/security', '2025-04-01T00:00:00.000Z', '2025-04-29T00:00:00.000Z', securityQuery);
    const other = urls('/security', '2025-04-02T00:00:00.000Z', '2025-04-29T00:00:00.000Z', securityQuery);
    expect((await get(page, DOCUMENT)).status).toBe(200);
    expect(await get(other.api)).toMatchObject({ status: 200, servedFrom: null });
  });

  it('a client-side navigation or a script reading the HTML starts nothing', async () => {
    const { page, api } = urls('/retention', '2025-05-01T00:00:00.000Z', '2025-05-29T00:00:00.000Z', retentionQuery);
    const requests: Array<Record<string, string>> = [{ rsc: '1', 'sec-fetch-dest': 'empty', 'sec-fetch-mode': 'cors' }, {}];
    for (const headers of requests) {
      expect((await get(page, headers)).status).toBe(200);
      expect(await get(api)).toMatchObject({ status: 200, servedFrom: null });
    }
  });
});
