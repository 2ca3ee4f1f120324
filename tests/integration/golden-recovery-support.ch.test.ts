/**
 * Golden test: the hand-built population of tests/fixtures/golden-recovery-support.ts, ingested
 * through /v1/logs into a private app instance, read back through /api/v1/recovery,
 * /api/v1/support/drivers, /api/v1/failures and /api/v1/security. Every number is compared with the
 * value computed by hand in the fixture: counts exactly, rates to 1e-9.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { zFailuresResponse } from '@/lib/contracts/failures';
import { zRecoveryResponse } from '@/lib/contracts/recovery';
import { zSecurityResponse } from '@/lib/contracts/security';
import { zSupportDriversResponse, zSupportDriverTicketsResponse } from '@/lib/contracts/support';
import { zApiError } from '@/lib/api/errors';
import {
  DAY_MS,
  EARLIEST_OFFSET_DAYS,
  EXPECTED,
  GOLDEN_EVENT_COUNT,
  goldenFrom,
  goldenRecords,
  iso,
} from '../fixtures/golden-recovery-support';
import { isolatedApp } from '../helpers/isolated-app';
import { otlpJson } from '../helpers/otlp';

const app = isolatedApp();
const from = goldenFrom();
const to = from + 28 * DAY_MS;
const window = `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`;
const at = (offset: Parameters<typeof iso>[1]) => iso(from, offset);

async function api<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> {
  const response = await fetch(`${app.baseUrl}${path}${path.includes('?') ? '&' : '?'}${window}`);
  const body: unknown = await response.json();
  expect(response.status, JSON.stringify(body).slice(0, 500)).toBe(200);
  return schema.parse(body);
}

async function apiError(path: string): Promise<z.output<typeof zApiError>> {
  const response = await fetch(`${app.baseUrl}${path}`);
  expect(response.status).toBe(400);
  return zApiError.parse(await response.json());
}

/** Counts exactly, everything else (rates, loads) to 9 decimals, null as null. */
function expectNumber(actual: number | null | undefined, expected: number | null, label: string) {
  if (expected === null) expect(actual, label).toBeNull();
  else if (Number.isInteger(expected)) expect(actual, label).toBe(expected);
  else expect(actual, label).toBeCloseTo(expected, 9);
}

function expectFields(actual: Record<string, unknown>, expected: Record<string, unknown>, label: string) {
  for (const [key, value] of Object.entries(expected)) {
    if (typeof value === 'number' || value === null) expectNumber(actual[key] as number | null, value, `${label}.${key}`);
    else expect(actual[key], `${label}.${key}`).toEqual(value);
  }
}

