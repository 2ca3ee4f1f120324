/**
 * /api/v1/annotations against a private app (its own stage-decision log): a stage decision recorded
 * through the API, and releases — the first event of a service.version — computed by hand from a
 * small population: 1.0 first seen before the window (no release in it), 1.1 first seen in it,
 * 1.2 first seen in it in staging only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnnotationsResponse } from '@/lib/contracts/annotations';
import { isolatedApp } from '../helpers/isolated-app';
import { getJson, otlpJson, postLogs, uid, type TestRecord } from '../helpers/otlp';

const app = isolatedApp();
const DAY = 86_400_000;
const now = Date.now();
const from = new Date(now - 7 * DAY).toISOString();
const to = new Date(now + 60_000).toISOString();
const service = uid('annotated-svc');
const signIn = (timeMs: number): TestRecord => ({
  eventName: 'auth.sign_in',
  timeMs,
  attributes: { 'user.id': uid('u'), 'auth.method': 'password', 'auth.result': 'success' },
});

async function send(records: TestRecord[], version: string, environment: string) {
  const body = otlpJson(records, { 'service.name': service, 'service.version': version, 'deployment.environment.name': environment });
  const response = await postLogs(app.baseUrl, JSON.stringify(body), {
    'content-type': 'application/json',
    authorization: `Bearer ${app.token}`,
  });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  await app.start();
  await send([signIn(now - 10 * DAY), signIn(now - 2 * DAY)], '1.0', 'production');
  await send([signIn(now - 3 * DAY - 3_600_000), signIn(now - 3 * DAY)], '1.1', 'production');
  await send([signIn(now - DAY)], '1.2', 'staging');
  const decision = await fetch(`${app.baseUrl}/api/v1/stages/decisions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'hold', stage: 1, actor: 'Priya (PM)', reason: 'Android registration below target' }),
  });
  expect(decision.status).toBe(201);
}, 120_000);

afterAll(() => app.stop());

describe('/api/v1/annotations', () => {
  it('marks the stage decisions and the releases first seen in the window, oldest first', async () => {
    const { status, body } = await getJson<AnnotationsResponse>(app.baseUrl, `/api/v1/annotations?from=${from}&to=${to}&environment=*`);
    expect(status).toBe(200);
    expect(body.annotations.map((a) => [a.kind, a.label])).toEqual([
      ['release', `${service} 1.1`],
      ['release', `${service} 1.2`],
      ['stage_decision', 'hold 1→1'],
    ]);
    expect(body.annotations[0]!.at).toBe(new Date(now - 3 * DAY - 3_600_000).toISOString());
    // the actor as the open local install records it (lib/api/auth.ts)
    expect(body.annotations[2]!.detail).toMatch(/^hold 1→1 by .*Priya \(PM\).*: Android registration below target$/);
    expect(body.truncated).toBe(false);
  });

  it('finds releases only in the environments and services asked for', async () => {
    const production = await getJson<AnnotationsResponse>(app.baseUrl, `/api/v1/annotations?from=${from}&to=${to}&environment=production`);
    expect(production.body.annotations.filter((a) => a.kind === 'release').map((a) => a.label)).toEqual([`${service} 1.1`]);
    const other = await getJson<AnnotationsResponse>(app.baseUrl, `/api/v1/annotations?from=${from}&to=${to}&service=another`);
    expect(other.body.annotations.map((a) => a.kind)).toEqual(['stage_decision']);
  });

  it('keeps a release out of a window that starts after it was first seen', async () => {
    const later = new Date(now - 2.5 * DAY).toISOString();
    const { body } = await getJson<AnnotationsResponse>(app.baseUrl, `/api/v1/annotations?from=${later}&to=${to}&environment=production`);
    expect(body.annotations.filter((a) => a.kind === 'release')).toEqual([]);
  });
});
