import { defineRoute } from '@/lib/api/define-route';
import { zEventsQuery, zEventsResponse } from '@/lib/contracts/events';
import { env } from '@/lib/env';
import { runQuery } from '@/lib/query';
import { credentialsOfSubject } from '@/sql/queries/credentials-of-subject';
import { eventsLookup } from '@/sql/queries/events-lookup';

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
  query: zEventsQuery,
  response: zEventsResponse,
  handler: async ({ query }) => {
    const credentials =
      query.userId || query.credentialId
        ? await runQuery(credentialsOfSubject, { userId: query.userId, credentialId: query.credentialId })
        : [];
    const events = await runQuery(eventsLookup, {
      from: query.from,
      to: query.to,
      userId: query.userId,
      credentialId: query.credentialId,
      flowId: query.flowId,
      ceremonyId: query.ceremonyId,
      traceId: query.traceId,
      eventNames: query.eventName,
      deviceClasses: query.deviceClass,
      reasons: query.reason,
      limit: query.limit,
    });
    return {
      from: query.from.toISOString(),
      to: query.to.toISOString(),
      limit: query.limit,
      events,
      credentials,
      traceUrlTemplate: env().TRACE_URL_TEMPLATE ?? null,
    };
  },
});
