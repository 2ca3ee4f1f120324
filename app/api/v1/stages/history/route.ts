import { defineRoute } from '@/lib/api/define-route';
import { zStageHistoryQuery, zStageHistoryResponse } from '@/lib/contracts/stage-history';
import { stagesHistory } from '@/lib/stage-gates/stages-service';

export const dynamic = 'force-dynamic';

/** The stored daily stage-gate evaluations: per transition, per day, the verdict and every criterion's value (never evaluated on demand). */
export const GET = defineRoute({
  name: 'stages-history',
  path: '/api/v1/stages/history',
  summary:
    'Stored daily stage-gate evaluations: per transition and UTC day, the verdict and every criterion (value, interval, sample, status).',
  description:
    'Each day D is evaluated in the background as of its end (D + 1 day, 00:00 UTC) with the configuration in force, and again when late data ' +
    'changes it. Days not evaluated yet (or under another configuration) say so and carry no values.',
  parameters: { days: 'How many UTC days ending yesterday (1–90, default 90).' },
  query: zStageHistoryQuery,
  response: zStageHistoryResponse,
  handler: ({ query }) => stagesHistory(query.days),
});
