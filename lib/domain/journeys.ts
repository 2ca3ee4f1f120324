/** The journey vocabulary (docs/metrics.md, "Journeys"): kinds, end states and their timeouts. */

export const JOURNEY_KINDS = ['sign_in', 'registration', 'recovery'] as const;
export type JourneyKind = (typeof JOURNEY_KINDS)[number];

/** How a flow ended; `in_progress` flows (no terminal event, timeout not yet passed) are counted apart. */
export const JOURNEY_END_STATES = ['passkey_success', 'fallback_success', 'failed', 'abandoned', 'in_progress'] as const;
export type JourneyEndState = (typeof JOURNEY_END_STATES)[number];

/**
 * A flow's events count within this long of its first; a flow without a terminal event by then is
 * abandoned. A recovery (an e-mailed link, a support agent) takes longer than a sign-in.
 */
export const JOURNEY_TIMEOUT_MINUTES: Record<JourneyKind, number> = { sign_in: 30, registration: 30, recovery: 24 * 60 };

/** A flow's events lie within this many hours of its first: the longest timeout (a recovery's day) and an hour. */
export const FLOW_SPAN_HOURS = Math.max(...Object.values(JOURNEY_TIMEOUT_MINUTES)) / 60 + 1;

/** The exposure buckets of the upsell conversion: the 1st, 2nd, 3rd, and 4th-or-later time a user was asked. */
export const UPSELL_EXPOSURES = [1, 2, 3, 4] as const;
