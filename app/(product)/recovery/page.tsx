import type { Metadata } from 'next';
import { Suspense } from 'react';
import { RecoveryView } from '@/components/pages/recovery/recovery-view';
import { recoveryInterval, recoveryQuery } from '@/lib/client/recovery';
import { startFirstReads, type FirstReads, type SearchParams } from '../first-reads';

export const metadata: Metadata = { title: 'Recovery & support · Passkey rollout analytics' };

/** The page's first read, started while the server renders it (first-reads.ts): the same query the view asks. */
const reads: FirstReads = ({ from, to, tz, filters }, search) => [
  recoveryQuery({ from, to, tz, filters, interval: recoveryInterval(search, from, to) }),
];

export default async function RecoveryPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await startFirstReads(searchParams, reads);
  return (
    <Suspense>
      <RecoveryView />
    </Suspense>
  );
}
