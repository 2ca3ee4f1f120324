import { actorOf } from '@/lib/api/auth';
import { audit } from '@/lib/auth/audit';
import { defineRoute } from '@/lib/api/define-route';
import { zDecisionSnapshotQuery, zDecisionSnapshotResponse } from '@/lib/contracts/stage-snapshots';
import { zDecisionBody, zDecisionResponse, zDecisionsQuery } from '@/lib/contracts/stages';
import { readSnapshot } from '@/lib/stage-gates/decision-snapshots';
import { recordStageDecision } from '@/lib/stage-gates/stages-service';

export const dynamic = 'force-dynamic';

/** Record advance / hold / roll back (201); the decision's stage becomes the current stage. */
export const POST = defineRoute({
  name: 'stages-decisions',
  path: '/api/v1/stages/decisions',
  summary: 'Record a stage decision (advance, hold or roll back); its stage becomes the current stage.',
  description:
    'Needs an admin token (one of ADMIN_TOKENS) when API_TOKENS or ADMIN_TOKENS is set (no token: 401; a read token: 403). ' +
    'Without a bearer token the request must be `application/json` and same-origin. The actor recorded is `token:<name>`, ' +
    'or on an open local install `local` with the optional `actor` typed (marked unverified). The evaluation named by ' +
    '`evaluatedAt` (default now) is recorded with the decision as its evidence snapshot.',
  access: 'admin',
  query: zDecisionsQuery,
  body: zDecisionBody,
  response: zDecisionResponse,
  status: 201,
  handler: async ({ body }, { principal }) => {
    const recorded = await recordStageDecision(body, actorOf(principal, body.actor));
    audit(principal, 'stage_decision', `stage ${body.stage}`, { action: body.action, reason: body.reason ?? null });
    return recorded;
  },
});

/** The evidence a decision was made on: the evaluation recorded with it. */
export const GET = defineRoute({
  name: 'stages-decision-snapshot',
  path: '/api/v1/stages/decisions',
  summary:
    'The evidence snapshot of one stage decision: the evaluation (verdicts, values, intervals, samples, config version) it was made on.',
  parameters: { id: 'The decision id (from the decision log).' },
  query: zDecisionSnapshotQuery,
  response: zDecisionSnapshotResponse,
  handler: async ({ query }) => ({ decisionId: query.id, snapshot: await readSnapshot(query.id) }),
});