beforeAll(async () => {
  await app.start();
  const records = goldenRecords(from);
  expect(records).toHaveLength(GOLDEN_EVENT_COUNT);
  const response = await fetch(`${app.baseUrl}/v1/logs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(otlpJson(records)),
  });
  const body = (await response.json()) as { partialSuccess?: { rejectedLogRecords?: string | number } };
  expect(response.status).toBe(200);
  expect(Number(body.partialSuccess?.rejectedLogRecords ?? 0)).toBe(0);
  // accepted records are queryable within 2 s; wait until every one is
  const lookup = `from=${new Date(from + (EARLIEST_OFFSET_DAYS - 1) * DAY_MS).toISOString()}&limit=1000`;
  const deadline = Date.now() + 5000;
  let seen = 0;
  while (Date.now() < deadline) {
    const events = (await (await fetch(`${app.baseUrl}/api/v1/events?${lookup}`)).json()) as { events: unknown[] };
    seen = events.events.length;
    if (seen >= GOLDEN_EVENT_COUNT) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(seen).toBe(GOLDEN_EVENT_COUNT);
}, 300_000);

afterAll(() => app.stop());

describe('GET /api/v1/recovery', () => {
  const expected = EXPECTED.recovery;

  it('recovery load, completion and counts by method over W', async () => {
    const body = await api('/api/v1/recovery', zRecoveryResponse);
    expect(body.from).toBe(new Date(from).toISOString());
    expect(body.to).toBe(new Date(to).toISOString());
    expect(body.interval).toBe('day');
    expect(body.filters.deviceClass).toEqual([]);
    expectFields(
      body,
      {
        days: expected.days,
        activeUsers: expected.activeUsers,
        started: expected.started,
        completed: expected.completed,
        failed: expected.failed,
        abandoned: expected.abandoned,
        inProgress: expected.inProgress,
        completionRate: expected.completionRate,
        recoveryLoad: expected.recoveryLoad,
      },
      'recovery',
    );
    expect(body.byMethod.map((row) => row.method)).toEqual(expected.byMethod.map((row) => row.method));
    expected.byMethod.forEach((row, i) => expectFields(body.byMethod[i]!, row, `byMethod[${row.method}]`));
  });

  it('phishable share among holders, holders judged when each recovery started', async () => {
    const body = await api('/api/v1/recovery', zRecoveryResponse);
    expectFields(body.phishable, expected.phishable, 'phishable');
    const holderByMethod = Object.fromEntries(body.phishable.byMethod.map((row) => [row.method, row.holderRecoveries]));
    // r09 s04 (email_code), r01 (email_magic_link), r07 (hardware_key), r02 (saved_recovery_code), s01 (sms_code), r06 (support_agent_override)
    expect(holderByMethod).toEqual({
      email_code: 2,
      email_magic_link: 1,
      hardware_key: 1,
      saved_recovery_code: 1,
      sms_code: 1,
      support_agent_override: 1,
    });
  });

  it('interval=day: 28 buckets aligned on from, each with its own active users', async () => {
    const body = await api('/api/v1/recovery?interval=day', zRecoveryResponse);
    expect(body.series).toHaveLength(expected.dayBuckets.count);
    expect(body.series[0]!.start).toBe(new Date(from).toISOString());
    expect(body.series.at(-1)!.end).toBe(new Date(to).toISOString());
    expect(body.series.reduce((sum, bucket) => sum + bucket.started, 0)).toBe(expected.started);
    for (const index of [1, 3, 5, 6, 7, 20, 27] as const) {
      const { startedByMethod, ...numbers } = expected.dayBuckets[index];
      const bucket = body.series[index]!;
      expect(bucket.start).toBe(at({ d: index }));
      expect(bucket.days).toBe(1);
      expectFields(bucket, numbers, `day ${index}`);
      expect(bucket.startedByMethod, `day ${index}.startedByMethod`).toEqual(startedByMethod);
    }
  });

  it('interval=week: four 7-day buckets', async () => {
    const body = await api('/api/v1/recovery?interval=week', zRecoveryResponse);
    expect(body.interval).toBe('week');
    expect(body.series).toHaveLength(expected.weekBuckets.length);
    expected.weekBuckets.forEach((bucket, i) => {
      expect(body.series[i]!.start).toBe(at({ d: 7 * i }));
      expectFields(body.series[i]!, bucket, `week ${i}`);
    });
  });

  it('interval=hour: 672 buckets; a bucket of 1/24 day scales its load accordingly', async () => {
    const body = await api('/api/v1/recovery?interval=hour', zRecoveryResponse);
    expect(body.series).toHaveLength(expected.hourBuckets.count);
    for (const index of [79, 81] as const) {
      const bucket = body.series[index]!;
      expect(bucket.start).toBe(new Date(from + index * 3_600_000).toISOString());
      expect(bucket.days).toBeCloseTo(1 / 24, 12);
      expectFields(bucket, expected.hourBuckets[index], `hour ${index}`);
    }
    expect(body.series.reduce((sum, bucket) => sum + bucket.started, 0)).toBe(expected.started);
  });

  it('refuses hour buckets over more than 31 days with a 400 naming interval', async () => {
    const longFrom = new Date(to - 40 * DAY_MS).toISOString();
    const error = await apiError(`/api/v1/recovery?interval=hour&from=${longFrom}&to=${new Date(to).toISOString()}`);
    expect(error.error.parameter).toBe('interval');
    expect(error.error.message).toMatch(/31 days/);
    // the same 40-day window is fine by day
    const response = await fetch(`${app.baseUrl}/api/v1/recovery?interval=day&from=${longFrom}&to=${new Date(to).toISOString()}`);
    expect(response.status).toBe(200);
    expect(zRecoveryResponse.parse(await response.json()).series).toHaveLength(40);
    expect((await apiError('/api/v1/recovery?interval=minute')).error.parameter).toBe('interval');
  });

  it('filters narrow the recoveries and the active users (deviceClass=mobile-ios)', async () => {
    const body = await api('/api/v1/recovery?deviceClass=mobile-ios', zRecoveryResponse);
    const ios = expected.ios;
    expect(body.filters.deviceClass).toEqual(['mobile-ios']);
    expectFields(
      body,
      {
        activeUsers: ios.activeUsers,
        started: ios.started,
        completed: ios.completed,
        failed: ios.failed,
        completionRate: ios.completionRate,
        recoveryLoad: ios.recoveryLoad,
      },
      'ios',
    );
    expectFields(
      body.phishable,
      {
        holderRecoveries: ios.holderRecoveries,
        phishableHolderRecoveries: ios.phishableHolderRecoveries,
        phishableShare: ios.phishableShare,
        nonHolderRecoveries: ios.nonHolderRecoveries,
      },
      'ios.phishable',
    );
  });

  it('the rollout-variant filter keeps the events of exposed users (variant=stage-3)', async () => {
    const body = await api('/api/v1/recovery?variant=stage-3', zRecoveryResponse);
    const { phishableShare, ...numbers } = expected.stage3;
    expectFields(body, numbers, 'stage3');
    expectNumber(body.phishable.phishableShare, phishableShare, 'stage3.phishableShare');
  });
});

describe('GET /api/v1/support/drivers', () => {
  const expected = EXPECTED.support;

  it('ranks drivers by tickets with users affected and the previous-period trend', async () => {
    const body = await api('/api/v1/support/drivers', zSupportDriversResponse);
    expect(body.previous).toEqual({
      from: at({ d: -28 }),
      to: at({ d: 0 }),
      tickets: expected.previousTickets,
      usersAffected: expected.previousUsersAffected,
    });
    expectFields(body, { tickets: expected.tickets, usersAffected: expected.usersAffected }, 'support');
    expect(body.drivers.map((row) => row.driver)).toEqual(expected.drivers.map((row) => row.driver));
    expected.drivers.forEach((row, i) => expectFields(body.drivers[i]!, row, `drivers[${row.driver}]`));
  });

  it('breaks each driver down by ticket category, channel and day of opening', async () => {
    const body = await api('/api/v1/support/drivers', zSupportDriversResponse);
    const driver = body.drivers.find((row) => row.driver === 'authentication:user_not_verified')!;
    // every golden ticket is an e-mailed sign_in_problem
    expect([driver.categories, driver.channels]).toEqual([
      [{ category: 'sign_in_problem', tickets: 3 }],
      [{ channel: 'email', tickets: 3 }],
    ]);
    const openedDays = expected.userNotVerifiedTickets.map((ticket) => at(ticket.openedAt).slice(0, 10));
    expect(driver.daily).toHaveLength(28);
    expect(driver.daily.filter((day) => day.tickets > 0)).toEqual([...openedDays].sort().map((day) => ({ day, tickets: 1 })));
    for (const row of body.drivers) {
      expect([row.daily.reduce((sum, day) => sum + day.tickets, 0), row.categories.reduce((sum, c) => sum + c.tickets, 0)]).toEqual([
        row.tickets,
        row.tickets,
      ]);
    }
  });

  it('drivers/tickets returns the tickets behind a driver with their attributed ceremony, newest first, paginated', async () => {
    const body = await api('/api/v1/support/drivers/tickets?driver=authentication:user_not_verified', zSupportDriverTicketsResponse);
    expect(body.total).toBe(3);
    expect(body.items).toHaveLength(3);
    expected.userNotVerifiedTickets.forEach((ticket, i) => {
      const item = body.items[i]!;
      expect(item).toMatchObject({
        ticketId: ticket.ticketId,
        userId: ticket.userId,
        openedAt: at(ticket.openedAt),
        ceremonyId: ticket.ceremonyId,
        attributedAt: at(ticket.attributedAt),
        deviceClass: ticket.deviceClass,
        recoveryFlowId: null,
        driver: 'authentication:user_not_verified',
        category: 'sign_in_problem',
        channel: 'email',
      });
    });
    const page2 = await api(
      '/api/v1/support/drivers/tickets?driver=authentication:user_not_verified&pageSize=2&page=2',
      zSupportDriverTicketsResponse,
    );
    expect(page2).toMatchObject({ page: 2, pageSize: 2, total: 3 });
    expect(page2.items.map((item) => item.ticketId)).toEqual(['TK01']);
  });

  it('a failed recovery as driver points at the recovery flow, not a ceremony', async () => {
    const body = await api('/api/v1/support/drivers/tickets?driver=recovery:failed', zSupportDriverTicketsResponse);
    const ticket = expected.recoveryFailedTicket;
    expect(body.total).toBe(1);
    expect(body.items).toEqual([
      {
        ticketId: ticket.ticketId,
        userId: ticket.userId,
        openedAt: at(ticket.openedAt),
        category: 'sign_in_problem',
        channel: 'email',
        driver: 'recovery:failed',
        ceremonyId: null,
        recoveryFlowId: ticket.recoveryFlowId,
        attributedAt: at(ticket.attributedAt),
        deviceClass: ticket.deviceClass,
        credentialId: null,
      },
    ]);
  });

  it('no_preceding_failure drill-down lists tickets without an attributed ceremony', async () => {
    const body = await api('/api/v1/support/drivers/tickets?driver=no_preceding_failure', zSupportDriverTicketsResponse);
    expect(body.items.map((item) => item.ticketId)).toEqual(['TK10', 'TK08', 'TK02']);
    expect(body.items.every((item) => item.ceremonyId === null && item.attributedAt === null)).toBe(true);
  });

  it('a well-formed driver with no tickets gives an empty page; a malformed one a 400', async () => {
    const body = await api('/api/v1/support/drivers/tickets?driver=registration:bad_signature', zSupportDriverTicketsResponse);
    expect(body).toMatchObject({
      driver: 'registration:bad_signature',
      page: 1,
      pageSize: 100,
      total: 0,
      items: [],
      ticketUrlTemplate: null,
    });
    expect((await apiError('/api/v1/support/drivers/tickets?driver=DROP%20TABLE')).error.parameter).toBe('driver');
    expect((await apiError('/api/v1/support/drivers/tickets')).error.parameter).toBe('driver');
  });

  it('filters judge a device-less ticket by its attributed failure (deviceClass=mobile-ios)', async () => {
    const body = await api('/api/v1/support/drivers?deviceClass=mobile-ios', zSupportDriversResponse);
    const ios = expected.ios;
    expectFields(body, { tickets: ios.tickets, usersAffected: ios.usersAffected }, 'ios');
    expect(body.previous.tickets).toBe(ios.previousTickets);
    expect(body.drivers.map(({ driver, tickets, usersAffected }) => ({ driver, tickets, usersAffected }))).toEqual(ios.drivers);
  });

  it('a ticket carrying its own device is judged by it (deviceClass=mobile-android)', async () => {
    const body = await api('/api/v1/support/drivers?deviceClass=mobile-android', zSupportDriversResponse);
    const android = expected.android;
    expectFields(body, { tickets: android.tickets, usersAffected: android.usersAffected }, 'android');
    expect(body.drivers.map(({ driver, tickets, usersAffected }) => ({ driver, tickets, usersAffected }))).toEqual(android.drivers);
  });

  it('the rollout-variant filter keeps the tickets and failures of exposed users (variant=stage-3)', async () => {
    const body = await api('/api/v1/support/drivers?variant=stage-3', zSupportDriversResponse);
    expectFields(body, { tickets: expected.stage3.tickets, usersAffected: expected.stage3.usersAffected }, 'stage3');
    expect(body.drivers.map(({ driver, tickets, usersAffected }) => ({ driver, tickets, usersAffected }))).toEqual(expected.stage3.drivers);
  });
});

describe('GET /api/v1/failures', () => {
  const expected = EXPECTED.failures;
  type Row = { values: Record<string, string>; ceremonies: number; [key: string]: unknown };
  const expectGroups = (actual: Row[], rows: readonly Row[], label: string) => {
    expect(
      actual.map((row) => row.values),
      label,
    ).toEqual(rows.map((row) => row.values));
    rows.forEach((row, i) => {
      const { values: _values, ...numbers } = row;
      expectFields(actual[i]!, numbers, `${label}[${JSON.stringify(row.values)}]`);
    });
  };

  it('groupBy=reason (the default): Pareto order, shares, cumulative shares and the previous period', async () => {
    const body = await api('/api/v1/failures', zFailuresResponse);
    expect(body.groupBy).toEqual(['reason']);
    expectFields(body, { ceremonies: expected.ceremonies, failures: expected.failures, cancellations: expected.cancellations }, 'failures');
    expect(body.previous).toEqual({ from: at({ d: -28 }), to: at({ d: 0 }), ceremonies: expected.previousCeremonies });
    expect(body.truncated).toBe(false);
    expectGroups(body.groups, expected.byReason, 'byReason');
    body.groups.forEach((group, i) => {
      expect(group.share).toBeCloseTo(expected.byReason[i]!.ceremonies / expected.ceremonies, 9);
      expect(group.cumulativeShare).toBeCloseTo(expected.byReasonCumulative[i]!, 9);
    });
  });

  it('groupBy=reason,deviceClass', async () => {
    const body = await api('/api/v1/failures?groupBy=reason,deviceClass', zFailuresResponse);
    expect(body.groupBy).toEqual(['reason', 'deviceClass']);
    expectGroups(body.groups, expected.byReasonDevice, 'byReasonDevice');
    expect(body.groups.reduce((sum, group) => sum + group.ceremonies, 0)).toBe(expected.ceremonies);
  });

  it('groupBy=type,outcome keeps cancels apart from failures', async () => {
    const body = await api('/api/v1/failures?groupBy=type,outcome', zFailuresResponse);
    expectGroups(body.groups, expected.byTypeOutcome, 'byTypeOutcome');
  });

  it('groupBy=deviceClass and groupBy=surface', async () => {
    const byDevice = await api('/api/v1/failures?groupBy=deviceClass', zFailuresResponse);
    expectGroups(byDevice.groups, expected.byDeviceClass, 'byDeviceClass');
    const bySurface = await api('/api/v1/failures?groupBy=surface', zFailuresResponse);
    expectGroups(bySurface.groups, expected.bySurface, 'bySurface');
  });

  it('a global filter narrows the groups and the totals (deviceClass=mobile-ios, variant=stage-3)', async () => {
    const body = await api('/api/v1/failures?deviceClass=mobile-ios', zFailuresResponse);
    expect(body.ceremonies).toBe(expected.iosByReason.ceremonies);
    expect(body.previous.ceremonies).toBe(expected.iosByReason.previousCeremonies);
    expectGroups(body.groups, expected.iosByReason.groups, 'iosByReason');
    const stage3 = await api('/api/v1/failures?variant=stage-3', zFailuresResponse);
    expectGroups(stage3.groups, expected.stage3ByReason, 'stage3ByReason');
  });

  it('drill-down: reason= lists the ceremonies newest first and leaves the Pareto whole', async () => {
    const body = await api('/api/v1/failures?reason=user_not_verified', zFailuresResponse);
    expect(body.ceremonies).toBe(expected.ceremonies);
    expectGroups(body.groups, expected.byReason, 'byReason');
    expect(body.selection.reason).toEqual(['user_not_verified']);
    expect(body.ceremonyList.total).toBe(3);
    expected.userNotVerifiedCeremonies.forEach((ceremony, i) => {
      expect(body.ceremonyList.items[i]).toMatchObject({
        ceremonyId: ceremony.ceremonyId,
        startedAt: at(ceremony.startedAt),
        userId: ceremony.userId,
        deviceClass: ceremony.deviceClass,
        outcome: ceremony.outcome,
        reason: 'user_not_verified',
        type: 'authentication',
      });
    });
    const page2 = await api('/api/v1/failures?reason=user_not_verified&pageSize=2&page=2', zFailuresResponse);
    expect(page2.ceremonyList).toMatchObject({ page: 2, pageSize: 2, total: 3 });
    expect(page2.ceremonyList.items.map((item) => item.ceremonyId)).toEqual(['cer_k01a']);
    const beyond = await api('/api/v1/failures?reason=user_not_verified&pageSize=2&page=9', zFailuresResponse);
    expect(beyond.ceremonyList).toMatchObject({ total: 3, items: [] });
  });

  it('drill-down by outcome, by type and outcome, and with a filter', async () => {
    const cancelled = await api('/api/v1/failures?outcome=cancelled', zFailuresResponse);
    expect(cancelled.ceremonyList.items.map((item) => item.ceremonyId)).toEqual(expected.cancelledCeremonies);
    expect(cancelled.ceremonyList.items.every((item) => item.outcome === 'cancelled')).toBe(true);
    const registration = await api('/api/v1/failures?type=registration&outcome=failure', zFailuresResponse);
    expect(registration.ceremonyList.items.map((item) => item.ceremonyId)).toEqual(expected.registrationFailureCeremonies);
    const iosRegistration = await api('/api/v1/failures?type=registration&outcome=failure&deviceClass=mobile-ios', zFailuresResponse);
    expect(iosRegistration.ceremonyList).toMatchObject({ total: 0, items: [] });
    const signup = await api('/api/v1/failures?surface=signup', zFailuresResponse);
    expect(signup.ceremonyList.items.map((item) => item.ceremonyId)).toEqual(['cer_k04b', 'cer_k04a']);
  });

  it('a server event without a ceremony id is a ceremony of its own', async () => {
    const body = await api('/api/v1/failures?reason=challenge_reused', zFailuresResponse);
    expect(body.ceremonyList.total).toBe(2);
    const [replay, first] = body.ceremonyList.items;
    expect(replay!.ceremonyId.startsWith('server:passkey.authentication:x03:')).toBe(true);
    expect(replay!.startedAt).toBe(at({ d: 8, h: 10, m: 5 }));
    expect(first!.ceremonyId).toBe('cer_x03c');
  });

  it('refuses unknown or repeated dimensions and bad selectors with a 400 naming the parameter', async () => {
    expect((await apiError('/api/v1/failures?groupBy=reason,userId')).error.parameter).toBe('groupBy');
    expect((await apiError('/api/v1/failures?groupBy=reason,reason')).error.parameter).toBe('groupBy');
    expect((await apiError('/api/v1/failures?groupBy=reason,os,browser,surface')).error.parameter).toBe('groupBy');
    expect((await apiError('/api/v1/failures?outcome=success')).error.parameter).toMatch(/^outcome/);
    expect((await apiError('/api/v1/failures?page=0')).error.parameter).toBe('page');
  });
});

describe('GET /api/v1/security', () => {
  const expected = EXPECTED.security;

  it('origin / RP-ID mismatches by origin', async () => {
    const body = await api('/api/v1/security', zSecurityResponse);
    expect(body.originMismatchesByOrigin).toEqual(expected.originMismatchesByOrigin);
  });

  it('each verification signal with exact counts and its newest events', async () => {
    const body = await api('/api/v1/security', zSecurityResponse);
    for (const [signal, summary] of Object.entries(expected.signals)) {
      const actual = body.signals[signal as keyof typeof body.signals];
      expectFields(actual, { events: summary.events, ceremonies: summary.ceremonies, users: summary.users }, signal);
      expect(actual.items, signal).toHaveLength(summary.events);
      expect(actual.items[0]!.ceremonyId, signal).toBe(summary.newest);
    }
    expect(body.signals.counterAnomaly.items.map((item) => [item.result, item.signCountAnomaly])).toEqual([
      ['failure', true],
      ['success', true],
    ]);
    expect(body.signals.originMismatch.items[0]).toMatchObject({
      timestamp: at({ d: 6, h: 9 }),
      userId: 'x02',
      origin: 'https://evil.example',
      rpId: 'example.com',
      failureReason: 'origin_mismatch',
    });
  });

  it('limit caps the lists, never the counts', async () => {
    const body = await api('/api/v1/security?limit=1', zSecurityResponse);
    for (const [signal, summary] of Object.entries(expected.signals)) {
      const actual = body.signals[signal as keyof typeof body.signals];
      expect(actual.events, signal).toBe(summary.events);
      expect(actual.items, signal).toHaveLength(1);
    }
    expect(body.phishableRecoveryNewDevice.recoveries).toBe(2);
    expect(body.phishableRecoveryNewDevice.items).toHaveLength(1);
  });

  it('phishable recoveries followed within 24 h by a passkey from a never-used device class', async () => {
    const body = await api('/api/v1/security', zSecurityResponse);
    const flagged = expected.phishableRecoveryNewDevice;
    expectFields(
      body.phishableRecoveryNewDevice,
      { recoveries: flagged.recoveries, registrations: flagged.registrations, users: flagged.users },
      'flagged',
    );
    expect(body.phishableRecoveryNewDevice.items).toEqual(
      flagged.items.map((item) => ({
        ...item,
        recoveryAt: at(item.recoveryAt),
        registrationAt: at(item.registrationAt),
        ceremonyId: `reg_${item.credentialId}`,
      })),
    );
  });

  it('filters narrow the signals (deviceClass=mobile-ios / mobile-android, variant=stage-3)', async () => {
    const ios = await api('/api/v1/security?deviceClass=mobile-ios', zSecurityResponse);
    for (const [signal, events] of Object.entries(expected.iosSignalEvents)) {
      expect(ios.signals[signal as keyof typeof ios.signals].events, signal).toBe(events);
    }
    expect(ios.originMismatchesByOrigin).toEqual([]);
    expect(ios.phishableRecoveryNewDevice.recoveries).toBe(0);
    const android = await api('/api/v1/security?deviceClass=mobile-android', zSecurityResponse);
    expect(android.phishableRecoveryNewDevice.registrations).toBe(2);
    expect(android.signals.challengeReuse.events).toBe(2);
    const stage3 = await api('/api/v1/security?variant=stage-3', zSecurityResponse);
    for (const [signal, events] of Object.entries(expected.stage3SignalEvents)) {
      expect(stage3.signals[signal as keyof typeof stage3.signals].events, signal).toBe(events);
    }
  });
});
