import { defineRoute } from '@/lib/api/define-route';
import { zExperimentQuery, zExperimentResponse } from '@/lib/contracts/stage-experiment';
import { experimentAnswer } from '@/lib/stage-gates/stages-service';

export const dynamic = 'force-dynamic';

/** The rollout experiment: treatment against control for every proportion and rate criterion of the stage gates. */
export const GET = defineRoute({
  name: 'stages-experiment',
  path: '/api/v1/stages/experiment',
  summary:
    "The rollout experiment (the configuration's flag and control variant): each proportion and rate criterion measured in the control and the treatment arm, with the difference (or rate ratio), its 95 % interval and a two-sided test.",
  parameters: {
    to: 'Every window ends here (ISO-8601 date-time, or a date = midnight UTC); default now, to the minute.',
  },
  query: zExperimentQuery,
  response: zExperimentResponse,
  handler: ({ query }) => experimentAnswer(query),
});
