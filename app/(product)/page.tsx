import type { Metadata } from 'next';
import { OverviewView } from '@/components/pages/overview/overview-view';
import { startFirstReads, type FirstReads, type SearchParams } from './first-reads';
import { overviewQuery } from '@/lib/client/query-options';

export const metadata: Metadata = { title: 'Overview · Passkey rollout analytics' };

/** The page's first read, started while the server renders it (first-reads.ts): the same query the view asks. */
const reads: FirstReads = ({ from, to, tz, filters }) => [overviewQuery({ from, to, tz, filters })];

export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await startFirstReads(searchParams, reads);
  return <OverviewView />;
}
