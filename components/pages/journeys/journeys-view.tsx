'use client';

import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { PageGrid, PageHeader } from '@/components/kit/layout';
import { QueryPanel } from '@/components/kit/panel';
import { SegmentedControl } from '@/components/kit/segmented-control';
import type { JourneyLink, JourneysResponse, UpsellExposuresResponse } from '@/lib/contracts/journeys';
import type { JourneyKind } from '@/lib/domain/journeys';
import { journeyKindParam, journeysQuery, parseJourneyKind, upsellExposuresQuery } from '@/lib/client/journeys';
import type { MetricsParams } from '@/lib/client/query-options';
import { useGlobalParams } from '@/lib/client/use-global-params';
import { lazyChart, usePreloadCharts } from '@/components/kit/charts/lazy-chart';
import { sankeyHeight } from './prepare-journeys';
import { JourneyLinkFlows } from './journey-link-flows';
import { EndStates, TimeToSignInTable, TopPaths, UpsellExposures } from './journey-tables';
import { KIND_NOUN, KIND_OPTIONS, linkKey } from './prepare-journeys';

const JourneyFlowChart = lazyChart(
  () => import('./journey-flow-chart').then((module) => module.JourneyFlowChart),
  ({ data }) => ({ height: sankeyHeight(data), label: 'Flow diagram' }),
);

const isEmpty = (data: JourneysResponse) => data.flows === 0;

/** The panels of one kind; remounted when the kind changes, which clears the selected link. */
function KindPanels({ params, kind, search }: { params: MetricsParams; kind: JourneyKind; search: URLSearchParams }) {
  const query = useQuery(journeysQuery({ ...params, kind }));
  const [selected, setSelected] = useState<JourneyLink | null>(null);
  // A selection the current data no longer has (the window or the filters changed) is dropped.
  const link = useMemo(
    () => (selected && query.data?.links.some((l) => linkKey(l) === linkKey(selected)) ? selected : null),
    [selected, query.data],
  );
  const noun = KIND_NOUN[kind];
  const empty = `No ${noun} flows in this window${query.data?.inProgress ? ` (${query.data.inProgress} still in progress)` : ''}.`;
  return (
    <>
      <QueryPanel
        testId="journey-flow-panel"
        title="Flow diagram"
        subtitle={`Every finished ${noun} flow from its entry (left) to its end state (right); a link's width is its flows. Click a link to list the flows behind it.`}
        query={query}
        isEmpty={isEmpty}
        emptyMessage={empty}
      >
        {(data) => <JourneyFlowChart data={data} selected={link ? linkKey(link) : null} onSelect={setSelected} />}
      </QueryPanel>
      <JourneyLinkFlows params={params} kind={kind} link={link} timeoutMinutes={query.data?.timeoutMinutes ?? 30} search={search} />
      <QueryPanel
        testId="journey-paths-panel"
        span="two-thirds"
        title="Top paths"
        subtitle="The most frequent paths, most flows first; durations from the first event to the terminal one."
        query={query}
        isEmpty={isEmpty}
        emptyMessage={empty}
      >
        {(data) => <TopPaths data={data} />}
      </QueryPanel>
      <QueryPanel
        testId="journey-end-states-panel"
        span="third"
        title="End states"
        subtitle="How the finished flows ended."
        query={query}
        isEmpty={isEmpty}
        emptyMessage={empty}
      >
        {(data) => <EndStates data={data} />}
      </QueryPanel>
      {kind === 'sign_in' ? (
        <QueryPanel
          testId="time-to-sign-in-panel"
          span="half"
          title="Time to sign in"
          subtitle="Successful sign-ins by the method that succeeded, from the flow's first event to the sign-in: are passkeys faster?"
          query={query}
          isEmpty={(data) => data.timeToSignIn.length === 0}
          emptyMessage="No successful sign-in in this window."
        >
          {(data) => <TimeToSignInTable rows={data.timeToSignIn} />}
        </QueryPanel>
      ) : null}
    </>
  );
}

/** How people move through sign-in, registration and recovery: paths, end states and durations. */
export function JourneysView() {
  usePreloadCharts(JourneyFlowChart);
  const { from, to, tz, filters, pageSearch, setPageParam } = useGlobalParams();
  const kind = parseJourneyKind(pageSearch.get('kind'));
  const params = useMemo(() => ({ from, to, tz, filters }), [from, to, tz, filters]);
  // The upsell panel's read waits for the kind's journeys, the page's first read (lib/client/first-read.tsx);
  // the same query as KindPanels', so no second request.
  const journeys = useQuery(journeysQuery({ ...params, kind }));
  const upsell = useQuery({ ...upsellExposuresQuery(params), enabled: !journeys.isPending });
  const kindSwitch = (
    <SegmentedControl
      label="Journey"
      testId="journey-kind"
      options={KIND_OPTIONS}
      value={kind}
      onChange={(value) => setPageParam('kind', journeyKindParam(value))}
    />
  );
  return (
    <>
      <PageHeader
        title="Journeys"
        description="The paths people take through sign-in, passkey registration and account recovery: from the entry, through prompts, verifications and fallbacks, to how each flow (one auth.flow.id) ended."
        meta={kindSwitch}
      />
      <PageGrid>
        <KindPanels key={kind} params={params} kind={kind} search={pageSearch} />
        <QueryPanel
          testId="upsell-exposures-panel"
          span={kind === 'sign_in' ? 'half' : 'full'}
          title="Upsell by exposure"
          subtitle="Post-sign-in passkey upsells shown in the window, by how many times the user had been asked: the share accepted and the share followed by a passkey registration."
          query={upsell}
          isEmpty={(data: UpsellExposuresResponse) => data.exposures.every((row) => row.shown === 0)}
          emptyMessage="No upsell shown in this window."
        >
          {(data) => <UpsellExposures data={data} />}
        </QueryPanel>
      </PageGrid>
    </>
  );
}
