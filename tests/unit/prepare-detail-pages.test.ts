import { describe, expect, it } from 'vitest';
import {
  countTrend,
  driverLabel,
  seriesMethods,
  toRecoveryChartData,
  toRecoverySeriesRows,
} from '@/components/pages/recovery/prepare-recovery';
import { drillDownFor, drillDownFilters, groupLabel, parseGroupBy, toParetoRows } from '@/components/pages/failures/prepare-failures';
import { isQuiet, toSignalRows } from '@/components/pages/security/prepare-security';
import {
  emptyMessage,
  eventOutcome,
  groupTimeline,
  lookupHref,
  lookupWindow,
  subjectFromParams,
} from '@/components/pages/lookup/prepare-lookup';
import type { RecoveryBucket } from '@/lib/contracts/recovery';
import type { FailureGroup } from '@/lib/contracts/failures';
import { SECURITY_SIGNALS, type SecurityResponse } from '@/lib/contracts/security';
import type { EventRow } from '@/lib/contracts/events';

const bucket = (start: string, startedByMethod: Record<string, number>, recoveryLoad: number | null): RecoveryBucket => ({
  start,
  end: start,
  days: 1,
  activeUsers: recoveryLoad === null ? 0 : 4,
  started: Object.values(startedByMethod).reduce((a, b) => a + b, 0),
  completed: 0,
  recoveryLoad,
  completionRate: null,
  startedByMethod,
});

describe('recovery preparation', () => {
  const series = [
    bucket('2026-01-01T00:00:00.000Z', { sms_code: 1, email_code: 2 }, 250),
    bucket('2026-01-02T00:00:00.000Z', {}, null),
    bucket('2026-01-03T00:00:00.000Z', { sms_code: 3 }, 62.5),
  ];

  it('orders methods by their total starts, ties by name', () => {
    expect(seriesMethods(series)).toEqual(['sms_code', 'email_code']);
    expect(seriesMethods([bucket('x', { b: 1, a: 1 }, 1)])).toEqual(['a', 'b']);
  });

  it('fills absent methods with 0 starts but keeps a null load as a gap', () => {
    const rows = toRecoverySeriesRows(series);
    expect(rows[1]).toMatchObject({ recoveryLoad: null, byMethod: { sms_code: 0, email_code: 0 } });
    expect(rows[0]!.recoveryLoad).toBe(250);
    expect(toRecoveryChartData(rows)[2]).toEqual({
      start: '2026-01-03T00:00:00.000Z',
      recoveryLoad: 62.5,
      'm:sms_code': 3,
      'm:email_code': 0,
    });
  });

  it('reads a trend against the previous period', () => {
    expect(countTrend(3, 1)).toEqual({ current: 3, previous: 1, delta: 2, direction: 'up' });
    expect(countTrend(0, 2).direction).toBe('down');
    expect(countTrend(2, 0).direction).toBe('new');
    expect(countTrend(0, 0).direction).toBe('flat');
  });

  it('labels drivers', () => {
    expect(driverLabel({ driver: 'authentication:user_not_verified', kind: 'authentication', reason: 'user_not_verified' })).toBe(
      'Authentication · user not verified',
    );
    expect(driverLabel({ driver: 'no_preceding_failure', kind: 'none', reason: '' })).toBe('No preceding failure');
    expect(driverLabel({ driver: 'recovery:failed', kind: 'recovery', reason: 'failed' })).toBe('Recovery · failed');
  });
});

const group = (values: FailureGroup['values'], ceremonies: number, share: number, cumulativeShare: number): FailureGroup => ({
  values,
  ceremonies,
  failures: ceremonies,
  cancellations: 0,
  share,
  cumulativeShare,
  previousCeremonies: 0,
  users: 1,
});

describe('failures preparation', () => {
  it('parses groupBy from the URL, dropping unknown and repeated names', () => {
    expect(parseGroupBy(null)).toEqual(['reason']);
    expect(parseGroupBy('reason,deviceClass')).toEqual(['reason', 'deviceClass']);
    expect(parseGroupBy('nope,reason,reason')).toEqual(['reason']);
    expect(parseGroupBy('reason,os,browser,surface')).toEqual(['reason', 'os', 'browser']);
    expect(parseGroupBy("'; DROP")).toEqual(['reason']);
  });

  it('keeps the API Pareto order and cumulative shares, limited for the chart', () => {
    const groups = [group({ reason: 'a' }, 3, 0.5, 0.5), group({ reason: 'b' }, 2, 1 / 3, 5 / 6), group({ reason: '' }, 1, 1 / 6, 1)];
    const rows = toParetoRows(groups, ['reason'], 2);
    expect(rows.map((row) => [row.label, row.ceremonies, row.cumulativeShare])).toEqual([
      ['a', 3, 0.5],
      ['b', 2, 5 / 6],
    ]);
    expect(groupLabel({ reason: '' }, ['reason'])).toBe('(none)');
    expect(groupLabel({ reason: 'x', deviceClass: 'mobile-ios' }, ['reason', 'deviceClass'])).toBe('x · mobile-ios');
  });

  it('drills into a group with selectors for reason/outcome/type/surface and filters for the rest', () => {
    const drill = drillDownFor({ reason: 'user_not_verified', deviceClass: 'mobile-ios', outcome: 'failure' }, [
      'reason',
      'deviceClass',
      'outcome',
    ]);
    expect(drill).toEqual({ selectors: { reason: 'user_not_verified', outcome: 'failure' }, filters: { deviceClass: 'mobile-ios' } });
    expect(drillDownFilters(drill, { deviceClass: ['mobile-ios', 'desktop-macos'], os: ['iOS'] })).toEqual({
      deviceClass: ['mobile-ios'],
      os: ['iOS'],
    });
    expect(drillDownFor({ surface: '' }, ['surface'])).toEqual({ selectors: {}, filters: {} });
  });
});

