'use client';

import { useQuery } from '@tanstack/react-query';
import { PageGrid, PageHeader } from '@/components/kit/layout';
import { overviewQuery } from '@/lib/client/query-options';
import { useGlobalParams } from '@/lib/client/use-global-params';
import { CurrentStagePanel } from './current-stage-panel';
import { ExplorePanel } from './explore-panel';
import { HeadlinesPanel } from './headlines-panel';
import { RegistrationRatePanel } from './registration-rate-panel';
import { ShareSeriesPanel } from './share-series-panel';
import { BarChart, TimeSeriesChart } from '@/components/kit/charts/lazy';
import { usePreloadCharts } from '@/components/kit/charts/lazy-chart';
import { AfterFirstRead } from '@/lib/client/first-read';

export function OverviewView() {
  usePreloadCharts(BarChart, TimeSeriesChart);
  const { from, to, tz, filters } = useGlobalParams();
  const overview = useQuery(overviewQuery({ from, to, tz, filters }));
  return (
    <>
      <PageHeader
        title="Overview"
        description="How far the passkey rollout has come: adoption, passkey use at sign-in and the current stage gate."
      />
      <PageGrid>
        <HeadlinesPanel query={overview} />
        <RegistrationRatePanel query={overview} />
        <ShareSeriesPanel query={overview} select={(data) => data.passkeySignInShareSeries} overall={(data) => data.passkeySignInShare} />
        <AfterFirstRead settled={!overview.isPending}>
          <CurrentStagePanel />
        </AfterFirstRead>
        <ExplorePanel />
      </PageGrid>
    </>
  );
}
