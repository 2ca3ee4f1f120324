/**
 * Stage 4 over time (GET /api/v1/stages/phase-out; docs/stage-gates.md "Stage 4 over time") on a
 * hand-built population in an environment of its own, three whole UTC weeks ending on a Monday:
 *
 *   u1  passkey at −20 d, password removed at −10 d, passkey sign-in at −5 d
 *   u2  passkey at −20 d, password removed at −2 d, password sign-in at −3 d
 *   u3  passkey at −20 d, nothing else
 *   u4  no passkey, password removed at −9 d (a removal, never a holder)
 *   u5  passkey at −20 d, password removed at −12 d, passkey deleted at −4 d
 *
 * Counted by hand, per week (as of its end; the blast radius looks back 28 days from there):
 *   [−21 d, −14 d)  0 removals; 4 holders (u1 u2 u3 u5), 0 without a password; 4 at risk (no sign-in)
 *   [−14 d,  −7 d)  3 removals by 3 users (u5 u1 u4); 4 holders, 2 without (u1 u5); 4 at risk
 *   [ −7 d,   0 d)  1 removal (u2); 3 holders (u5 deleted its passkey), 2 without (u1 u2); 2 at risk
 *                   (u1 signed in with a passkey; u2 with a password only, u3 not at all)
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { PhaseOutResponse } from '@/lib/contracts/stage-phase-out';
import { getJson, otlpJson, postLogs, uid, type TestRecord } from '../helpers/otlp';

const baseUrl = inject('baseUrl');
const environment = uid('phase-out');
const DAY = 86_400_000;
// The last Monday 00:00 UTC at least a day ago: every week whole, every event in the past.
const today = Math.floor((Date.now() - DAY) / DAY) * DAY;
const to = today - ((new Date(today).getUTCDay() + 6) % 7) * DAY;
const at = (daysBefore: number) => to - daysBefore * DAY;
const [u1, u2, u3, u4, u5] = [uid('u1'), uid('u2'), uid('u3'), uid('u4'), uid('u5')];
const u5Credential = uid('cred');

const registration = (userId: string, credentialId = uid('cred')): TestRecord => ({
  eventName: 'passkey.registration',
  timeMs: at(20),
  attributes: { 'user.id': userId, 'passkey.result': 'success', 'webauthn.credential.id': credentialId },
});
const removal = (userId: string, daysBefore: number): TestRecord => ({
  eventName: 'auth.password.removed',
  timeMs: at(daysBefore),
  attributes: { 'user.id': userId },
});
const signIn = (userId: string, method: string, daysBefore: number): TestRecord => ({
  eventName: 'auth.sign_in',
  timeMs: at(daysBefore),
  attributes: { 'user.id': userId, 'auth.method': method, 'auth.result': 'success' },
});

let body: PhaseOutResponse;

beforeAll(async () => {
  const records: TestRecord[] = [
    registration(u1),
    removal(u1, 10),
    signIn(u1, 'passkey', 5),
    registration(u2),
    removal(u2, 2),
    signIn(u2, 'password', 3),
    registration(u3),
    removal(u4, 9),
    registration(u5, u5Credential),
    removal(u5, 12),
    {
      eventName: 'passkey.credential.lifecycle',
      timeMs: at(4),
      attributes: { 'user.id': u5, 'webauthn.credential.id': u5Credential, 'passkey.credential.action': 'deleted_by_user' },
    },
  ];
  const payload = otlpJson(records, { 'service.name': 'phase-out-test', 'deployment.environment.name': environment });
  const response = await postLogs(baseUrl, JSON.stringify(payload), {
    'content-type': 'application/json',
    authorization: `Bearer ${inject('ingestToken')}`,
  });
  expect(response.status).toBe(200);
  const answer = await getJson<PhaseOutResponse>(
    baseUrl,
    `/api/v1/stages/phase-out?weeks=3&to=${encodeURIComponent(new Date(to).toISOString())}&environment=${environment}`,
  );
  expect(answer.status, JSON.stringify(answer.body).slice(0, 400)).toBe(200);
  body = answer.body;
});

describe('GET /api/v1/stages/phase-out', () => {
  it('gives three whole weeks ending at `to`, in the environment asked for', () => {
    expect(body.environments).toEqual([environment]);
    expect(body.weeks.map((week) => [week.start, week.end, week.partial])).toEqual(
      [21, 14, 7].map((daysBefore) => [new Date(at(daysBefore)).toISOString(), new Date(at(daysBefore - 7)).toISOString(), false]),
    );
  });

  it('counts removals, holders without a password and the holders at risk exactly as by hand', () => {
    const counts = body.weeks.map(({ removals, usersRemoving, holders, holdersWithoutPassword, atRisk }) => ({
      removals,
      usersRemoving,
      holders,
      holdersWithoutPassword,
      atRisk,
    }));
    expect(counts).toEqual([
      { removals: 0, usersRemoving: 0, holders: 4, holdersWithoutPassword: 0, atRisk: 4 },
      { removals: 3, usersRemoving: 3, holders: 4, holdersWithoutPassword: 2, atRisk: 4 },
      { removals: 1, usersRemoving: 1, holders: 3, holdersWithoutPassword: 2, atRisk: 2 },
    ]);
    expect(body.weeks.map((week) => week.shareWithoutPassword)).toEqual([0, 0.5, 2 / 3]);
    expect(body.weeks.map((week) => week.atRiskShare)).toEqual([1, 1, 2 / 3]);
  });

  it('reads as the blast radius endpoint does at each week’s end', async () => {
    for (const week of body.weeks) {
      const { body: radius } = await getJson<{ holders: number; atRisk: number }>(
        baseUrl,
        `/api/v1/stages/blast-radius?to=${encodeURIComponent(week.end)}&environment=${environment}`,
      );
      expect([radius.holders, radius.atRisk]).toEqual([week.holders, week.atRisk]);
    }
  });

  it('tz moves the weeks to Monday 00:00 local time', async () => {
    const monday = Date.UTC(2026, 0, 19); // a winter Monday: Berlin is UTC+1
    const { status, body } = await getJson<PhaseOutResponse>(
      baseUrl,
      `/api/v1/stages/phase-out?weeks=2&to=${encodeURIComponent(new Date(monday).toISOString())}&tz=Europe%2FBerlin&environment=${environment}`,
    );
    expect(status).toBe(200);
    expect(body.tz).toBe('Europe/Berlin');
    expect(body.weeks.map((week) => [week.start, week.end, week.partial])).toEqual([
      ['2026-01-05T00:00:00.000Z', '2026-01-11T23:00:00.000Z', true],
      ['2026-01-11T23:00:00.000Z', '2026-01-18T23:00:00.000Z', false],
      ['2026-01-18T23:00:00.000Z', '2026-01-19T00:00:00.000Z', true],
    ]);
  });

  it('refuses a bad number of weeks with a 400 naming it', async () => {
    const { status, body: error } = await getJson<{ error: { parameter?: string } }>(baseUrl, '/api/v1/stages/phase-out?weeks=27');
    expect(status).toBe(400);
    expect(error.error.parameter).toBe('weeks');
  });
});
