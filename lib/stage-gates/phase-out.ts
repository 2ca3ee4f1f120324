import 'server-only';
/**
 * Stage 4 over time (docs/stage-gates.md "Stage 4 over time"): per week (Monday to Monday in `tz`,
 * default UTC) of the last `weeks`,
 * the password removals in it, and as of its end the holders without a password and the lock-out
 * blast radius — each point read by the same queries as the stage-gate page's "now" (a settled week's
 * answers are kept by the stage-gate query cache), so a week's end reads exactly as an evaluation
 * with `to` at that instant would.
 */
import type { PhaseOutResponse } from '@/lib/contracts/stage-phase-out';
import { DEFAULT_TIME_ZONE, zoneWeeks } from '@/lib/domain/time-zone';
import { BUCKET_MS } from '@/lib/metrics/time-buckets';
import { gatePhaseOut } from '@/sql/queries/gate-phase-out';
import { blastRadiusEnvironments, blastRadiusSummary } from './blast-radius';
import { cachedQuery } from './query-cache';

const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);

export async function phaseOutSeries(
  to: Date,
  weeks: number,
  requestedEnvironment?: readonly string[],
  tz: string = DEFAULT_TIME_ZONE,
): Promise<PhaseOutResponse> {
  const environments = blastRadiusEnvironments(requestedEnvironment);
  const from = new Date(to.getTime() - weeks * BUCKET_MS.week);
  const points = await Promise.all(
    zoneWeeks(from.getTime(), to.getTime(), tz).map(async ({ start, end }) => {
      const week = { from: new Date(Math.max(start, from.getTime())), to: new Date(Math.min(end, to.getTime())) };
      const [[state], radius] = await Promise.all([
        cachedQuery(gatePhaseOut, { ...week, environments }),
        blastRadiusSummary(week.to, true, requestedEnvironment),
      ]);
      const holders = state?.holders ?? 0;
      const withoutPassword = state?.holdersWithoutPassword ?? 0;
      return {
        start: week.from.toISOString(),
        end: week.to.toISOString(),
        partial: week.to.getTime() - week.from.getTime() < end - start,
        removals: state?.removals ?? 0,
        usersRemoving: state?.usersRemoving ?? 0,
        holders,
        holdersWithoutPassword: withoutPassword,
        shareWithoutPassword: share(withoutPassword, holders),
        atRisk: radius.atRisk,
        atRiskShare: radius.share,
      };
    }),
  );
  return { to: to.toISOString(), tz, environments, weeks: points };
}
