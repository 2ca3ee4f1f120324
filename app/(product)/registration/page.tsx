import type { Metadata } from 'next';
import { RegistrationView } from '@/components/pages/registration/registration-view';
import { startFirstReads, type FirstReads, type SearchParams } from '../first-reads';
import { registrationGroupBy, registrationQuery } from '@/lib/client/query-options';

export const metadata: Metadata = { title: 'Registration · Passkey rollout analytics' };

/** The page's first read, started while the server renders it (first-reads.ts): the same query the view asks. */
const reads: FirstReads = ({ from, to, tz, filters }, search) => [
  registrationQuery({ from, to, tz, filters, groupBy: registrationGroupBy(search) }),
];

export default async function RegistrationPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await startFirstReads(searchParams, reads);
  return <RegistrationView />;
}
