import { actorOf } from '@/lib/api/auth';
import { audit } from '@/lib/auth/audit';
import { defineRoute } from '@/lib/api/define-route';
import { createSilence } from '@/lib/alerts/service';
import { listSilences } from '@/lib/alerts/store';
import { zAlertsQuery, zSilenceBody, zSilenceResponse, zSilencesResponse } from '@/lib/contracts/alerts';

export const dynamic = 'force-dynamic';

/** Every silence, newest first, with whether it is in force. */
export const GET = defineRoute({
  name: 'alerts-silences',
  path: '/api/v1/alerts/silences',
  summary: 'Alert silences, newest first, with whether each is in force.',
  query: zAlertsQuery,
  response: zSilencesResponse,
  handler: async () => ({ silences: await listSilences(Date.now()) }),
});

/** Mute a rule, or one of its series, until a time, with a reason (201). */
export const POST = defineRoute({
  name: 'alerts-silences-create',
  path: '/api/v1/alerts/silences',
  summary: 'Mute an alert rule, or one of its series, until a time, with a reason.',
  description:
    'Needs an admin token when API_TOKENS or ADMIN_TOKENS is set (no token: 401; a read token: 403). Without a bearer token the request ' +
    'must be `application/json` and same-origin. A muted series still fires and resolves, without notifying; when the silence ends ' +
    'while it fires, the firing notice goes out then. The actor recorded is `token:<name>`, or on an open install `local`.',
  access: 'admin',
  query: zAlertsQuery,
  body: zSilenceBody,
  response: zSilenceResponse,
  status: 201,
  handler: async ({ body }, { principal }) => {
    const silence = await createSilence({
      ruleId: body.ruleId,
      seriesKey: body.seriesKey,
      until: body.until,
      reason: body.reason,
      actor: actorOf(principal, body.actor),
    });
    audit(principal, 'alert_silence', body.ruleId, { seriesKey: body.seriesKey ?? null, until: body.until, reason: body.reason });
    return { silence };
  },
});
