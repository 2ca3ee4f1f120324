/** TanStack `queryOptions` for the Recovery page, keyed `[feature, question, params]`. */
import { MAX_HOURLY_WINDOW_DAYS, RECOVERY_INTERVALS, zRecoveryResponse, type RecoveryInterval } from '@/lib/contracts/recovery';
import { apiQuery } from './api-query';
import { toApiParams, type MetricsParams } from './query-options';

export const recoveryQuery = (params: MetricsParams & { interval: RecoveryInterval }) =>
  apiQuery(['recovery', 'load', params], {
    path: '/api/v1/recovery',
    params: { ...toApiParams(params), interval: params.interval },
    schema: zRecoveryResponse,
  });

const DAY_MS = 86_400_000;

/** Whether the window is short enough to be shown by the hour. */
export function hourlyAllowed(from: string, to: string): boolean {
  return Date.parse(to) - Date.parse(from) <= MAX_HOURLY_WINDOW_DAYS * DAY_MS;
}

/** The Recovery page's interval from its URL (`interval`): by day when absent or unknown, and when hours are asked of a window too long for them. */
export function recoveryInterval(search: URLSearchParams, from: string, to: string): RecoveryInterval {
  const value = search.get('interval');
  const requested = (RECOVERY_INTERVALS as readonly string[]).includes(value ?? '') ? (value as RecoveryInterval) : 'day';
  return requested === 'hour' && !hourlyAllowed(from, to) ? 'day' : requested;
}
