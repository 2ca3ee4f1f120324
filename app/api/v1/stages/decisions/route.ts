import { authorize } from '@/lib/api/auth';
import { defineRoute } from '@/lib/api/define-route';
import { errorResponse, unexpectedErrorResponse } from '@/lib/api/errors';
import { withOperation } from '@/lib/api/operation';
import { zDecisionBody, zDecisionResponse, zDecisionsQuery } from '@/lib/contracts/stages';
import { decisionJson, recordDecision } from '@/lib/stage-gates/decisions';
import { rolloutConfigState } from '@/lib/stage-gates/rollout-config-service';

export const dynamic = 'force-dynamic';

/** Record advance / hold / roll back (201); the decision's stage becomes the current stage. Admin only when API_TOKENS is set. */
const record = defineRoute({
  name: 'stages-decisions',
  path: '/api/v1/stages/decisions',
  summary: 'Record a stage decision (advance, hold or roll back); its stage becomes the current stage.',
  description: 'Needs an admin token (one of ADMIN_TOKENS) when API_TOKENS is set; a read-only token gets 403.',
  access: 'admin',
  query: zDecisionsQuery,
  body: zDecisionBody,
  response: zDecisionResponse,
  status: 201,
  handler: async ({ body }) => {
    const state = rolloutConfigState();
    if (!state.ok) return errorResponse(503, 'config_invalid', state.error.message);
    const { decision, currentStage } = await recordDecision(state.config, body);
    return { decision: decisionJson(decision), currentStage };
  },
});

export const POST = withOperation(async function POST(request: Request): Promise<Response> {
  // Authenticate before authorizing: no (or an unknown) token is 401, a valid read-only token 403.
  try {
    authorize(request, 'read');
  } catch (error) {
    return unexpectedErrorResponse(error, 'stages-decisions');
  }
  return record(request);
}, record.operation);
