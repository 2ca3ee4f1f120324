/**
 * GET /api/v1/signin/after-fallback on a hand-built population (its own service). Fallback sign-ins
 * on a device class where the user held no live passkey at that moment:
 *   a — password on Windows, an offer 5 min later and a Windows passkey 10 min later (offered,
 *       registered); a's next password sign-in a day later no longer counts (a holds one there now);
 *   b — password on Windows, the offer only 45 min later (outside the session): neither;
 *   c — SMS code on an iPhone while holding only a Windows passkey: offered a minute later, registered
 *       70 min later (too late): offered only;
 *   f — password on an iPhone, an offer on Windows (another device class), a passkey on the iPhone 20
 *       min later without an offer: registered only.
 *   d (a passkey sign-in) and e (password, but holding a Windows passkey) do not count.
 * desktop-windows: 2 sign-ins, 1 offered, 1 registered; mobile-ios: 2, 1, 1; totals 4, 2, 2.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { AfterFallbackResponse } from '@/lib/contracts/signin';
import { getJson, otlpJson, postLogs, uid, type TestRecord } from '../helpers/otlp';
import { WINDOWS_UA as WINDOWS, IPHONE_UA as IPHONE } from '../helpers/user-agents';

const baseUrl = inject('baseUrl');
const token = inject('ingestToken');
const service = uid('after-fallback-svc');
const MINUTE = 60_000;
const DAY = 1_440 * MINUTE;
const now = Date.now();
const from = new Date(now - 7 * DAY).toISOString();
const to = new Date(now + MINUTE).toISOString();
const [a, b, c, d, e, f] = [uid('a'), uid('b'), uid('c'), uid('d'), uid('e'), uid('f')] as const;

const at = (time: number, eventName: string, userId: string, ua: string, attributes: TestRecord['attributes']): TestRecord => ({
  eventName,
  timeMs: time,
  attributes: { 'user.id': userId, 'user_agent.original': ua, ...attributes },
});
const signIn = (time: number, userId: string, ua: string, method: string) =>
  at(time, 'auth.sign_in', userId, ua, { 'auth.method': method, 'auth.result': 'success' });
const offer = (time: number, userId: string, ua: string) => at(time, 'passkey.upsell', userId, ua, { 'passkey.upsell.outcome': 'shown' });
const register = (time: number, userId: string, ua: string) =>
  at(time, 'passkey.registration', userId, ua, { 'passkey.result': 'success', 'webauthn.credential.id': uid('cred') });

beforeAll(async () => {
  const t0 = now - 3 * DAY;
  const t1 = now - 2 * DAY;
  const records = [
    signIn(t0, a, WINDOWS, 'password'),
    offer(t0 + 5 * MINUTE, a, WINDOWS),
    register(t0 + 10 * MINUTE, a, WINDOWS),
    signIn(t0 + DAY, a, WINDOWS, 'password'),
    signIn(t1, b, WINDOWS, 'password'),
    offer(t1 + 45 * MINUTE, b, WINDOWS),
    register(now - 20 * DAY, c, WINDOWS),
    signIn(t1, c, IPHONE, 'sms_code'),
    offer(t1 + MINUTE, c, IPHONE),
    register(t1 + 70 * MINUTE, c, IPHONE),
    signIn(t1, d, WINDOWS, 'passkey'),
    register(now - 20 * DAY, e, WINDOWS),
    signIn(t1, e, WINDOWS, 'password'),
    signIn(t1, f, IPHONE, 'password'),
    offer(t1 + 2 * MINUTE, f, WINDOWS),
    register(t1 + 20 * MINUTE, f, IPHONE),
  ];
  const response = await postLogs(baseUrl, JSON.stringify(otlpJson(records, { 'service.name': service })), {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({});
});

describe('/api/v1/signin/after-fallback', () => {
  it('counts fallback sign-ins without a passkey on that device, and which were offered one and registered one', async () => {
    const { status, body } = await getJson<AfterFallbackResponse>(
      baseUrl,
      `/api/v1/signin/after-fallback?from=${from}&to=${to}&service=${service}`,
    );
    expect(status).toBe(200);
    expect(body.rows).toEqual([
      { deviceClass: 'desktop-windows', signIns: 2, users: 2, offered: 1, registered: 1, offeredShare: 0.5, registeredShare: 0.5 },
      { deviceClass: 'mobile-ios', signIns: 2, users: 2, offered: 1, registered: 1, offeredShare: 0.5, registeredShare: 0.5 },
    ]);
    expect(body.totals).toEqual({ signIns: 4, users: 4, offered: 2, registered: 2, offeredShare: 0.5, registeredShare: 0.5 });
  });

  it('answers an empty window with no rows and null shares', async () => {
    const { body } = await getJson<AfterFallbackResponse>(
      baseUrl,
      `/api/v1/signin/after-fallback?from=${from}&to=${to}&service=${uid('nobody')}`,
    );
    expect(body.rows).toEqual([]);
    expect(body.totals).toEqual({ signIns: 0, users: 0, offered: 0, registered: 0, offeredShare: null, registeredShare: null });
  });
});
