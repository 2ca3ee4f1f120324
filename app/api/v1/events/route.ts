import { defineRoute } from '@/lib/api/define-route';
import { zEventsQuery, zEventsResponse } from '@/lib/contracts/events';
import { eventsResponse } from '@/lib/metrics/events';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({
  name: 'events',
  path: '/api/v1/events',
  summary: "Raw ceremony events and the subject's credentials, looked up by user, credential, flow, ceremony or trace.",
  parameters: {
    userId: 'Events of this user (`user.id`).',
    credentialId: 'Events of this credential (`webauthn.credential.id`).',
    flowId: 'Events of this flow (`auth.flow.id`).',
    ceremonyId: 'Events of this ceremony (`webauthn.ceremony.id`).',
    traceId: 'Events of this trace (the OpenTelemetry trace id).',
    eventName: 'Only these event names (e.g. `passkey.registration`).',
    deviceClass: 'Only events from these device classes.',
    reason: 'Only events with these failure reasons.',
  },
  shared: true,
  query: zEventsQuery,
  response: zEventsResponse,
  handler: ({ query }) => eventsResponse(query),
});
