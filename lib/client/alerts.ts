/** TanStack `queryOptions` and writes for the alerts (GET /api/v1/alerts, silences, test notification). */
import { queryOptions, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { Annotation } from '@/lib/contracts/annotations';
import { zAlertsResponse, zSilenceResponse, zTestResponse, type AlertEvent, type SilenceBody } from '@/lib/contracts/alerts';
import { fetchApi, postApi, shouldRetry } from './api';

export const alertsKeys = { all: ['alerts'] as const };

/** Rules with their state, notifications, deliveries and silences; refreshed every 15 s while open. */
export const alertsQuery = () =>
  queryOptions({
    retry: (failureCount: number, error: Error) => shouldRetry(failureCount, error),
    staleTime: 5_000,
    refetchInterval: 15_000,
    queryKey: alertsKeys.all,
    queryFn: ({ signal }) => fetchApi('/api/v1/alerts', {}, zAlertsResponse, { signal }),
  });

export const createSilence = (body: SilenceBody) => postApi('/api/v1/alerts/silences', body, zSilenceResponse);

export const expireSilence = (id: string) => postApi('/api/v1/alerts/silences/expire', { id }, zSilenceResponse);

export const sendTestNotification = () => postApi('/api/v1/alerts/test', {}, zTestResponse);

/** The alerts without polling, for the Failures chart's spike markers. */
export const alertMarkersQuery = () =>
  queryOptions({
    retry: false,
    staleTime: 60_000,
    queryKey: [...alertsKeys.all, 'markers'] as const,
    queryFn: ({ signal }) => fetchApi('/api/v1/alerts', {}, zAlertsResponse, { signal }),
  });

/** A spike rule's firing as a chart annotation: where a failure rate or reason spiked. */
export function spikeAnnotation(event: AlertEvent): Annotation {
  const where = [event.labels.deviceClass, event.labels.reason].filter(Boolean).join(' · ');
  return { kind: 'alert', at: event.at, label: `spike${where ? `: ${where}` : ''}`, detail: `${event.ruleId}: ${event.summary}` };
}

const NO_MARKERS: readonly Annotation[] = [];

/** Spike markers, oldest first; none while they load or when alerts are unavailable (they are context). */
export function useSpikeAnnotations(): readonly Annotation[] {
  const data = useQuery(alertMarkersQuery()).data;
  return useMemo(() => (data ? [...data.spikeFirings].reverse().map(spikeAnnotation) : NO_MARKERS), [data]);
}
