/**
 * GET /api/v1/journeys?kind=sign_in|registration|recovery — the paths people take through sign-in,
 * enrolment and recovery (docs/metrics.md, "Journeys"): the top paths with their shares, end states
 * and durations, the same as nodes and links for a flow diagram, and for sign-in the time to sign in
 * by the method that succeeded. GET /api/v1/journeys/flows lists the flows behind one link;
 * GET /api/v1/journeys/upsell the upsell conversion by exposure number.
 */
import { z } from 'zod';
import { zFilterParams, zTimeRange } from '@/lib/api/params';
import { JOURNEY_END_STATES, JOURNEY_KINDS } from '@/lib/domain/journeys';
import { zCount, zRate, zWindowEcho } from '@/lib/metrics/contract-parts';

const zKind = z.enum(JOURNEY_KINDS, { message: `must be one of ${JOURNEY_KINDS.join(', ')}` });
const zMs = z.number().nonnegative();
/** A state of a path: an entry, a step or an end state (docs/metrics.md lists them). */
const zState = z.string().min(1).max(128);

export const zJourneysQuery = z
  .object({ kind: zKind.default('sign_in') })
  .and(zFilterParams)
  .and(zTimeRange);
export type JourneysQuery = z.input<typeof zJourneysQuery>;

export const zJourneyPath = z.object({
  /** [entry, …steps, end state]. */
  path: z.array(zState),
  endState: z.enum(JOURNEY_END_STATES),
  flows: zCount,
  /** flows ÷ the kind's finished flows (in-progress flows are apart). */
  share: zRate,
  medianMs: zMs,
  p90Ms: zMs,
});
export type JourneyPath = z.infer<typeof zJourneyPath>;

export const zJourneyNode = z.object({
  /** `<depth>:<state>` for entries and steps, `end:<state>` for end states (one node each, at the right). */
  id: z.string(),
  state: zState,
  role: z.enum(['entry', 'step', 'end']),
  /** Position in the path (0 = entry); null for end nodes. */
  depth: z.number().int().nonnegative().nullable(),
  flows: zCount,
});
export type JourneyNode = z.infer<typeof zJourneyNode>;

export const zJourneyLink = z.object({
  source: z.string(),
  target: z.string(),
  /** The source's position in the path: with the two states, what /journeys/flows takes to list the link's flows. */
  depth: z.number().int().nonnegative(),
  sourceState: zState,
  targetState: zState,
  flows: zCount,
});
export type JourneyLink = z.infer<typeof zJourneyLink>;

export const zTimeToSignIn = z.object({
  /** The `auth.method` of the successful sign-in. */
  method: z.string(),
  /** null = every device class. */
  deviceClass: z.string().nullable(),
  flows: zCount,
  p25Ms: zMs,
  medianMs: zMs,
  p90Ms: zMs,
});
export type TimeToSignIn = z.infer<typeof zTimeToSignIn>;

export const zJourneysResponse = zWindowEcho.extend({
  kind: zKind,
  /** Events count within this long of a flow's first; without a terminal event by then a flow is abandoned. */
  timeoutMinutes: z.number().int().positive(),
  /** Finished flows of the kind that started in the window (in-progress ones apart). */
  flows: zCount,
  inProgress: zCount,
  endStates: z.array(z.object({ state: z.enum(JOURNEY_END_STATES), flows: zCount, share: zRate })),
  /** The most frequent paths (most flows first, ties by path), at most 20. */
  paths: z.array(zJourneyPath),
  /** What the top paths leave out. */
  otherPaths: z.object({ paths: zCount, flows: zCount }),
  /** Every finished flow as a diagram: nodes and links sized by flows. */
  nodes: z.array(zJourneyNode),
  links: z.array(zJourneyLink),
  /** Sign-in only (else empty): per method, over every device class and per device class, most flows first. */
  timeToSignIn: z.array(zTimeToSignIn),
});
export type JourneysResponse = z.infer<typeof zJourneysResponse>;

export const zJourneyFlowsQuery = z
  .object({
    kind: zKind.default('sign_in'),
    depth: z.coerce.number({ message: 'must be a whole number' }).int('must be a whole number').min(0).max(64).default(0),
    source: zState,
    target: zState,
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .and(zFilterParams)
  .and(zTimeRange);
export type JourneyFlowsQuery = z.input<typeof zJourneyFlowsQuery>;

export const zJourneyFlowsResponse = zWindowEcho.extend({
  kind: zKind,
  depth: z.number().int().nonnegative(),
  source: zState,
  target: zState,
  limit: z.number().int().positive(),
  /** Newest first. */
  flows: z.array(
    z.object({
      flowId: z.string(),
      userId: z.string(),
      startedAt: z.iso.datetime(),
      durationMs: zMs,
      deviceClass: z.string(),
      endState: z.enum(JOURNEY_END_STATES),
      path: z.array(zState),
    }),
  ),
});
export type JourneyFlowsResponse = z.infer<typeof zJourneyFlowsResponse>;

export const zUpsellExposuresQuery = zFilterParams.and(zTimeRange);

export const zUpsellExposuresResponse = zWindowEcho.extend({
  /** One row per exposure bucket 1, 2, 3, 4 (= 4th or later), all four always present. */
  exposures: z.array(
    z.object({
      exposure: z.number().int().min(1).max(4),
      label: z.string(),
      shown: zCount,
      accepted: zCount,
      registered: zCount,
      /** accepted ÷ shown; registered ÷ shown. */
      acceptedShare: zRate,
      registeredShare: zRate,
    }),
  ),
});
export type UpsellExposuresResponse = z.infer<typeof zUpsellExposuresResponse>;
