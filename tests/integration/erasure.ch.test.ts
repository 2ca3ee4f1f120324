/**
 * Erasing one user (lib/privacy/erasure.ts) against the running app: every row of theirs goes —
 * their events, the anonymous events of their ceremonies and sign-in flow, their credential, their
 * quarantined record — the metrics no longer count their ceremonies, another user's data stays, the
 * report says what was removed, and a retried batch cannot bring their records back while a newer
 * record of theirs is stored.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { TestRecord } from '../helpers/otlp';
import { getJson, otlpJson, postLogs, uid, waitForEvents, type EventsBody } from '../helpers/otlp';

const baseUrl = inject('baseUrl');
const token = inject('ingestToken');
const ROOT = path.resolve(import.meta.dirname, '../..');

const service = uid('erasure-svc');
const [erased, kept, flow, credential, keptCredential] = [uid('erased'), uid('kept'), uid('flow'), uid('cred'), uid('cred')];
const [registration, authentication, cancelled, keptAuthentication] = [uid('cer'), uid('cer'), uid('cer'), uid('cer')];
const device = { 'device.class': 'desktop-linux', 'os.name': 'Linux', 'browser.name': 'Firefox' };
const at = Date.now() - 120_000;

function batch(): TestRecord[] {
  return [
    {
      eventName: 'auth.sign_in',
      timeMs: at,
      attributes: { 'user.id': erased, 'auth.method': 'password', 'auth.result': 'success', 'auth.flow.id': flow, ...device },
    },
    {
      eventName: 'passkey.registration',
      timeMs: at + 1000,
      attributes: {
        'user.id': erased,
        'passkey.result': 'success',
        'webauthn.credential.id': credential,
        'webauthn.ceremony.id': registration,
        ...device,
      },
    },
    // anonymous: linked to the user by its ceremony, and by its sign-in flow
    {
      eventName: 'passkey.prompt',
      timeMs: at + 2000,
      attributes: {
        'webauthn.ceremony.id': authentication,
        'webauthn.ceremony.type': 'authentication',
        'passkey.prompt.outcome': 'success',
        'webauthn.mediation': 'optional',
        ...device,
      },
    },
    {
      eventName: 'passkey.authentication',
      timeMs: at + 3000,
      attributes: {
        'user.id': erased,
        'passkey.result': 'failure',
        'webauthn.failure.reason': 'user_not_verified',
        'webauthn.ceremony.id': authentication,
        'webauthn.credential.id': credential,
        ...device,
      },
    },
    {
      eventName: 'passkey.prompt',
      timeMs: at + 4000,
      attributes: {
        'auth.flow.id': flow,
        'webauthn.ceremony.id': cancelled,
        'webauthn.ceremony.type': 'authentication',
        'passkey.prompt.outcome': 'error',
        'webauthn.client.failure_reason': 'user_cancelled_or_timed_out',
        'webauthn.mediation': 'optional',
        ...device,
      },
    },
    // refused by validation, kept in quarantine
    {
      eventName: 'passkey.registration',
      timeMs: at + 5000,
      attributes: { 'user.id': erased, 'passkey.result': 'not-a-result', ...device },
    },
    {
      eventName: 'passkey.authentication',
      timeMs: at + 6000,
      attributes: {
        'user.id': kept,
        'passkey.result': 'failure',
        'webauthn.failure.reason': 'user_not_verified',
        'webauthn.ceremony.id': keptAuthentication,
        'webauthn.credential.id': keptCredential,
        ...device,
      },
    },
  ];
}

async function send(records: TestRecord[]) {
  const response = await postLogs(baseUrl, JSON.stringify(otlpJson(records, { 'service.name': service })), {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { partialSuccess?: { rejectedLogRecords: string; errorMessage: string } };
}

async function failedCeremonies(): Promise<string[]> {
  const { status, body } = await getJson<{ ceremonyList: { items: Array<{ ceremonyId: string }> } }>(
    baseUrl,
    `/api/v1/failures?service=${service}`,
  );
  expect(status).toBe(200);
  return body.ceremonyList.items.map((item) => item.ceremonyId).sort();
}

/** The service's sign-in journeys, finished or in progress. */
async function signInFlows(): Promise<number> {
  const { status, body } = await getJson<{ flows: number; inProgress: number }>(
    baseUrl,
    `/api/v1/journeys?kind=sign_in&service=${service}`,
  );
  expect(status).toBe(200);
  return body.flows + body.inProgress;
}

