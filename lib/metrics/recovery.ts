/**
 * Recovery (GET /api/v1/recovery): load and completion by method, the phishable-recovery share, a series per interval.
 */
import 'server-only';
import type { z } from 'zod';
import { DAY_MS } from '@/lib/api/params';
import {
  INTERVAL_MS,
  type RecoveryBucket,
  type RecoveryInterval,
  type RecoveryMethodRow,
  type RecoveryResponse,
  type zRecoveryQuery,
} from '@/lib/contracts/recovery';
import { rate } from './rates';
import { bucketStarts } from './time-buckets';
import { windowEcho } from './windows';
import { runQuery } from '@/lib/query';
import { isPhishableRecoveryMethod } from '@/lib/vocabulary';
import { phishableRecoveryShare } from '@/sql/queries/phishable-recovery-share';
import { recoveryLoad, recoveryTotals, type RecoveryLoadRow } from '@/sql/queries/recovery-load';
import { windowFilterParams } from '@/sql/queries/shared';

/** starts ÷ active users × 1,000 ÷ days; null without active users. */
function loadPerThousand(started: number, activeUsers: number, days: number): number | null {
  return activeUsers === 0 ? null : ((started / activeUsers) * 1000) / days;
}

/** Every bucket of [from, to), aligned on `from`, empty ones included (zero counts, null rates). */
function buckets(from: Date, to: Date, interval: RecoveryInterval, rows: RecoveryLoadRow[]): RecoveryBucket[] {
  const starts = bucketStarts({ from: from.toISOString(), to: to.toISOString(), interval, align: 'from' });
  const out = starts.map((start): RecoveryBucket => {
    const end = Math.min(start + INTERVAL_MS[interval], to.getTime());
    return {
      start: new Date(start).toISOString(),
      end: new Date(end).toISOString(),
      days: (end - start) / DAY_MS,
      activeUsers: 0,
      started: 0,
      completed: 0,
      recoveryLoad: null,
      completionRate: null,
      startedByMethod: {},
    };
  });
  for (const row of rows) {
    const bucket = out[row.bucket];
    if (!bucket || row.total) continue;
    if (row.part === 'active') bucket.activeUsers = row.activeUsers;
    else {
      bucket.started += row.started;
      bucket.completed += row.completed;
      bucket.startedByMethod[row.method] = row.started;
    }
  }
  for (const bucket of out) {
    bucket.recoveryLoad = loadPerThousand(bucket.started, bucket.activeUsers, bucket.days);
    bucket.completionRate = rate(bucket.completed, bucket.started);
  }
  return out;
}

export async function recoveryResponse(query: z.output<typeof zRecoveryQuery>): Promise<RecoveryResponse> {
  const params = windowFilterParams(query, query);
  const intervalMs = INTERVAL_MS[query.interval];
  const [loadRows, phishableRows] = await Promise.all([
    runQuery(recoveryLoad, { ...params, intervalMs }),
    runQuery(phishableRecoveryShare, params),
  ]);
  const days = (query.to.getTime() - query.from.getTime()) / DAY_MS;
  const { activeUsers, methods } = recoveryTotals(loadRows);

  const byMethod: RecoveryMethodRow[] = methods
    .map(({ method, started, completed, failed, abandoned }) => ({
      method,
      started,
      completed,
      failed,
      abandoned,
      inProgress: started - completed - failed - abandoned,
      completionRate: rate(completed, started),
      recoveryLoad: loadPerThousand(started, activeUsers, days),
      phishable: isPhishableRecoveryMethod(method),
    }))
    .sort((a, b) => b.started - a.started || (a.method < b.method ? -1 : a.method > b.method ? 1 : 0));
  const sum = (key: 'started' | 'completed' | 'failed' | 'abandoned' | 'inProgress') =>
    byMethod.reduce((total, row) => total + row[key], 0);
  const started = sum('started');
  const completed = sum('completed');

  const holderRecoveries = phishableRows.reduce((total, row) => total + row.holderRecoveries, 0);
  const phishableHolderRecoveries = phishableRows.reduce((total, row) => total + (row.phishable ? row.holderRecoveries : 0), 0);

  return {
    ...windowEcho(query, query),
    interval: query.interval,
    days,
    activeUsers,
    started,
    completed,
    failed: sum('failed'),
    abandoned: sum('abandoned'),
    inProgress: sum('inProgress'),
    completionRate: rate(completed, started),
    recoveryLoad: loadPerThousand(started, activeUsers, days),
    byMethod,
    phishable: {
      holderRecoveries,
      phishableHolderRecoveries,
      phishableShare: rate(phishableHolderRecoveries, holderRecoveries),
      nonHolderRecoveries: phishableRows.reduce((total, row) => total + row.nonHolderRecoveries, 0),
      byMethod: phishableRows
        .filter((row) => row.holderRecoveries > 0)
        .map((row) => ({ method: row.method, phishable: row.phishable, holderRecoveries: row.holderRecoveries })),
    },
    series: buckets(query.from, query.to, query.interval, loadRows),
  };
}
