/** The product's side of the end-to-end tests: the events that reached it over OTLP, via /api/v1/events. */
import type { CredentialState, EventRow } from '@/lib/contracts/events';

export type ProductEvent = EventRow;

export type EventQuery = { userId: string } | { ceremonyId: string } | { flowId: string } | { credentialId: string };

export async function productEvents(baseUrl: string, query: EventQuery): Promise<ProductEvent[]> {
  const params = new URLSearchParams({ ...query, limit: '1000' });
  const response = await fetch(`${baseUrl}/api/v1/events?${params}`);
  if (response.status !== 200) throw new Error(`/api/v1/events answered ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { events: ProductEvent[] };
  return body.events;
}

/**
 * Polls until `ready(events)` holds (browser batches arrive about a second after the fact) and
 * returns the events either way, so the assertions that follow show what did arrive.
 */
export async function waitForProductEvents(
  baseUrl: string,
  query: EventQuery,
  ready: (events: ProductEvent[]) => boolean,
  timeoutMs = 20_000,
): Promise<ProductEvent[]> {
  const deadline = Date.now() + timeoutMs;
  let events: ProductEvent[] = [];
  while (Date.now() < deadline) {
    events = await productEvents(baseUrl, query);
    if (ready(events)) return events;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return events;
}

/** "has these event names (at least once each)". */
export function hasEvents(...names: string[]): (events: ProductEvent[]) => boolean {
  return (events) => names.every((name) => events.some((event) => event.eventName === name));
}

export function eventsNamed(events: ProductEvent[], name: string): ProductEvent[] {
  return events.filter((event) => event.eventName === name);
}

/** A compact line per event, for failure messages. */
export function describeEvents(events: ProductEvent[]): string {
  return events
    .map((e) =>
      [e.timestamp, e.eventName, e.surface, e.ceremonyId, e.promptOutcome || e.result, e.failureReason || e.clientFailureReason].join(' '),
    )
    .join('\n');
}

/** The product's view of one credential, from its full history (registered, last used, deleted). */
export async function productCredential(baseUrl: string, credentialId: string): Promise<CredentialState | undefined> {
  const response = await fetch(`${baseUrl}/api/v1/events?${new URLSearchParams({ credentialId, limit: '1' })}`);
  const body = (await response.json()) as { credentials: CredentialState[] };
  return body.credentials.find((c) => c.credentialId === credentialId);
}
