/**
 * Lookup (GET /api/v1/events): raw ceremony events and the subject's credentials.
 */
import 'server-only';
import type { z } from 'zod';
import type { zEventsQuery, EventsResponse } from '@/lib/contracts/events';
import { env } from '@/lib/env';
import { runQuery } from '@/lib/query';
import { credentialsOfSubject } from '@/sql/queries/credentials-of-subject';
import { eventsLookup } from '@/sql/queries/events-lookup';

export async function eventsResponse(query: z.output<typeof zEventsQuery>): Promise<EventsResponse> {
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
  // Read after the events, so the credentials are never older than the events shown beside them
  // (a registration and its credential's deletion may arrive in separate requests).
  const credentials =
    query.userId || query.credentialId
      ? await runQuery(credentialsOfSubject, { userId: query.userId, credentialId: query.credentialId })
      : [];
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    limit: query.limit,
    events,
    credentials,
    traceUrlTemplate: env().TRACE_URL_TEMPLATE ?? null,
  };
}
