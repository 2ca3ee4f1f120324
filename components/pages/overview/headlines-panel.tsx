'use client';

import { formatWindow } from '@/components/kit/format';
import { QueryPanel, type QueryLike } from '@/components/kit/panel';
import { Stat, StatGrid } from '@/components/kit/stat';
import type { OverviewResponse } from '@/lib/contracts/overview';

/** The five headline numbers, each against the previous window of equal length. */
export function HeadlinesPanel({ query }: { query: QueryLike<OverviewResponse> }) {
  return (
    <QueryPanel
      query={query}
      title="Headlines"
      subtitle={
        query.data
          ? `Change vs the previous period, ${formatWindow(query.data.previous.from, query.data.previous.to)}`
          : 'Change vs the previous period of equal length'
      }
      testId="panel-headlines"
      isEmpty={(data) => data.activeUsers === 0 && data.holders === 0 && data.previous.activeUsers === 0}
      emptyMessage="No sign-ins and no passkey holders in this window. Send ceremony telemetry to /v1/logs, or widen the window."
    >
      {(data) => (
        <StatGrid>
          <Stat
            testId="headline-active-users"
            label="Active users"
            kind="count"
            value={data.activeUsers}
            previous={data.previous.activeUsers}
            hint="Distinct users with a successful sign-in"
          />
          <Stat
            testId="headline-holders"
            label="Passkey holders"
            kind="count"
            value={data.holders}
            previous={data.previous.holders}
            hint="Users holding a live passkey at the window's end"
          />
          <Stat
            testId="headline-passkey-share"
            label="Passkey sign-in share"
            kind="percent"
            value={data.passkeySignInShare}
            previous={data.previous.passkeySignInShare}
            hint="Passkey sign-ins of all successful sign-ins"
          />
          <Stat
            testId="headline-multi-device"
            label="Multi-device coverage"
            kind="percent"
            value={data.multiDeviceCoverage}
            previous={data.previous.multiDeviceCoverage}
            hint="Active holders with ≥ 2 live passkeys"
          />
          <Stat
            testId="headline-upsell-acceptance"
            label="Upsell acceptance"
            kind="percent"
            value={data.upsell.acceptanceRate}
            previous={data.previous.upsell.acceptanceRate}
            hint={`${data.upsell.accepted.toLocaleString('en-US')} accepted of ${data.upsell.shown.toLocaleString('en-US')} shown`}
          />
        </StatGrid>
      )}
    </QueryPanel>
  );
}
