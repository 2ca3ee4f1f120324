/**
 * GET /api/v1/capabilities on a hand-built population (its own service name, so the shared test
 * app's other data stays out): per device class, the active users and what their latest capability
 * report said, a report without `user.id` linked through its flow to the user who signed in there.
 *
 * desktop-windows: u1 (latest report: platform authenticator and conditional UI, after an older "no"),
 *   u2 (report sent before sign-in, no user.id, linked by flow: neither), u3 (no report);
 *   an anonymous report whose flow never signed in, and u4 (report, but only a failed sign-in),
 *   count nowhere → 3 active, 2 reported, 1 / 1 platform, 1 / 1 conditional UI.
 *   u6 (no platform authenticator, conditional UI)
 *   → 4 active, 3 reported, 1 / 2 platform, 2 / 1 conditional UI.
 * mobile-ios: u1 (platform, no conditional UI), u5 (platform, conditional UI not reported),
 *   u6 (a later report that leaves the platform authenticator out: no conditional UI)
 *   → 3 active, 3 reported, 2 / 0 platform, 0 / 2 conditional UI.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { CapabilitiesResponse } from '@/lib/contracts/capabilities';
import { getJson, otlpJson, postLogs, uid, type TestRecord } from '../helpers/otlp';
import { WINDOWS_UA, IPHONE_UA } from '../helpers/user-agents';

const baseUrl = inject('baseUrl');
const token = inject('ingestToken');
const service = uid('capabilities-svc');
const DAY = 86_400_000;
const now = Date.now();
const from = new Date(now - 7 * DAY).toISOString();
const to = new Date(now + 60_000).toISOString();
const [u1, u2, u3, u4, u5, u6] = [uid('u1'), uid('u2'), uid('u3'), uid('u4'), uid('u5'), uid('u6')] as const;

function signIn(userId: string, ua: string, daysAgo: number, flow = uid('f'), result = 'success'): TestRecord {
  return {
    eventName: 'auth.sign_in',
    timeMs: now - daysAgo * DAY,
    attributes: { 'user.id': userId, 'auth.method': 'password', 'auth.result': result, 'user_agent.original': ua, 'auth.flow.id': flow },
  };
}
function report(ua: string, daysAgo: number, values: Record<string, boolean>, who: { userId?: string; flow?: string }): TestRecord {
  const attributes: TestRecord['attributes'] = { 'user_agent.original': ua, ...values };
  if (who.userId) attributes['user.id'] = who.userId;
  if (who.flow) attributes['auth.flow.id'] = who.flow;
  return { eventName: 'passkey.client.capabilities', timeMs: now - daysAgo * DAY, attributes };
}
const UVPAA = 'webauthn.client.uvpaa';
const CONDITIONAL = 'webauthn.client.conditional_get';

beforeAll(async () => {
  const u2Flow = uid('f');
  const records: TestRecord[] = [
    signIn(u1, WINDOWS_UA, 1),
    report(WINDOWS_UA, 3, { [UVPAA]: false, [CONDITIONAL]: false }, { userId: u1 }),
    report(WINDOWS_UA, 2, { [UVPAA]: true, [CONDITIONAL]: true }, { userId: u1 }),
    report(WINDOWS_UA, 2, { [UVPAA]: false, [CONDITIONAL]: false }, { flow: u2Flow }),
    signIn(u2, WINDOWS_UA, 2 - 0.001, u2Flow),
    signIn(u3, WINDOWS_UA, 4),
    report(WINDOWS_UA, 1, { [UVPAA]: true, [CONDITIONAL]: true }, { flow: uid('f') }),
    report(WINDOWS_UA, 1, { [UVPAA]: true, [CONDITIONAL]: true }, { userId: u4 }),
    signIn(u4, WINDOWS_UA, 1, uid('f'), 'failure'),
    signIn(u1, IPHONE_UA, 5),
    report(IPHONE_UA, 5, { [UVPAA]: true, [CONDITIONAL]: false }, { userId: u1 }),
    signIn(u5, IPHONE_UA, 3),
    report(IPHONE_UA, 3, { [UVPAA]: true }, { userId: u5 }),
    signIn(u6, WINDOWS_UA, 4),
    report(WINDOWS_UA, 3, { [UVPAA]: false, [CONDITIONAL]: true }, { userId: u6 }),
    signIn(u6, IPHONE_UA, 4),
    report(IPHONE_UA, 1, { [CONDITIONAL]: false }, { userId: u6 }),
  ];
  const response = await postLogs(baseUrl, JSON.stringify(otlpJson(records, { 'service.name': service })), {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({});
});

describe('/api/v1/capabilities', () => {
  it('counts active users per device class by their latest capability report', async () => {
    const { status, body } = await getJson<CapabilitiesResponse>(baseUrl, `/api/v1/capabilities?from=${from}&to=${to}&service=${service}`);
    expect(status).toBe(200);
    expect(body.rows).toEqual([
      {
        deviceClass: 'desktop-windows',
        activeUsers: 4,
        reported: 3,
        platformAuthenticator: 1,
        noPlatformAuthenticator: 2,
        conditionalUi: 2,
        noConditionalUi: 1,
        noPlatformAuthenticatorShare: 2 / 3,
        noConditionalUiShare: 1 / 3,
        reportedShare: 0.75,
      },
      {
        deviceClass: 'mobile-ios',
        activeUsers: 3,
        reported: 3,
        platformAuthenticator: 2,
        noPlatformAuthenticator: 0,
        conditionalUi: 0,
        noConditionalUi: 2,
        noPlatformAuthenticatorShare: 0,
        noConditionalUiShare: 2 / 3,
        reportedShare: 1,
      },
    ]);
    // Totals are over the distinct users of A(W) (u1, u2, u3, u5, u6), each by their latest report on
    // any device class they were active on, attribute by attribute: u1's Windows "yes / yes" two days
    // ago, u2 "no / no", u5 "yes / —", u6 "no" from Windows (its later iPhone report left it out) and
    // "no" conditional UI from the iPhone.
    expect(body.totals).toEqual({
      activeUsers: 5,
      reported: 4,
      platformAuthenticator: 2,
      noPlatformAuthenticator: 2,
      conditionalUi: 1,
      noConditionalUi: 2,
      noPlatformAuthenticatorShare: 0.5,
      noConditionalUiShare: 0.5,
      reportedShare: 0.8,
    });
  });

  it('applies the filters and window like every metric endpoint', async () => {
    const ios = await getJson<CapabilitiesResponse>(
      baseUrl,
      `/api/v1/capabilities?from=${from}&to=${to}&service=${service}&deviceClass=mobile-ios`,
    );
    expect(ios.body.rows.map((row) => row.deviceClass)).toEqual(['mobile-ios']);
    const lastTwoDays = await getJson<CapabilitiesResponse>(
      baseUrl,
      `/api/v1/capabilities?from=${new Date(now - 2.5 * DAY).toISOString()}&to=${to}&service=${service}`,
    );
    // u3 and u6 (4 days ago) and the iPhone users (3 and 5 days ago) fall out; u1's older "no" report too.
    expect(lastTwoDays.body.rows).toEqual([
      expect.objectContaining({ deviceClass: 'desktop-windows', activeUsers: 2, reported: 2, platformAuthenticator: 1 }),
    ]);
  });

  it('answers an empty window with no rows and null shares', async () => {
    const { body } = await getJson<CapabilitiesResponse>(baseUrl, `/api/v1/capabilities?from=${from}&to=${to}&service=${uid('nobody')}`);
    expect(body.rows).toEqual([]);
    expect(body.totals).toMatchObject({ activeUsers: 0, reportedShare: null, noPlatformAuthenticatorShare: null });
  });
});
