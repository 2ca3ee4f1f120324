/**
 * /api/v1/quarantine against the running app: records two services sent that ingest rejected, by
 * reason and service, with their samples as stored — a contact detail in user.id redacted.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { QuarantineResponse } from '@/lib/contracts/quarantine';
import { getJson, otlpJson, postLogs, uid, type TestRecord } from '../helpers/otlp';

const baseUrl = inject('baseUrl');
const token = inject('ingestToken');
const [checkout, web] = [uid('q-checkout'), uid('q-web')];
const query = `service=${checkout},${web}`;

async function send(records: TestRecord[], service: string, rejected: number) {
  const response = await postLogs(baseUrl, JSON.stringify(otlpJson(records, { 'service.name': service })), {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
  });
  expect(response.status).toBe(200);
  expect(Number(((await response.json()) as { partialSuccess?: { rejectedLogRecords: string } }).partialSuccess?.rejectedLogRecords)).toBe(
    rejected,
  );
}

beforeAll(async () => {
  const now = Date.now() - 60_000;
  await send(
    [
      { eventName: 'passkey.registration', timeMs: now, attributes: { 'user.id': 'ana@example.com', 'passkey.result': 'success' } },
      { eventName: 'passkey.registration', timeMs: now + 1, attributes: { 'user.id': uid('u'), 'passkey.result': 'maybe' } },
      { eventName: 'auth.password.removed', timeMs: now + 2, attributes: { 'user.id': uid('u') } },
    ],
    checkout,
    2,
  );
  await send([{ eventName: 'passkey.teleport', timeMs: now + 3, attributes: { 'user.id': uid('u') } }], web, 1);
});

describe('/api/v1/quarantine', () => {
  it('counts the rejected records by reason and service, and returns them as stored, redacted', async () => {
    const { status, body } = await getJson<QuarantineResponse>(baseUrl, `/api/v1/quarantine?${query}`);
    expect(status).toBe(200);
    expect(body.records).toBe(3);
    expect(body.byReason).toEqual([
      { reason: 'invalid_attributes', records: 2, services: 1 },
      { reason: 'unknown_event', records: 1, services: 1 },
    ]);
    expect(body.byService).toEqual(
      [
        { service: checkout, records: 2, reasons: ['invalid_attributes'] },
        { service: web, records: 1, reasons: ['unknown_event'] },
      ].sort((a, b) => b.records - a.records),
    );
    expect(body.series.reduce((sum, day) => sum + day.records, 0)).toBe(3);
    expect(body.samples.map((sample) => sample.eventName).sort()).toEqual([
      'passkey.registration',
      'passkey.registration',
      'passkey.teleport',
    ]);
    const text = JSON.stringify(body.samples);
    expect(text).not.toContain('ana@example.com');
    const redacted = body.samples.find((sample) => JSON.stringify(sample.record).includes('redacted'));
    expect(redacted?.record).toMatchObject({
      eventName: 'passkey.registration',
      attributes: { 'user.id': expect.stringContaining('redacted') },
    });
    expect(redacted?.detail).toBeTruthy();
  });

  it('narrows to a reason, and refuses bad parameters with a 400', async () => {
    const { body } = await getJson<QuarantineResponse>(baseUrl, `/api/v1/quarantine?${query}&reason=unknown_event&samples=0`);
    expect([body.records, body.samples]).toEqual([1, []]);
    const bad = await getJson<{ error: { parameter: string } }>(baseUrl, '/api/v1/quarantine?samples=1000');
    expect([bad.status, bad.body.error.parameter]).toEqual([400, 'samples']);
  });
});
