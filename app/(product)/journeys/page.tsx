import type { Metadata } from 'next';
import { Suspense } from 'react';
import { JourneysView } from '@/components/pages/journeys/journeys-view';
import { journeysQuery, parseJourneyKind } from '@/lib/client/journeys';
import { startFirstReads, type FirstReads, type SearchParams } from '../first-reads';

export const metadata: Metadata = { title: 'Journeys · Passkey rollout analytics' };

/** The page's first read, started while the server renders it (first-reads.ts): the same query the view asks. */
const reads: FirstReads = ({ from, to, tz, filters }, search) => [
  journeysQuery({ from, to, tz, filters, kind: parseJourneyKind(search.get('kind')) }),
];

export default async function JourneysPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await startFirstReads(searchParams, reads);
  return (
    <Suspense>
      <JourneysView />
    </Suspense>
  );
}
