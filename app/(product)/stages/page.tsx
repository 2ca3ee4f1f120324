import type { Metadata } from 'next';
import { parseEvaluationTo } from '@/components/stages/prepare-history';
import { StageGatesView } from '@/components/stages/stage-gates-view';
import { stagesQuery } from '@/lib/client/stages';
import { startFirstReads, type FirstReads, type SearchParams } from '../first-reads';

export const metadata: Metadata = { title: 'Stage gates · Passkey rollout analytics' };

/** The page's first read, started while the server renders it (first-reads.ts): the quick evaluation (no trend) the view asks first. */
const reads: FirstReads = (_, search) => {
  const to = parseEvaluationTo(search.get('to'));
  return [stagesQuery({ trend: 0, ...(to ? { to } : {}) })];
};

export default async function StagesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await startFirstReads(searchParams, reads);
  return <StageGatesView />;
}