const events = async (query: string) => (await getJson<EventsBody>(baseUrl, `/api/v1/events?${query}&limit=100`)).body;

describe('erasing one user', () => {
  it('removes their rows everywhere, reports it, and keeps a retried batch from bringing them back', async () => {
    expect(Number((await send(batch())).partialSuccess?.rejectedLogRecords)).toBe(1);
    await waitForEvents(baseUrl, `userId=${erased}`, 3, 5000, 1);
    expect(await failedCeremonies()).toEqual([authentication, cancelled, keptAuthentication].sort());
    expect(await signInFlows()).toBe(1);

    const response = await fetch(`${baseUrl}/api/v1/erasures`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: erased }),
    });
    const report = (await response.json()) as { userId: string; actor: string; removed: Record<string, number> };
    expect(response.status).toBe(200);
    // 5 events (3 of theirs, a prompt of their ceremony, a prompt of their flow); the ceremonies the
    // state pass had written by then (up to 3); their one credential; their quarantined record.
    expect(report).toMatchObject({ userId: erased, actor: 'local', removed: { events: 5, credentials: 1, quarantined: 1 } });
    expect(report.removed.ceremonies).toBeLessThanOrEqual(3);

    expect((await events(`userId=${erased}`)).events).toEqual([]);
    expect((await events(`userId=${erased}`)).credentials ?? []).toEqual([]);
    expect((await events(`ceremonyId=${authentication}`)).events).toEqual([]);
    expect((await events(`flowId=${flow}`)).events).toEqual([]);
    expect(await failedCeremonies()).toEqual([keptAuthentication]);
    // their sign-in flow is gone from the journeys too, whether the state pass had written it or not
    expect(await signInFlows()).toBe(0);
    expect((await events(`userId=${kept}`)).events.map((event) => event.eventName)).toEqual(['passkey.authentication']);

    // An exporter's retry of the same batch: every record naming the user is refused, not stored.
    const retried = await send(batch());
    expect(Number(retried.partialSuccess?.rejectedLogRecords)).toBe(4);
    expect(retried.partialSuccess?.errorMessage).toContain('its user was erased');
    // A record of theirs made after the erasure is new data, and is stored.
    await send([
      {
        eventName: 'auth.sign_in',
        timeMs: Date.now(),
        attributes: { 'user.id': erased, 'auth.method': 'password', 'auth.result': 'success' },
      },
    ]);
    const after = await waitForEvents(baseUrl, `userId=${erased}`, 1, 5000);
    expect(after.events.map((event) => event.eventName)).toEqual(['auth.sign_in']);
    expect(after.credentials ?? []).toEqual([]);

    const list = await getJson<{ erasures: Array<{ userId: string; removed: Record<string, number> | null }> }>(
      baseUrl,
      '/api/v1/erasures',
    );
    expect(list.body.erasures.find((entry) => entry.userId === erased)?.removed).toMatchObject({
      events: 5,
      credentials: 1,
      quarantined: 1,
    });
  }, 60_000);

  it('refuses an empty user id with a 400, and the CLI erases through the running app', async () => {
    const empty = await fetch(`${baseUrl}/api/v1/erasures`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"userId":"  "}',
    });
    expect(empty.status).toBe(400);
    const cli = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/erase.ts', kept, '--url', baseUrl], {
      cwd: ROOT,
      env: { ...process.env, ADMIN_TOKENS: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(new RegExp(`${kept} erased at .*: [1-9]\\d* events`));
    expect((await events(`userId=${kept}`)).events).toEqual([]);
  }, 60_000);
});
