import type { Metadata } from 'next';
import { Suspense } from 'react';
import { parseGroupBy } from '@/components/pages/failures/prepare-failures';
import { parseSeriesGroup, seriesInterval } from '@/components/pages/failures/prepare-series';
import { FailuresView } from '@/components/pages/failures/failures-view';
import { failuresQuery, failuresSeriesQuery } from '@/lib/client/failures';
import { startFirstReads, type FirstReads, type SearchParams } from '../first-reads';

export const metadata: Metadata = { title: 'Failures · Passkey rollout analytics' };

/** The page's first reads, started while the server renders it (first-reads.ts): failures over time (the first chart) and the Pareto, as the view asks them. */
const reads: FirstReads = ({ from, to, tz, filters }, search) => [
  failuresSeriesQuery({
    from,
    to,
    tz,
    filters,
    interval: seriesInterval(search.get('interval'), from, to),
    groupBy: parseSeriesGroup(search.get('seriesBy')),
  }),
  failuresQuery({ from, to, tz, filters, groupBy: parseGroupBy(search.get('groupBy')), pageSize: 1 }),
];

export default async function FailuresPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await startFirstReads(searchParams, reads);
  return (
    <Suspense>
      <FailuresView />
    </Suspense>
  );
}
