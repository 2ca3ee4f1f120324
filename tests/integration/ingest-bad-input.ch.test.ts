/**
 * The bad-input table of issue 2 against the running app: each input gets its exact status, and
 * nothing from it is stored (checked through /api/v1/events by the unique ids each case uses).
 */
import zlib from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';
import { ExportLogsServiceResponse, RpcStatus } from '@/ingest/otlp-proto';
import { getJson, otlpJson, otlpProtobuf, postLogs, uid, waitForEvents, type EventsBody } from '../helpers/otlp';

const baseUrl = inject('baseUrl');
const token = inject('ingestToken');
const JSON_HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
const PROTO_HEADERS = { 'content-type': 'application/x-protobuf', authorization: `Bearer ${token}` };

const removal = (userId: string) => ({ eventName: 'auth.password.removed', attributes: { 'user.id': userId } });

async function storedCount(userId: string): Promise<number> {
  const { status, body } = await getJson<EventsBody>(baseUrl, `/api/v1/events?userId=${encodeURIComponent(userId)}`);
  expect(status).toBe(200);
  return body.events.length;
}

/** Give a wrongly accepted record time to become visible before asserting it is absent. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('rejected requests store nothing', () => {
  it('wrong content type → 415', async () => {
    const userId = uid();
    const response = await postLogs(baseUrl, JSON.stringify(otlpJson([removal(userId)])), {
      ...JSON_HEADERS,
      'content-type': 'text/plain',
    });
    expect(response.status).toBe(415);
    expect(((await response.json()) as { message: string }).message).toMatch(/application\/x-protobuf or application\/json/);
    await settle();
    expect(await storedCount(userId)).toBe(0);
  });

  it('unsupported content encoding → 415', async () => {
    const userId = uid();
    const response = await postLogs(baseUrl, JSON.stringify(otlpJson([removal(userId)])), { ...JSON_HEADERS, 'content-encoding': 'br' });
    expect(response.status).toBe(415);
    expect(await storedCount(userId)).toBe(0);
  });

  it('truncated protobuf → 400 with a google.rpc.Status body', async () => {
    const userId = uid();
    const body = otlpProtobuf([removal(userId), removal(userId)]);
    const response = await postLogs(baseUrl, body.subarray(0, body.length - 5), PROTO_HEADERS);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/x-protobuf');
    const status = RpcStatus.decode(new Uint8Array(await response.arrayBuffer())) as unknown as { code: number; message: string };
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/not a valid ExportLogsServiceRequest/);
    await settle();
    expect(await storedCount(userId)).toBe(0);
  });

  it('random bytes as protobuf → 400', async () => {
    let seed = 11;
    const random = Buffer.alloc(2048).map(() => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed & 0xff;
    });
    const response = await postLogs(baseUrl, random, PROTO_HEADERS);
    expect(response.status).toBe(400);
  });

  it('malformed JSON → 400 with a JSON Status body', async () => {
    const response = await postLogs(baseUrl, '{"resourceLogs": [', JSON_HEADERS);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toMatchObject({ code: 3, message: expect.stringMatching(/not valid JSON/) });
  });

  it('JSON that is not an OTLP request → 400 naming the field', async () => {
    const response = await postLogs(
      baseUrl,
      JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ traceId: 'not-hex' }] }] }] }),
      JSON_HEADERS,
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/traceId/);
  });

  it('gzip bomb → 413, checked while inflating', async () => {
    // 64 MiB of zeros compress to ~64 KiB: far past the 16 MiB cap once inflated.
    const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const response = await postLogs(baseUrl, bomb, { ...JSON_HEADERS, 'content-encoding': 'gzip' });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { message: string }).message).toMatch(/16 MiB/);
  });

  it('invalid gzip → 400', async () => {
    const response = await postLogs(baseUrl, Buffer.from('definitely not gzip'), { ...JSON_HEADERS, 'content-encoding': 'gzip' });
    expect(response.status).toBe(400);
  });

  it('oversize body → 413', async () => {
    const userId = uid();
    const big = JSON.stringify(
      otlpJson([{ ...removal(userId), attributes: { 'user.id': userId, padding: 'x'.repeat(17 * 1024 * 1024) } }]),
    );
    const response = await postLogs(baseUrl, big, JSON_HEADERS);
    expect(response.status).toBe(413);
    await settle();
    expect(await storedCount(userId)).toBe(0);
  });

  it.each([
    ['missing', {}],
    ['wrong', { authorization: 'Bearer not-the-token' }],
    ['malformed', { authorization: token }],
  ])('%s token → 401', async (_name, auth) => {
    const userId = uid();
    const response = await postLogs(baseUrl, JSON.stringify(otlpJson([removal(userId)])), { 'content-type': 'application/json', ...auth });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    await settle();
    expect(await storedCount(userId)).toBe(0);
  });

  it.each(['GET', 'PUT', 'DELETE', 'PATCH'])('%s → 405 with Allow', async (method) => {
    const response = await postLogs(baseUrl, JSON.stringify(otlpJson([])), JSON_HEADERS, method);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toMatch(/POST/);
  });
});

describe('partial success: valid records are stored, the rest are counted and named', () => {
  it('mixed valid and invalid batch (JSON)', async () => {
    const userId = uid();
    const body = otlpJson([
      removal(userId),
      {
        eventName: 'passkey.prompt',
        attributes: { 'user.id': userId, 'webauthn.ceremony.type': 'nope', 'passkey.prompt.outcome': 'success' },
      },
      removal(userId),
      { eventName: 'no.such.event', attributes: { 'user.id': userId } },
    ]);
    const response = await postLogs(baseUrl, JSON.stringify(body), JSON_HEADERS);
    expect(response.status).toBe(200);
    const result = (await response.json()) as { partialSuccess: { rejectedLogRecords: string; errorMessage: string } };
    expect(result.partialSuccess.rejectedLogRecords).toBe('2');
    expect(result.partialSuccess.errorMessage).toMatch(/record 1 \(passkey\.prompt\): webauthn\.ceremony\.type/);
    expect(result.partialSuccess.errorMessage).toMatch(/record 3 \(no\.such\.event\): unknown event name/);
    const stored = await waitForEvents(baseUrl, `userId=${userId}`, 2);
    expect(stored.events).toHaveLength(2);
    await settle();
    expect(await storedCount(userId)).toBe(2);
  });

  it('mixed batch (protobuf) answers an ExportLogsServiceResponse with partial_success', async () => {
    const userId = uid();
    const response = await postLogs(
      baseUrl,
      otlpProtobuf([removal(userId), { eventName: 'auth.sign_in', attributes: { 'user.id': userId } }]),
      PROTO_HEADERS,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-protobuf');
    const decoded = ExportLogsServiceResponse.toObject(ExportLogsServiceResponse.decode(new Uint8Array(await response.arrayBuffer())), {
      longs: String,
    });
    expect(decoded).toMatchObject({ partialSuccess: { rejectedLogRecords: '1', errorMessage: expect.stringMatching(/auth\.method/) } });
    expect((await waitForEvents(baseUrl, `userId=${userId}`, 1)).events).toHaveLength(1);
  });

  it('an e-mail address or phone number as user id is rejected, the rest kept', async () => {
    const userId = uid();
    const email = `${userId}@example.com`;
    const response = await postLogs(
      baseUrl,
      JSON.stringify(otlpJson([removal(email), removal('+14155550123'), removal(userId)])),
      JSON_HEADERS,
    );
    const result = (await response.json()) as { partialSuccess: { rejectedLogRecords: string; errorMessage: string } };
    expect(response.status).toBe(200);
    expect(result.partialSuccess.rejectedLogRecords).toBe('2');
    expect(result.partialSuccess.errorMessage).toMatch(/user\.id: looks like an e-mail address/);
    expect(result.partialSuccess.errorMessage).toMatch(/user\.id: looks like a phone number/);
    expect((await waitForEvents(baseUrl, `userId=${userId}`, 1)).events).toHaveLength(1);
    await settle();
    expect(await storedCount(email)).toBe(0);
  });

  it('unknown event names only → 200 with every record rejected', async () => {
    const response = await postLogs(
      baseUrl,
      JSON.stringify(otlpJson([{ eventName: 'page.view', attributes: { 'user.id': uid() } }])),
      JSON_HEADERS,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ partialSuccess: { rejectedLogRecords: '1' } });
  });
});

describe('retries', () => {
  it('an identical request sent twice is stored once', async () => {
    const userId = uid();
    const body = otlpProtobuf([removal(userId), removal(userId), removal(userId)]);
    const first = await postLogs(baseUrl, body, PROTO_HEADERS);
    const second = await postLogs(baseUrl, body, PROTO_HEADERS);
    expect([first.status, second.status]).toEqual([200, 200]);
    await waitForEvents(baseUrl, `userId=${userId}`, 3);
    await settle();
    expect(await storedCount(userId)).toBe(3);
  });

  it('a gzip-compressed retry of the same records is stored once too', async () => {
    const userId = uid();
    const json = JSON.stringify(otlpJson([removal(userId)]));
    await postLogs(baseUrl, json, JSON_HEADERS);
    await postLogs(baseUrl, zlib.gzipSync(json), { ...JSON_HEADERS, 'content-encoding': 'gzip' });
    await waitForEvents(baseUrl, `userId=${userId}`, 1);
    await settle();
    expect(await storedCount(userId)).toBe(1);
  });
});

describe('CORS for browser exporters', () => {
  it('answers a preflight without CORS headers for an origin not configured', async () => {
    const response = await fetch(`${baseUrl}/v1/logs`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
