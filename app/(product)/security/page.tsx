import type { Metadata } from 'next';
import { Suspense } from 'react';
import { SecurityView } from '@/components/pages/security/security-view';
import { startFirstReads, type FirstReads, type SearchParams } from '../first-reads';
import { securityQuery } from '@/lib/client/security';

export const metadata: Metadata = { title: 'Security · Passkey rollout analytics' };

/** The page's first read, started while the server renders it (first-reads.ts): the same query the view asks. */
const reads: FirstReads = ({ from, to, tz, filters }) => [securityQuery({ from, to, tz, filters })];

export default async function SecurityPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await startFirstReads(searchParams, reads);
  return (
    <Suspense>
      <SecurityView />
    </Suspense>
  );
}
