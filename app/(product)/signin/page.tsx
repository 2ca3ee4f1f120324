import type { Metadata } from 'next';
import { SigninView } from '@/components/pages/signin/signin-view';
import { startFirstReads, type FirstReads, type SearchParams } from '../first-reads';
import { fallbackCohortQuery, signinQuery } from '@/lib/client/query-options';

export const metadata: Metadata = { title: 'Sign-in & fallback · Passkey rollout analytics' };

/** The page's first reads, started while the server renders it (first-reads.ts): the summary and the cohort panel (the first chart). */
const reads: FirstReads = ({ from, to, tz, filters }) => [
  signinQuery({ from, to, tz, filters }),
  fallbackCohortQuery({ from, to, tz, filters }),
];

export default async function SigninPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await startFirstReads(searchParams, reads);
  return <SigninView />;
}
