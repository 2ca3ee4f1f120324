/**
 * GET /api/v1/cohorts/fallback/methods on a hand-built population (its own service):
 *   a — password twice and a passkey on Windows, holds a Windows passkey;
 *   b — password only, on Windows; holds a passkey registered on an iPhone (none where b signs in);
 *   c — SMS code only, on an iPhone; no passkey;
 *   d — password on Windows and an SMS code on an iPhone; holds an iPhone passkey;
 *   e — only a failed password sign-in: not active.
 * password: 3 users (a, b, d), 1 with nothing else (b), 1 stranded (b), 0 without any passkey;
 * sms_code: 2 users (c, d), 1 only (c), 1 stranded (c), 1 without any passkey (c); 4 active users.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { FallbackMethodsResponse } from '@/lib/contracts/cohorts';
import { getJson, otlpJson, postLogs, uid, type TestRecord } from '../helpers/otlp';
import { WINDOWS_UA, IPHONE_UA } from '../helpers/user-agents';

const baseUrl = inject('baseUrl');
const token = inject('ingestToken');
const service = uid('fallback-methods-svc');
const DAY = 86_400_000;
const now = Date.now();
const from = new Date(now - 7 * DAY).toISOString();
const to = new Date(now + 60_000).toISOString();
const [a, b, c, d, e] = [uid('a'), uid('b'), uid('c'), uid('d'), uid('e')] as const;

const signIn = (userId: string, method: string, ua: string, daysAgo: number, result = 'success'): TestRecord => ({
  eventName: 'auth.sign_in',
  timeMs: now - daysAgo * DAY,
  attributes: { 'user.id': userId, 'auth.method': method, 'auth.result': result, 'user_agent.original': ua },
});
const registration = (userId: string, ua: string, daysAgo: number): TestRecord => ({
  eventName: 'passkey.registration',
  timeMs: now - daysAgo * DAY,
  attributes: { 'user.id': userId, 'passkey.result': 'success', 'webauthn.credential.id': uid('cred'), 'user_agent.original': ua },
});

beforeAll(async () => {
  const records = [
    registration(a, WINDOWS_UA, 20),
    signIn(a, 'password', WINDOWS_UA, 5),
    signIn(a, 'password', WINDOWS_UA, 4),
    signIn(a, 'passkey', WINDOWS_UA, 3),
    registration(b, IPHONE_UA, 30),
    signIn(b, 'password', WINDOWS_UA, 2),
    signIn(c, 'sms_code', IPHONE_UA, 2),
    registration(d, IPHONE_UA, 10),
    signIn(d, 'password', WINDOWS_UA, 3),
    signIn(d, 'sms_code', IPHONE_UA, 1),
    signIn(e, 'password', WINDOWS_UA, 1, 'failure'),
  ];
  const response = await postLogs(baseUrl, JSON.stringify(otlpJson(records, { 'service.name': service })), {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({});
});

describe('/api/v1/cohorts/fallback/methods', () => {
  it('counts, per fallback method, the active users depending on it and those it would strand', async () => {
    const { status, body } = await getJson<FallbackMethodsResponse>(
      baseUrl,
      `/api/v1/cohorts/fallback/methods?from=${from}&to=${to}&service=${service}`,
    );
    expect(status).toBe(200);
    expect(body.activeUsers).toBe(4);
    expect(body.methods).toEqual([
      {
        method: 'password',
        users: 3,
        onlyMethod: 1,
        withoutPasskeyOnTheirDevices: 1,
        withoutAnyPasskey: 0,
        shareOfActiveUsers: 0.75,
        strandedShare: 1 / 3,
      },
      {
        method: 'sms_code',
        users: 2,
        onlyMethod: 1,
        withoutPasskeyOnTheirDevices: 1,
        withoutAnyPasskey: 1,
        shareOfActiveUsers: 0.5,
        strandedShare: 0.5,
      },
    ]);
  });

  it('follows the window: before d’s and c’s sign-ins only a and b depended on the password', async () => {
    const { body } = await getJson<FallbackMethodsResponse>(
      baseUrl,
      `/api/v1/cohorts/fallback/methods?from=${from}&to=${new Date(now - 3.5 * DAY).toISOString()}&service=${service}`,
    );
    expect(body.activeUsers).toBe(1);
    expect(body.methods).toEqual([
      expect.objectContaining({ method: 'password', users: 1, onlyMethod: 1, withoutPasskeyOnTheirDevices: 0 }),
    ]);
  });
});
