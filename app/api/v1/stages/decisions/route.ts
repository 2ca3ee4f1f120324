import { authorize } from '@/lib/api/auth';
import { defineRoute } from '@/lib/api/define-route';
import { errorResponse, unexpectedErrorResponse } from '@/lib/api/errors';
import { zDecisionBody, zDecisionResponse, zDecisionsQuery } from '@/lib/contracts/stages';
import { decisionJson, recordDecision } from '@/lib/stage-gates/decisions';
import { rolloutConfigState } from '@/lib/stage-gates/rollout-config-service';

export const dynamic = 'force-dynamic';

/** Record advance / hold / roll back (201); the decision's stage becomes the current stage. Admin only when API_TOKENS is set. */
const record = defineRoute({
  name: 'stages-decisions',
  access: 'admin',
  query: zDecisionsQuery,
  body: zDecisionBody,
  response: zDecisionResponse,
  handler: async ({ body }) => {
    const state = rolloutConfigState();
    if (!state.ok) return errorResponse(503, 'config_invalid', state.error.message);
    const { decision, currentStage } = await recordDecision(state.config, body);
    const payload = zDecisionResponse.parse({ decision: decisionJson(decision), currentStage });
    return Response.json(payload, { status: 201, headers: { 'cache-control': 'no-store' } });
  },
});

export async function POST(request: Request): Promise<Response> {
  // Authenticate before authorizing: no (or an unknown) token is 401, a valid read-only token 403.
  try {
    authorize(request, 'read');
  } catch (error) {
    return unexpectedErrorResponse(error, 'stages-decisions');
  }
  return record(request);
}