describe('security preparation', () => {
  const summary = (events: number) => ({ events, ceremonies: events, users: events, items: [] });
  const response = (events: number): SecurityResponse => ({
    from: '2026-01-01T00:00:00.000Z',
    to: '2026-01-29T00:00:00.000Z',
    tz: 'UTC',
    filters: {
      deviceClass: [],
      os: [],
      browser: [],
      provider: [],
      credentialKind: [],
      riskTier: [],
      variant: [],
      environment: [],
      service: [],
      serviceVersion: [],
      osVersion: [],
      browserVersion: [],
    },
    limit: 50,
    originMismatchesByOrigin: [],
    signals: Object.fromEntries(
      SECURITY_SIGNALS.map((signal) => [signal, summary(signal === 'challengeReuse' ? events : 0)]),
    ) as unknown as SecurityResponse['signals'],
    phishableRecoveryNewDevice: { recoveries: 0, registrations: 0, users: 0, items: [] },
  });

  it('lists every signal in the contract order with the API counts', () => {
    const rows = toSignalRows(response(4).signals);
    expect(rows.map((row) => row.signal)).toEqual([...SECURITY_SIGNALS]);
    expect(rows.find((row) => row.signal === 'challengeReuse')).toMatchObject({ label: 'Challenge reuse', events: 4 });
  });

  it('is quiet only when nothing at all was flagged', () => {
    expect(isQuiet(response(0))).toBe(true);
    expect(isQuiet(response(1))).toBe(false);
  });
});

const event = (timestamp: string, eventName: string, ceremonyId: string, extra: Partial<EventRow> = {}): EventRow =>
  ({
    timestamp,
    eventName,
    ceremonyId,
    result: '',
    failureReason: '',
    clientFailureReason: '',
    fallbackReason: '',
    promptOutcome: '',
    recoveryStage: '',
    ticketStage: '',
    upsellOutcome: '',
    credentialAction: '',
    ...extra,
  }) as EventRow;

describe('lookup preparation', () => {
  it('reads the subject from the URL in a fixed order, ignoring blanks', () => {
    expect(subjectFromParams(new URLSearchParams('credentialId=abc'))).toEqual({ type: 'credentialId', value: 'abc' });
    expect(subjectFromParams(new URLSearchParams('userId=%20%20&traceId=t1'))).toEqual({ type: 'traceId', value: 't1' });
    expect(subjectFromParams(new URLSearchParams('from=2026-01-01'))).toBeNull();
    expect(lookupHref('ceremonyId', 'a b&c')).toBe('/lookup?ceremonyId=a+b%26c');
  });

  it('defaults to the last 400 days, sending both ends', () => {
    const now = Date.parse('2026-06-01T00:00:00.000Z');
    expect(lookupWindow(new URLSearchParams(''), now)).toEqual({
      from: '2025-04-27T00:00:00.000Z',
      to: '2026-06-01T00:00:00.000Z',
      days: 400,
    });
    expect(lookupWindow(new URLSearchParams('from=2026-05-01T00:00:00Z&to=2026-05-08T00:00:00Z'), now).days).toBe(7);
    expect(emptyMessage({ type: 'credentialId', value: 'c1' }, 400)).toBe('No events for credential id c1 in the last 400 days');
  });

  it('groups the prompt and the verification of one ceremony, keeping newest-first order', () => {
    const events = [
      event('2026-01-01T10:00:03Z', 'auth.sign_in', ''),
      event('2026-01-01T10:00:02Z', 'passkey.authentication', 'cer1', { result: 'failure', failureReason: 'user_not_verified' }),
      event('2026-01-01T10:00:01Z', 'passkey.prompt', 'cer2', { promptOutcome: 'success' }),
      event('2026-01-01T10:00:00Z', 'passkey.prompt', 'cer1', { promptOutcome: 'success' }),
      event('2026-01-01T09:00:00Z', 'account.recovery', ''),
    ];
    const entries = groupTimeline(events);
    expect(entries.map((entry) => [entry.ceremonyId, entry.events.length])).toEqual([
      [null, 1],
      ['cer1', 2],
      ['cer2', 1],
      [null, 1],
    ]);
    expect(entries[1]!.events.map((e) => e.eventName)).toEqual(['passkey.authentication', 'passkey.prompt']);
    expect(eventOutcome(events[1]!)).toBe('failure · user_not_verified');
    expect(eventOutcome(events[4]!)).toBe('—');
  });
});
