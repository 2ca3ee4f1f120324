/**
 * GET /api/v1/journeys, /journeys/flows and /journeys/upsell: the rows of sql/queries/journeys.ts,
 * journey-flows.ts and upsell-exposures.ts as top paths, a flow diagram, the time to sign in, a
 * link's flows and the upsell conversion (docs/metrics.md, "Journeys").
 */
import 'server-only';
import type {
  JourneyFlowsResponse,
  JourneyLink,
  JourneyNode,
  JourneyPath,
  JourneysResponse,
  TimeToSignIn,
  UpsellExposuresResponse,
} from '@/lib/contracts/journeys';
import type { Filters } from '@/lib/domain/filters';
import {
  JOURNEY_END_STATES,
  JOURNEY_TIMEOUT_MINUTES,
  UPSELL_EXPOSURES,
  type JourneyEndState,
  type JourneyKind,
} from '@/lib/domain/journeys';
import { runQuery } from '@/lib/query';
import { journeyParams } from '@/sql/queries/journey-fragments';
import { journeyFlows } from '@/sql/queries/journey-flows';
import { journeyPaths, type JourneyRow } from '@/sql/queries/journeys';
import { windowFilterParams } from '@/sql/queries/shared';
import { upsellExposures, type UpsellExposureRow } from '@/sql/queries/upsell-exposures';
import { rate } from './rates';
import { byCountThenName } from './ranking';
import { windowEcho, type TimeWindow } from './windows';

/** How many paths the response lists one by one. */
export const TOP_PATHS = 20;

const endStateOf = (path: readonly string[]) => path[path.length - 1] as JourneyEndState;

/** A path's states as diagram nodes: entry and steps by position, the end state one node at the right. */
function nodeIds(path: readonly string[]): string[] {
  return path.map((state, i) => (i === path.length - 1 ? `end:${state}` : `${i}:${state}`));
}

/**
 * Pure: the path rows of the kind (one per distinct path, in-progress ones included) → the finished
 * flows, the end states, the top paths and the diagram. Each link's flows are the flows of every
 * path that takes it, so the diagram holds every finished flow, not only the top paths'.
 */
export function journeyGraph(rows: readonly JourneyRow[]) {
  const all = rows.filter((row) => row.part === 'path' && row.path.length >= 2);
  const finished = all.filter((row) => endStateOf(row.path) !== 'in_progress');
  const flows = finished.reduce((sum, row) => sum + row.flows, 0);
  const inProgress = all.reduce((sum, row) => sum + (endStateOf(row.path) === 'in_progress' ? row.flows : 0), 0);

  const ends = new Map<JourneyEndState, number>();
  const nodes = new Map<string, JourneyNode>();
  const links = new Map<string, JourneyLink>();
  for (const row of finished) {
    ends.set(endStateOf(row.path), (ends.get(endStateOf(row.path)) ?? 0) + row.flows);
    const ids = nodeIds(row.path);
    ids.forEach((id, i) => {
      const last = i === ids.length - 1;
      const node = nodes.get(id) ?? {
        id,
        state: row.path[i]!,
        role: last ? 'end' : i === 0 ? 'entry' : 'step',
        depth: last ? null : i,
        flows: 0,
      };
      node.flows += row.flows;
      nodes.set(id, node);
      if (last) return;
      const key = `${id}>${ids[i + 1]}`;
      const link = links.get(key) ?? {
        source: id,
        target: ids[i + 1]!,
        depth: i,
        sourceState: row.path[i]!,
        targetState: row.path[i + 1]!,
        flows: 0,
      };
      link.flows += row.flows;
      links.set(key, link);
    });
  }

  const ranked = [...finished].sort(
    byCountThenName(
      (row) => row.flows,
      (row) => row.path.join('\u0000'),
    ),
  );
  const paths: JourneyPath[] = ranked.slice(0, TOP_PATHS).map((row) => ({
    path: row.path,
    endState: endStateOf(row.path),
    flows: row.flows,
    share: rate(row.flows, flows),
    medianMs: row.quantiles[0] ?? 0,
    p90Ms: row.quantiles[1] ?? 0,
  }));
  const rest = ranked.slice(TOP_PATHS);
  return {
    flows,
    inProgress,
    endStates: JOURNEY_END_STATES.filter((state) => state !== 'in_progress').map((state) => ({
      state,
      flows: ends.get(state) ?? 0,
      share: rate(ends.get(state) ?? 0, flows),
    })),
    paths,
    otherPaths: { paths: rest.length, flows: rest.reduce((sum, row) => sum + row.flows, 0) },
    nodes: [...nodes.values()].sort(
      byCountThenName(
        (node) => node.flows,
        (node) => node.id,
      ),
    ),
    links: [...links.values()].sort(
      byCountThenName(
        (link) => link.flows,
        (link) => `${link.source}>${link.target}`,
      ),
    ),
  };
}

