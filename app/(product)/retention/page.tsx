import type { Metadata } from 'next';
import { Suspense } from 'react';
import { RetentionView } from '@/components/pages/retention/retention-view';
import { startFirstReads, type FirstReads, type SearchParams } from '../first-reads';
import { retentionQuery } from '@/lib/client/retention';

export const metadata: Metadata = { title: 'Passkey retention · Passkey rollout analytics' };

/** The page's first read, started while the server renders it (first-reads.ts): the same query the view asks. */
const reads: FirstReads = ({ from, to, tz, filters }) => [retentionQuery({ from, to, tz, filters })];

export default async function RetentionPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await startFirstReads(searchParams, reads);
  return (
    <Suspense>
      <RetentionView />
    </Suspense>
  );
}
