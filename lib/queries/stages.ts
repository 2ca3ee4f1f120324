/**
 * TanStack Query options for the stage gates (GET /api/v1/stages, POST /api/v1/stages/decisions).
 * Keys are shaped [feature, question, params]; every response is validated with the schema the
 * route uses (lib/contracts/stages.ts). Shared by the Stage gates page and the Overview panel
 * (which asks for `trend: 0`, the cheap form).
 */
import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import {
  DEFAULT_TREND_WINDOWS,
  zDecisionResponse,
  zStagesResponse,
  type DecisionBody,
  type DecisionResponse,
  type StagesResponse,
} from '@/lib/contracts/stages';

const zErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), parameter: z.string().optional() }) });

/** An API error as the client sees it: status, code and the server's message (already user-facing). */
export class StagesApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
    this.name = 'StagesApiError';
  }
}

async function readJson<T>(response: Response, schema: z.ZodType<T>): Promise<T> {
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const parsed = zErrorBody.safeParse(body);
    if (parsed.success)
      throw new StagesApiError(response.status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.parameter);
    throw new StagesApiError(response.status, 'http_error', `The server answered ${response.status}.`);
  }
  return schema.parse(body);
}

export interface StagesParams {
  /** Previous windows in each criterion's trend; 0 is the quick form (no trend). */
  trend?: number;
  /** ISO-8601 end of every window; default now. */
  to?: string;
}

export const stagesKeys = {
  all: ['stages'] as const,
  overview: (params: StagesParams) => ['stages', 'overview', params] as const,
};

export function stagesUrl(params: StagesParams): string {
  const query = new URLSearchParams();
  query.set('trend', String(params.trend ?? DEFAULT_TREND_WINDOWS));
  if (params.to) query.set('to', params.to);
  return `/api/v1/stages?${query.toString()}`;
}

export function stagesQueryOptions(params: StagesParams = {}) {
  const normalized: StagesParams = { trend: params.trend ?? DEFAULT_TREND_WINDOWS, ...(params.to ? { to: params.to } : {}) };
  return queryOptions({
    queryKey: stagesKeys.overview(normalized),
    queryFn: async ({ signal }): Promise<StagesResponse> =>
      readJson(await fetch(stagesUrl(normalized), { signal, headers: { accept: 'application/json' } }), zStagesResponse),
    // The server caches evaluations for a minute. Retry once on a network error or storage outage;
    // a 4xx or a 503 config_invalid will not fix itself.
    staleTime: 60_000,
    retry: (failures, error) => failures < 1 && !(error instanceof StagesApiError && error.code !== 'storage_unavailable'),
  });
}

export async function recordStageDecision(body: DecisionBody): Promise<DecisionResponse> {
  const response = await fetch('/api/v1/stages/decisions', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  return readJson(response, zDecisionResponse);
}