const byFlowsThenMethod = byCountThenName(
  (t: TimeToSignIn) => t.flows,
  (t) => `${t.method}\u0000${t.deviceClass ?? ''}`,
);

/** Pure: the time rows → per method, over every device class first, then per device class, most flows first. */
export function timesToSignIn(rows: readonly JourneyRow[]): TimeToSignIn[] {
  return rows
    .filter((row) => row.part === 'time')
    .map((row) => ({
      method: row.method,
      deviceClass: row.deviceClass === '' ? null : row.deviceClass,
      flows: row.flows,
      p25Ms: row.quantiles[0] ?? 0,
      medianMs: row.quantiles[1] ?? 0,
      p90Ms: row.quantiles[2] ?? 0,
    }))
    .sort((a, b) => {
      if (a.deviceClass === null && b.deviceClass !== null) return -1;
      if (b.deviceClass === null && a.deviceClass !== null) return 1;
      return byFlowsThenMethod(a, b);
    });
}

export async function journeysResponse(query: TimeWindow & Filters & { kind: JourneyKind }): Promise<JourneysResponse> {
  const rows = await runQuery(journeyPaths, journeyParams(windowFilterParams(query, query), query.kind));
  return {
    ...windowEcho(query, query),
    kind: query.kind,
    timeoutMinutes: JOURNEY_TIMEOUT_MINUTES[query.kind],
    ...journeyGraph(rows),
    timeToSignIn: query.kind === 'sign_in' ? timesToSignIn(rows) : [],
  };
}

export async function journeyFlowsResponse(
  query: TimeWindow & Filters & { kind: JourneyKind; depth: number; source: string; target: string; limit: number },
): Promise<JourneyFlowsResponse> {
  const { kind, depth, source, target, limit } = query;
  const rows = await runQuery(journeyFlows, {
    ...journeyParams(windowFilterParams(query, query), kind),
    depth,
    source,
    target,
    limit,
  });
  return {
    ...windowEcho(query, query),
    kind,
    depth,
    source,
    target,
    limit,
    flows: rows.map(({ startedAtMs, endState, ...row }) => ({
      ...row,
      startedAt: new Date(startedAtMs).toISOString(),
      endState: endState as JourneyEndState,
    })),
  };
}

/** Pure: the exposure rows → the four buckets, each present, with their shares of `shown`. */
export function upsellExposureBuckets(rows: readonly UpsellExposureRow[]): UpsellExposuresResponse['exposures'] {
  return UPSELL_EXPOSURES.map((exposure) => {
    const row = rows.find((r) => r.exposure === exposure) ?? { exposure, shown: 0, accepted: 0, registered: 0 };
    return {
      exposure,
      label: exposure === 4 ? '4th or later' : ['1st', '2nd', '3rd'][exposure - 1]!,
      shown: row.shown,
      accepted: row.accepted,
      registered: row.registered,
      acceptedShare: rate(row.accepted, row.shown),
      registeredShare: rate(row.registered, row.shown),
    };
  });
}

export async function upsellExposuresResponse(query: TimeWindow & Filters): Promise<UpsellExposuresResponse> {
  const rows = await runQuery(upsellExposures, windowFilterParams(query, query));
  return { ...windowEcho(query, query), exposures: upsellExposureBuckets(rows) };
}
