import { actorOf } from '@/lib/api/auth';
import { defineRoute } from '@/lib/api/define-route';
import { errorResponse } from '@/lib/api/errors';
import { zDecisionBody, zDecisionResponse, zDecisionsQuery } from '@/lib/contracts/stages';
import { decisionJson, recordDecision } from '@/lib/stage-gates/decisions';
import { rolloutConfigState } from '@/lib/stage-gates/rollout-config-service';

export const dynamic = 'force-dynamic';

/** Record advance / hold / roll back (201); the decision's stage becomes the current stage. */
export const POST = defineRoute({
  name: 'stages-decisions',
  path: '/api/v1/stages/decisions',
  summary: 'Record a stage decision (advance, hold or roll back); its stage becomes the current stage.',
  description:
    'Needs an admin token (one of ADMIN_TOKENS) when API_TOKENS or ADMIN_TOKENS is set (no token: 401; a read token: 403). ' +
    'Without a bearer token the request must be `application/json` and same-origin. The actor recorded is `token:<name>`, ' +
    'or on an open local install `local` with the optional `actor` typed (marked unverified).',
  access: 'admin',
  query: zDecisionsQuery,
  body: zDecisionBody,
  response: zDecisionResponse,
  status: 201,
  handler: async ({ body }, { principal }) => {
    const state = rolloutConfigState();
    if (!state.ok) return errorResponse(503, 'config_invalid', state.error.message);
    const { decision, currentStage } = await recordDecision(state.config, { ...body, actor: actorOf(principal, body.actor) });
    return { decision: decisionJson(decision), currentStage };
  },
});
