import { actorOf } from '@/lib/api/auth';
import { defineRoute } from '@/lib/api/define-route';
import { sendTestNotification } from '@/lib/alerts/service';
import { zAlertsQuery, zTestBody, zTestResponse } from '@/lib/contracts/alerts';

export const dynamic = 'force-dynamic';

/** Sends a test notification to every configured webhook and reports each target's result. */
export const POST = defineRoute({
  name: 'alerts-test',
  path: '/api/v1/alerts/test',
  summary: 'Send a test notification to every configured webhook (ALERT_WEBHOOK_URLS) and report the result per target.',
  description:
    'Needs an admin token when API_TOKENS or ADMIN_TOKENS is set. Each delivery is signed and retried like a real notification ' +
    '(docs/alerts.md) and recorded in the delivery history. No webhook configured: an empty `results` list.',
  access: 'admin',
  query: zAlertsQuery,
  body: zTestBody,
  response: zTestResponse,
  handler: async ({ body }, { principal }) => sendTestNotification(actorOf(principal), body.message),
});
