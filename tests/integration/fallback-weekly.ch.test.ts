/**
 * GET /api/v1/cohorts/fallback/weekly on a small population (its own service): the weeks tile the
 * window (UTC weeks from Monday, cut at `from` and `to`), each week is exactly the cohort of
 * /api/v1/cohorts/fallback asked for that week, and the users land in the weeks they signed in,
 * with the reason of that week: holders as of the week's end (a passkey registered or deleted
 * part-way through the window), failures of that week.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { FallbackCohortResponse, FallbackWeeklyResponse } from '@/lib/contracts/cohorts';
import { getJson, otlpJson, postLogs, uid, type TestRecord } from '../helpers/otlp';

const baseUrl = inject('baseUrl');
const token = inject('ingestToken');
const service = uid('fallback-weekly-svc');
const DAY = 86_400_000;
const now = Date.now();
const from = new Date(now - 16 * DAY).toISOString();
const to = new Date(now + 60_000).toISOString();
const [early, late, holder] = [uid('early'), uid('late'), uid('holder')] as const;
// Between the week of day −15 (it ends by day −8) and the week of day −1: two `converted` users
// register a passkey, `deleter` deletes theirs; `failer` holds one and fails a passkey sign-in in day
// −15's week. (Two converts, one deleter: judging both weeks' holders at the window's end changes the counts.)
const [converted, converted2, deleter, failer] = [uid('converted'), uid('converted'), uid('deleter'), uid('failer')] as const;
const [deleterCredential, failerCredential] = [uid('c'), uid('c')] as const;
const CHANGE_DAYS_AGO = 7.5;

const signIn = (userId: string, method: string, daysAgo: number): TestRecord => ({
  eventName: 'auth.sign_in',
  timeMs: now - daysAgo * DAY,
  attributes: { 'user.id': userId, 'auth.method': method, 'auth.result': 'success' },
});

const registration = (userId: string, credentialId: string, daysAgo: number): TestRecord => ({
  eventName: 'passkey.registration',
  timeMs: now - daysAgo * DAY,
  attributes: { 'user.id': userId, 'passkey.result': 'success', 'webauthn.credential.id': credentialId },
});

beforeAll(async () => {
  const records = [
    signIn(early, 'password', 15),
    signIn(late, 'password', 1),
    registration(holder, uid('c'), 30),
    signIn(holder, 'passkey', 1),
    ...[converted, converted2, deleter, failer].flatMap((user) => [signIn(user, 'password', 15), signIn(user, 'password', 1)]),
    registration(converted, uid('c'), CHANGE_DAYS_AGO),
    registration(converted2, uid('c'), CHANGE_DAYS_AGO),
    registration(deleter, deleterCredential, 30),
    {
      eventName: 'passkey.credential.lifecycle',
      timeMs: now - CHANGE_DAYS_AGO * DAY,
      attributes: { 'user.id': deleter, 'webauthn.credential.id': deleterCredential, 'passkey.credential.action': 'deleted_by_user' },
    },
    registration(failer, failerCredential, 30),
    {
      eventName: 'passkey.authentication',
      timeMs: now - 15 * DAY,
      attributes: { 'user.id': failer, 'webauthn.credential.id': failerCredential, 'passkey.result': 'failure' },
    },
  ];
  const response = await postLogs(baseUrl, JSON.stringify(otlpJson(records, { 'service.name': service })), {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
  });
  expect(response.status).toBe(200);
});

describe('/api/v1/cohorts/fallback/weekly', () => {
  it('tiles the window with UTC weeks, each the cohort of that week', async () => {
    const { status, body } = await getJson<FallbackWeeklyResponse>(
      baseUrl,
      `/api/v1/cohorts/fallback/weekly?from=${from}&to=${to}&service=${service}`,
    );
    expect(status).toBe(200);
    const weeks = body.weeks;
    expect(weeks.length).toBeGreaterThanOrEqual(3);
    expect(weeks[0]!.start).toBe(from);
    expect(weeks.at(-1)!.end).toBe(to);
    for (let i = 1; i < weeks.length; i++) {
      expect(weeks[i]!.start).toBe(weeks[i - 1]!.end);
      expect(new Date(weeks[i]!.start).getUTCDay()).toBe(1); // a Monday
    }
    expect(weeks.slice(1, -1).every((week) => !week.partial)).toBe(true);

    for (const week of weeks) {
      const { body: cohort } = await getJson<FallbackCohortResponse>(
        baseUrl,
        `/api/v1/cohorts/fallback?from=${week.start}&to=${week.end}&service=${service}`,
      );
      expect(week.activeUsers).toBe(cohort.activeUsers);
      expect(week.cohortSize).toBe(cohort.cohortSize);
      for (const row of cohort.reasons) expect(week.reasons[row.reason]).toBe(row.users);
    }

    const weekOf = (daysAgo: number) =>
      weeks.find((week) => new Date(week.start).getTime() <= now - daysAgo * DAY && now - daysAgo * DAY < new Date(week.end).getTime())!;
    // early and the converts hold no passkey yet; deleter still holds theirs; failer failed a passkey sign-in
    expect(weekOf(15)).toMatchObject({
      activeUsers: 5,
      reasons: { no_passkey: 3, passkey_failing: 1, cross_platform_gap: 0, chooses_fallback: 1 },
    });
    // late and deleter hold none now; the converts and failer hold one and chose the password; the holder signed in with a passkey
    expect(weekOf(1)).toMatchObject({
      activeUsers: 6,
      cohortSize: 5,
      cohortShare: 5 / 6,
      reasons: { no_passkey: 2, passkey_failing: 0, cross_platform_gap: 0, chooses_fallback: 3 },
    });
  });
});
