/**
 * /api/v1/failures/series against the running app: a scenario of seven ceremonies over two days and
 * two releases, every bucket and group computed by hand. A ceremony counts in the hour or day it
 * started (its first event), like every ceremony metric.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { FailuresSeriesResponse } from '@/lib/contracts/failures';
import { getJson, otlpJson, postLogs, uid, type TestRecord } from '../helpers/otlp';

const baseUrl = inject('baseUrl');
const token = inject('ingestToken');
const service = uid('series-svc');
const HOUR = 3_600_000;
const D = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 3 * 86_400_000;
const T = (day: number, hours: number, minutes = 0, seconds = 0) => D + day * 24 * HOUR + hours * HOUR + minutes * 60_000 + seconds * 1000;
const window = `from=${new Date(T(0, 9)).toISOString()}&to=${new Date(T(2, 0)).toISOString()}&service=${service}`;

const ios = { 'device.class': 'mobile-ios', 'os.name': 'iOS', 'browser.name': 'Safari' };
const windows = { 'device.class': 'desktop-windows', 'os.name': 'Windows', 'browser.name': 'Edge' };
const failure = (id: string, timeMs: number, reason: string, device: Record<string, string>): TestRecord => ({
  eventName: 'passkey.authentication',
  timeMs,
  attributes: {
    'user.id': uid('u'),
    'passkey.result': 'failure',
    'webauthn.failure.reason': reason,
    'webauthn.ceremony.id': id,
    ...device,
  },
});
const prompt = (id: string, timeMs: number, outcome: 'success' | 'cancel', device: Record<string, string>): TestRecord => ({
  eventName: 'passkey.prompt',
  timeMs,
  attributes: {
    'webauthn.ceremony.id': id,
    'webauthn.ceremony.type': 'authentication',
    'webauthn.mediation': 'optional',
    ...(outcome === 'success'
      ? { 'passkey.prompt.outcome': 'success' }
      : { 'passkey.prompt.outcome': 'error', 'webauthn.client.failure_reason': 'user_cancelled_or_timed_out' }),
    ...device,
  },
});
const [c1, c2, c3, c4, c5, c6, c7] = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'].map((name) => uid(`cer-${name}`)) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];

async function send(records: TestRecord[], version: string) {
  const response = await postLogs(baseUrl, JSON.stringify(otlpJson(records, { 'service.name': service, 'service.version': version })), {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({});
}

async function series(query: string): Promise<FailuresSeriesResponse> {
  const { status, body } = await getJson<FailuresSeriesResponse>(baseUrl, `/api/v1/failures/series?${window}&${query}`);
  expect(status, JSON.stringify(body).slice(0, 300)).toBe(200);
  return body;
}

/** The non-empty buckets as [start, failures, cancellations, byGroup]. */
const nonEmpty = (body: FailuresSeriesResponse) =>
  body.buckets
    .filter((bucket) => bucket.failures + bucket.cancellations > 0)
    .map((bucket) => [bucket.start, bucket.failures, bucket.cancellations, bucket.byGroup]);
const iso = (ms: number) => new Date(ms).toISOString();

beforeAll(async () => {
  await send(
    [
      failure(c1, T(0, 9, 10), 'user_not_verified', ios),
      prompt(c2, T(0, 9, 20), 'cancel', ios),
      // starts at 10:59:30, fails at 11:00:10: an hour-10 ceremony
      prompt(c3, T(0, 10, 59, 30), 'success', windows),
      failure(c3, T(0, 11, 0, 10), 'bad_signature', windows),
      {
        eventName: 'passkey.authentication',
        timeMs: T(0, 12),
        attributes: {
          'user.id': uid('u'),
          'passkey.result': 'success',
          'webauthn.ceremony.id': c4,
          'webauthn.credential.id': uid('cred'),
          ...ios,
        },
      },
    ],
    '1.0',
  );
  await send(
    [
      failure(c5, T(1, 8), 'user_not_verified', windows),
      failure(c6, T(1, 8, 30), 'user_not_verified', ios),
      prompt(c7, T(1, 23, 59, 59), 'cancel', windows),
    ],
    '1.1',
  );
  // visible once the failures explorer counts all six
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { body } = await getJson<{ ceremonies: number }>(baseUrl, `/api/v1/failures?${window}`);
    if (body.ceremonies === 6) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
});

describe('/api/v1/failures/series', () => {
  it('hours by reason: every bucket of the window, each ceremony in the hour it started', async () => {
    const body = await series('interval=hour&groupBy=reason');
    expect(body.buckets).toHaveLength(39);
    expect(nonEmpty(body)).toEqual([
      [
        iso(T(0, 9)),
        1,
        1,
        { user_not_verified: { failures: 1, cancellations: 0 }, user_cancelled_or_timed_out: { failures: 0, cancellations: 1 } },
      ],
      [iso(T(0, 10)), 1, 0, { bad_signature: { failures: 1, cancellations: 0 } }],
      [iso(T(1, 8)), 2, 0, { user_not_verified: { failures: 2, cancellations: 0 } }],
      [iso(T(1, 23)), 0, 1, { user_cancelled_or_timed_out: { failures: 0, cancellations: 1 } }],
    ]);
    expect(body.groups).toEqual([
      { value: 'user_not_verified', failures: 3, cancellations: 0 },
      { value: 'user_cancelled_or_timed_out', failures: 0, cancellations: 2 },
      { value: 'bad_signature', failures: 1, cancellations: 0 },
    ]);
    expect(body.otherGroups).toBe(0);
  });

  it('days by release, agreeing with the failures explorer', async () => {
    const body = await series('interval=day&groupBy=serviceVersion');
    expect(body.buckets.map((bucket) => [bucket.start, bucket.end, bucket.failures, bucket.cancellations, bucket.byGroup])).toEqual([
      [iso(T(0, 9)), iso(T(1, 0)), 2, 1, { '1.0': { failures: 2, cancellations: 1 } }],
      [iso(T(1, 0)), iso(T(2, 0)), 2, 1, { '1.1': { failures: 2, cancellations: 1 } }],
    ]);
    const { body: explorer } = await getJson<{ failures: number; cancellations: number }>(baseUrl, `/api/v1/failures?${window}`);
    expect([explorer.failures, explorer.cancellations]).toEqual([4, 2]);
  });

  it('folds the groups beyond `top` into (other), and filters like every endpoint', async () => {
    const body = await series('interval=day&groupBy=deviceClass&top=1');
    // 3 ceremonies each: the tie goes to the first value
    expect(body.groups).toEqual([
      { value: 'desktop-windows', failures: 2, cancellations: 1 },
      { value: '(other)', failures: 2, cancellations: 1 },
    ]);
    expect(body.otherGroups).toBe(1);
    const ios = await series('interval=day&groupBy=deviceClass&deviceClass=mobile-ios');
    expect(ios.groups).toEqual([{ value: 'mobile-ios', failures: 2, cancellations: 1 }]);
    expect(ios.filters.deviceClass).toEqual(['mobile-ios']);
  });

  it('refuses a window of more hours than the bucket cap with a 400 naming interval', async () => {
    const { status, body } = await getJson<{ error: { code: string; parameter: string } }>(
      baseUrl,
      '/api/v1/failures/series?interval=hour&from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z',
    );
    expect([status, body.error.code, body.error.parameter]).toEqual([400, 'invalid_parameter', 'interval']);
  });
});
