import 'server-only';
/**
 * Stage 4 over time (docs/stage-gates.md "Stage 4 over time"): per week (Monday to Monday in `tz`,
 * default UTC) of the last `weeks`,
 * the password removals in it, and as of its end the holders without a password and the lock-out
 * blast radius — every week in one query (sql/queries/gate-phase-out.ts) with the rules of the
 * stage-gate page's holders and blast radius, so a week's end reads exactly as an evaluation with
 * `to` at that instant would (the stage-gate query cache keeps a series a minute).
 */
import type { PhaseOutResponse } from '@/lib/contracts/stage-phase-out';
import { DEFAULT_TIME_ZONE, zoneWeekWindows } from '@/lib/domain/time-zone';
import { BUCKET_MS } from '@/lib/metrics/time-buckets';
import { gatePhaseOut } from '@/sql/queries/gate-phase-out';
import { blastRadiusEnvironments, blastRadiusLookback } from './blast-radius';
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
  const spans = zoneWeekWindows(from, to, tz);
  // every week in one query (each as of its end; the blast radius looks back from there)
  const rows = await cachedQuery(gatePhaseOut, {
    weekFroms: spans.map((week) => week.from),
    weekTos: spans.map((week) => week.to),
    radiusFroms: spans.map((week) => blastRadiusLookback(week.to, environments).from),
    environments,
  });
  const byWeek = new Map(rows.map((row) => [row.w, row]));
  const points = spans.map((week, i) => {
    const row = byWeek.get(i + 1);
    const holders = row?.holders ?? 0;
    const withoutPassword = row?.holdersWithoutPassword ?? 0;
    return {
      start: week.from.toISOString(),
      end: week.to.toISOString(),
      partial: week.partial,
      removals: row?.removals ?? 0,
      usersRemoving: row?.usersRemoving ?? 0,
      holders,
      holdersWithoutPassword: withoutPassword,
      shareWithoutPassword: share(withoutPassword, holders),
      atRisk: row?.atRisk ?? 0,
      atRiskShare: share(row?.atRisk ?? 0, holders),
    };
  });
  return { to: to.toISOString(), tz, environments, weeks: points };
}
