import { defineRoute } from '@/lib/api/define-route';
import { zPhaseOutQuery, zPhaseOutResponse } from '@/lib/contracts/stage-phase-out';
import { phaseOutAnswer } from '@/lib/stage-gates/stages-service';

export const dynamic = 'force-dynamic';

/** Stage 4 over time: per UTC week the password removals, and as of its end the holders without a password and the blast radius. */
export const GET = defineRoute({
  name: 'stages-phase-out',
  path: '/api/v1/stages/phase-out',
  summary:
    'Stage 4 over time: per UTC week the password removals (events and users), and as of the week’s end the passkey holders without a password and the lock-out blast radius.',
  parameters: {
    to: 'The last week ends here (ISO-8601 date-time, or a date = midnight UTC); default now, to the minute.',
    weeks: 'How many weeks back (1–26, default 12); the first one is cut where the window starts.',
    environment: 'Environments read (`*` for all); default DEFAULT_ENVIRONMENT when configured.',
  },
  shared: true,
  query: zPhaseOutQuery,
  response: zPhaseOutResponse,
  handler: ({ query }) => phaseOutAnswer(query),
});
