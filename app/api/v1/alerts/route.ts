import { defineRoute } from '@/lib/api/define-route';
import { alertsOverview } from '@/lib/alerts/service';
import { zAlertsQuery, zAlertsResponse } from '@/lib/contracts/alerts';

export const dynamic = 'force-dynamic';

/** The alert rules with their current state, recent notifications, webhook deliveries and silences. */
export const GET = defineRoute({
  name: 'alerts',
  path: '/api/v1/alerts',
  summary: 'Alert rules with their current state, recent notifications, the webhook delivery history and silences.',
  description:
    'Rules come from the rollout config (`alerts`, docs/alerts.md); a rule is `firing` while one of its series fires unsilenced. ' +
    'Notifications and deliveries are the newest 200 of each.',
  query: zAlertsQuery,
  response: zAlertsResponse,
  handler: async () => alertsOverview(),
});
