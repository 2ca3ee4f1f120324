/**
 * TanStack `queryOptions` for the Journeys page (GET /api/v1/journeys, /journeys/flows and
 * /journeys/upsell), keyed `[feature, question, params]`, and the page's `?kind=` URL parameter.
 */
import { zJourneyFlowsResponse, zJourneysResponse, zUpsellExposuresResponse } from '@/lib/contracts/journeys';
import { JOURNEY_KINDS, type JourneyKind } from '@/lib/domain/journeys';
import { apiQuery } from './api-query';
import { toApiParams, type MetricsParams } from './query-options';

/** The page's `?kind=`: one of JOURNEY_KINDS, else sign-in (the default, left out of the URL). */
export const DEFAULT_JOURNEY_KIND: JourneyKind = 'sign_in';

export function parseJourneyKind(value: string | null): JourneyKind {
  return (JOURNEY_KINDS as readonly string[]).includes(value ?? '') ? (value as JourneyKind) : DEFAULT_JOURNEY_KIND;
}

/** The URL value for a kind: null (no parameter) for the default. */
export function journeyKindParam(kind: JourneyKind): string | null {
  return kind === DEFAULT_JOURNEY_KIND ? null : kind;
}

/** One link of the diagram, as /journeys/flows takes it. */
export interface JourneyLinkRef {
  depth: number;
  source: string;
  target: string;
}

export const journeysQuery = (params: MetricsParams & { kind: JourneyKind }) =>
  apiQuery(['journeys', 'paths', params], {
    path: '/api/v1/journeys',
    params: { ...toApiParams(params), kind: params.kind },
    schema: zJourneysResponse,
  });

export const journeyFlowsQuery = (params: MetricsParams & { kind: JourneyKind; link: JourneyLinkRef; limit?: number }) =>
  apiQuery(['journeys', 'flows', params], {
    path: '/api/v1/journeys/flows',
    params: {
      ...toApiParams(params),
      kind: params.kind,
      depth: params.link.depth,
      source: params.link.source,
      target: params.link.target,
      limit: params.limit,
    },
    schema: zJourneyFlowsResponse,
  });

export const upsellExposuresQuery = (params: MetricsParams) =>
  apiQuery(['journeys', 'upsell', params], {
    path: '/api/v1/journeys/upsell',
    params: toApiParams(params),
    schema: zUpsellExposuresResponse,
  });
