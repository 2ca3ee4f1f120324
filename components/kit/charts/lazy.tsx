'use client';

/**
 * The kit's charts, loaded lazily (lazy-chart.tsx): pages import them from here, never from the
 * chart modules themselves, so Recharts is not part of any page's first load.
 */
import { lazyChart } from './lazy-chart';

const heightOr =
  (fallback: number) =>
  ({ height, label }: { height?: number; label: string }) => ({ height: height ?? fallback, label });

export const BarChart = lazyChart(() => import('./bar-chart').then((module) => module.BarChart), heightOr(260));
export const StackedBarChart = lazyChart(() => import('./bar-chart').then((module) => module.StackedBarChart), heightOr(260));
export const FunnelChart = lazyChart(
  () => import('./funnel-chart').then((module) => module.FunnelChart),
  ({ height, steps, label }) => ({ height: height ?? 48 + steps.length * 44, label }),
);
export const ParetoChart = lazyChart(() => import('./pareto-chart').then((module) => module.ParetoChart), heightOr(280));
export const StackedTimeChart = lazyChart(() => import('./stacked-time-chart').then((module) => module.StackedTimeChart), heightOr(300));
export const TimeSeriesChart = lazyChart(() => import('./time-series-chart').then((module) => module.TimeSeriesChart), heightOr(240));
