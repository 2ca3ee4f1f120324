'use client';

import { useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import kit from '@/components/kit/kit.module.css';
import { Panel } from '@/components/kit/panel';
import { SegmentedControl } from '@/components/kit/segmented-control';
import type { StagesResponse } from '@/lib/contracts/stages';
import { stagesQuery } from '@/lib/client/stages';
import { formatValue } from './prepare';
import { parseSegment, SEGMENT_OPTIONS, segmentHeadline, type SegmentChoice } from './prepare-segments';
import styles from './stages.module.css';
import { StatusBadge, VerdictBadge } from './status-badge';

function SegmentTables({ segments, overall }: { segments: NonNullable<StagesResponse['segments']>; overall: StagesResponse }) {
  if (segments.values.length === 0)
    return <p className={styles.historySummary}>No values of this dimension in the criteria&apos;s windows.</p>;
  return (
    <>
      {segments.summaries.map((summary) => {
        const transition = overall.transitions.find((entry) => entry.from === summary.from);
        if (!transition) return null;
        return (
          <section key={summary.from} className={styles.historyTransition} data-segment-transition={`${summary.from}-${summary.to}`}>
            <h3 className={styles.historyHeading}>
              {summary.from} → {summary.to}: <span data-field="segment-headline">{segmentHeadline(summary)}</span>
            </h3>
            <div className={kit.tableWrap}>
              <table className={kit.table}>
                <thead>
                  <tr>
                    <th>{SEGMENT_OPTIONS.find((option) => option.value === segments.dimension)?.label}</th>
                    <th>Verdict</th>
                    {transition.criteria.map((criterion) => (
                      <th key={criterion.id}>{criterion.label}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {segments.values.map((entry) => {
                    const judged = entry.transitions.find((t) => t.from === summary.from);
                    return (
                      <tr key={entry.value} data-segment={entry.value}>
                        <th scope="row">{entry.value}</th>
                        <td>{judged ? <VerdictBadge verdict={judged.verdict} /> : '—'}</td>
                        {transition.criteria.map((criterion) => {
                          const cell = judged?.criteria.find((c) => c.id === criterion.id);
                          if (!cell || !cell.applies)
                            return (
                              <td key={criterion.id} data-criterion={criterion.id} data-status="not_applicable">
                                n/a
                              </td>
                            );
                          return (
                            <td key={criterion.id} data-criterion={criterion.id} data-status={cell.status}>
                              <StatusBadge status={cell.status} /> {formatValue(cell.value, criterion.unit, criterion.perUnit)}
                              <span className={styles.historyThreshold}> n={cell.sampleSize ?? '—'}</span>
                            </td>
                          );
                        })}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </section>
        );
      })}
    </>
  );
}

/** The segment switch: every gate judged per device class, OS, rollout variant or risk tier. */
export function SegmentPanel({ overall, to }: { overall: StagesResponse; to: string | null }) {
  const searchParams = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const segment = parseSegment(searchParams.get('segment'));
  const query = useQuery({ ...stagesQuery({ trend: 0, segment: segment ?? undefined, ...(to ? { to } : {}) }), enabled: segment !== null });
  const choose = (value: SegmentChoice) => {
    const next = new URLSearchParams(searchParams.toString());
    if (value === 'none') next.delete('segment');
    else next.set('segment', value);
    const search = next.toString();
    router.push(search ? `${pathname}?${search}` : pathname, { scroll: false });
  };
  const segments = query.data?.segments;
  return (
    <Panel
      testId="gate-segments"
      title="Verdicts by segment"
      subtitle="Every criterion judged within each value (the 12 most frequent in the criteria's windows). A segment's verdict informs; each gate's verdict stays the overall one."
      actions={
        <SegmentedControl<SegmentChoice>
          label="Segment"
          options={SEGMENT_OPTIONS}
          value={segment ?? 'none'}
          onChange={choose}
          testId="segment-switch"
        />
      }
      state={
        segment === null || segments
          ? undefined
          : query.error
            ? { status: 'error', error: query.error, retry: () => void query.refetch() }
            : { status: 'loading' }
      }
    >
      {segment === null ? (
        <p className={styles.historySummary}>Choose a dimension to see each gate per segment.</p>
      ) : segments ? (
        <SegmentTables segments={segments} overall={overall} />
      ) : null}
    </Panel>
  );
}
