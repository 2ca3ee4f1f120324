/**
 * The lock-out blast radius reads the environments asked for (issue 11: DEFAULT_ENVIRONMENT, or the
 * request's `environment`, applies to the stage gates too): holders whose passkey was registered in
 * another environment, and sign-ins from another environment, do not count. Two environments of this
 * test's own (so the shared test app's other data stays out):
 *   prod — safe (a passkey sign-in there), risky (password only there; its passkey sign-in was in
 *          staging, which does not count);
 *   staging — only stagingOnly, holding a passkey registered in staging, with no sign-in.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { BlastRadiusSummary } from '@/lib/contracts/stages';
import { getJson, otlpJson, postLogs, uid, type TestRecord } from '../helpers/otlp';

const baseUrl = inject('baseUrl');
const token = inject('ingestToken');
const prod = uid('prod');
const staging = uid('staging');
const now = Date.now();
const DAY = 86_400_000;
const [safe, risky, stagingOnly] = [uid('safe'), uid('risky'), uid('staging-only')] as const;

const registration = (userId: string, daysAgo: number): TestRecord => ({
  eventName: 'passkey.registration',
  timeMs: now - daysAgo * DAY,
  attributes: { 'user.id': userId, 'passkey.result': 'success', 'webauthn.credential.id': uid('cred') },
});
const signIn = (userId: string, method: string, daysAgo: number): TestRecord => ({
  eventName: 'auth.sign_in',
  timeMs: now - daysAgo * DAY,
  attributes: { 'user.id': userId, 'auth.method': method, 'auth.result': 'success' },
});

async function send(records: TestRecord[], environment: string) {
  const body = otlpJson(records, { 'service.name': 'blast-radius-test', 'deployment.environment.name': environment });
  const response = await postLogs(baseUrl, JSON.stringify(body), { 'content-type': 'application/json', authorization: `Bearer ${token}` });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  await send([registration(safe, 20), signIn(safe, 'passkey', 2), registration(risky, 20), signIn(risky, 'password', 3)], prod);
  await send([signIn(risky, 'passkey', 1), registration(stagingOnly, 10)], staging);
});

describe('/api/v1/stages/blast-radius with environment', () => {
  it('counts only the holders and sign-ins of the environments read, and says which', async () => {
    const { status, body } = await getJson<BlastRadiusSummary & { users: Array<{ userId: string }> }>(
      baseUrl,
      `/api/v1/stages/blast-radius?environment=${prod}`,
    );
    expect(status).toBe(200);
    expect(body.environments).toEqual([prod]);
    expect({ holders: body.holders, atRisk: body.atRisk }).toEqual({ holders: 2, atRisk: 1 });
    expect(body.users.map((user) => user.userId)).toEqual([risky]);
    expect(body.csvUrl).toContain(`environment=${prod}`);

    const other = await getJson<BlastRadiusSummary>(baseUrl, `/api/v1/stages/blast-radius?environment=${staging}`);
    expect({ holders: other.body.holders, atRisk: other.body.atRisk, environments: other.body.environments }).toEqual({
      holders: 1,
      atRisk: 1,
      environments: [staging],
    });
  });

  it('reads every environment with environment=* (or with no DEFAULT_ENVIRONMENT configured)', async () => {
    const { body } = await getJson<BlastRadiusSummary>(baseUrl, '/api/v1/stages/blast-radius?environment=*');
    expect(body.environments).toEqual([]);
    expect(body.holders).toBeGreaterThanOrEqual(3);
  });
});
