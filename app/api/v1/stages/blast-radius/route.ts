import { csvDay, csvResponse } from '@/lib/api/csv-response';
import { defineRoute } from '@/lib/api/define-route';
import { zBlastRadiusQuery, zBlastRadiusResponse } from '@/lib/contracts/stages';
import { blastRadiusAnswer } from '@/lib/stage-gates/stages-service';

export const dynamic = 'force-dynamic';

/** The stage-4 lock-out blast radius: summary by device class and the at-risk holders (JSON, or CSV with format=csv; formula-like cells neutralised unless raw=1). */
export const GET = defineRoute({
  name: 'stages-blast-radius',
  path: '/api/v1/stages/blast-radius',
  summary: 'The stage-4 lock-out blast radius: summary by device class and the at-risk holders (JSON, or CSV with format=csv).',
  parameters: {
    to: 'As of this instant (ISO-8601 date-time, or a date = midnight UTC); default now, to the minute.',
    limit: 'At most this many at-risk users (default 1,000).',
  },
  shared: true,
  query: zBlastRadiusQuery,
  response: zBlastRadiusResponse,
  handler: async ({ query }) => {
    const { to, summary, users, csv } = await blastRadiusAnswer(query);
    if (query.format === 'csv') return csvResponse(csv(), `lock-out-blast-radius-${csvDay(to)}.csv`, summary.atRisk);
    return { ...summary, users, limit: query.limit };
  },
});
