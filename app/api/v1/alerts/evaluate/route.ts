import { defineRoute } from '@/lib/api/define-route';
import { evaluateAlertsOnce } from '@/lib/alerts/evaluator';
import { zAlertsQuery, zEvaluateBody, zEvaluateResponse } from '@/lib/contracts/alerts';

export const dynamic = 'force-dynamic';

/** Evaluate every alert rule now (after any evaluation running), if this instance holds the evaluation lease. */
export const POST = defineRoute({
  name: 'alerts-evaluate',
  path: '/api/v1/alerts/evaluate',
  summary: 'Evaluate every alert rule now, notifying as a scheduled evaluation would.',
  description:
    'Needs an admin token when API_TOKENS or ADMIN_TOKENS is set. Runs after any evaluation in progress, and only in the instance ' +
    'holding the evaluation lease (docs/alerts.md); elsewhere `evaluated` is false and `holder` names the instance that evaluates.',
  access: 'admin',
  query: zAlertsQuery,
  body: zEvaluateBody,
  response: zEvaluateResponse,
  handler: async () => evaluateAlertsOnce(),
});
