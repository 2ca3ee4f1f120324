import { actorOf } from '@/lib/api/auth';
import { audit } from '@/lib/auth/audit';
import { defineRoute } from '@/lib/api/define-route';
import { expireSilence } from '@/lib/alerts/service';
import { zAlertsQuery, zExpireSilenceBody, zSilenceResponse } from '@/lib/contracts/alerts';

export const dynamic = 'force-dynamic';

/** End a silence now (recorded with who ended it). */
export const POST = defineRoute({
  name: 'alerts-silences-expire',
  path: '/api/v1/alerts/silences/expire',
  summary: 'End an alert silence now; who ended it is recorded.',
  description:
    'Needs an admin token when API_TOKENS or ADMIN_TOKENS is set. An unknown id is a 400 naming `id`; an ended silence is returned as is.',
  access: 'admin',
  query: zAlertsQuery,
  body: zExpireSilenceBody,
  response: zSilenceResponse,
  handler: async ({ body }, { principal }) => {
    const silence = await expireSilence(body.id, actorOf(principal));
    audit(principal, 'alert_silence', silence.ruleId, { ended: body.id });
    return { silence };
  },
});
