/**
 * GET /api/v1/cohorts/fallback/weekly on a small population (its own service): the weeks tile the
 * window (UTC weeks from Monday, cut at `from` and `to`), each week is exactly the cohort of
 * /api/v1/cohorts/fallback asked for that week, and the users land in the weeks they signed in.
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

const signIn = (userId: string, method: string, daysAgo: number): TestRecord => ({
  eventName: 'auth.sign_in',
  timeMs: now - daysAgo * DAY,
  attributes: { 'user.id': userId, 'auth.method': method, 'auth.result': 'success' },
});

beforeAll(async () => {
  const records = [
    signIn(early, 'password', 15),
    signIn(late, 'password', 1),
    {
      eventName: 'passkey.registration',
      timeMs: now - 30 * DAY,
      attributes: { 'user.id': holder, 'passkey.result': 'success', 'webauthn.credential.id': uid('c') },
    },
    signIn(holder, 'passkey', 1),
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
    expect(weekOf(15).reasons.no_passkey).toBe(1); // early
    expect(weekOf(1)).toMatchObject({ activeUsers: 2, cohortSize: 1, cohortShare: 0.5 }); // late (no passkey) and the holder (a passkey sign-in)
  });
});
