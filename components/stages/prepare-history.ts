/**
 * Pure preparation for the gate history chart (GET /api/v1/stages/history): the verdict strip's
 * cells, each criterion's daily series (gaps where a day is not evaluated — never a fake value) and
 * a one-line summary. Unit-tested in tests/unit/stage-gates-history-prepare.test.ts.
 */
import type { DayState, HistoryTransition } from '@/lib/contracts/stage-history';
import type { CriterionStatusValue, TransitionVerdictValue } from '@/lib/contracts/stages';
import { VERDICT_LABEL } from './prepare';

export interface VerdictCell {
  day: string;
  state: DayState;
  verdict: TransitionVerdictValue | null;
  /** Tooltip and accessible text. */
  title: string;
}

export const DAY_STATE_NOTE: Record<DayState, string> = {
  evaluated: '',
  outdated: ' (late data arrived; re-evaluating)',
  not_evaluated: 'not evaluated yet',
};

export function verdictCells(transition: HistoryTransition): VerdictCell[] {
  return transition.days.map((day) => ({
    day: day.day,
    state: day.state,
    verdict: day.verdict,
    title: day.verdict
      ? `${day.day}: ${VERDICT_LABEL[day.verdict]}${DAY_STATE_NOTE[day.state]}`
      : `${day.day}: ${DAY_STATE_NOTE.not_evaluated}`,
  }));
}

export interface CriterionHistoryDatum {
  day: string;
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  status: CriterionStatusValue | null;
}

/** One criterion's value per day, oldest first; null on days without a stored evaluation or a value. */
export function criterionSeries(transition: HistoryTransition, criterionId: string): CriterionHistoryDatum[] {
  return transition.days.map((day) => {
    const point = day.criteria.find((criterion) => criterion.id === criterionId);
    return {
      day: day.day,
      value: point?.value ?? null,
      ciLow: point?.ciLow ?? null,
      ciHigh: point?.ciHigh ?? null,
      status: point?.status ?? null,
    };
  });
}

/** "Ready on 12 of 85 evaluated days; since 2026-11-20 not ready" — the verdict's story in a line. */
export function historySummary(transition: HistoryTransition): string {
  const judged = transition.days.filter((day) => day.verdict !== null);
  if (judged.length === 0) return 'No day evaluated yet: the background pass fills the last 90 days a few days at a time.';
  const ready = judged.filter((day) => day.verdict === 'ready').length;
  const last = judged.at(-1)!;
  let since = last.day;
  for (let index = judged.length - 2; index >= 0 && judged[index]!.verdict === last.verdict; index--) since = judged[index]!.day;
  const missing = transition.days.length - judged.length;
  return (
    `Ready on ${ready} of ${judged.length} evaluated days; ${VERDICT_LABEL[last.verdict!].toLowerCase()} since ${since}` +
    (missing > 0 ? ` (${missing} ${missing === 1 ? 'day' : 'days'} not evaluated yet).` : '.')
  );
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The page's `?to=` (an ISO-8601 instant, or a date = its midnight UTC) as an ISO instant; null when absent or not a time. */
export function parseEvaluationTo(value: string | null): string | null {
  if (!value) return null;
  const text = value.trim();
  if (!INSTANT.test(text) && !DATE.test(text)) return null;
  const ms = Date.parse(DATE.test(text) ? `${text}T00:00:00Z` : text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** The evaluation as of the end of UTC day `day`: the next day, 00:00 UTC (what a history day shows). */
export function endOfDayTo(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();
}

/** The date picker's day for an evaluation time: the day that ends at `to` when it is a midnight, else the day holding it. */
export function pickerDay(to: string): string {
  const ms = Date.parse(to);
  const midnight = ms % 86_400_000 === 0;
  return new Date(midnight ? ms - 86_400_000 : ms).toISOString().slice(0, 10);
}

/** A link that opens the same evaluation on the Stage gates page. */
export function evaluationLink(to: string): string {
  return `/stages?to=${encodeURIComponent(to)}`;
}

/** The evaluation as of `to` as JSON (the API's own answer, without the trend) or CSV. */
export function evaluationExportUrl(to: string, format: 'json' | 'csv'): string {
  return `/api/v1/stages?trend=0&to=${encodeURIComponent(to)}${format === 'csv' ? '&format=csv' : ''}`;
}
