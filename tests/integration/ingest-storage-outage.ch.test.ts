/**
 * Storage down, then up, on the real embedded ClickHouse: the ingest handler (the same one the
 * /v1/logs route serves) runs in this process behind a plain node:http adapter so the test can take
 * a table away (DETACH) and give it back (ATTACH) — a real storage failure, not a simulated one.
 * Expectations: 503 with Retry-After and nothing half-written while down; the client's identical
 * retry succeeds once storage is back, and nothing is counted twice.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestHandler } from '@/ingest/handler';
import { createStorage, type Storage } from '@/lib/clickhouse';
import { parseEnv } from '@/lib/env';
import { migrate } from '@/lib/migrate';
import { exportingLogger } from '../helpers/otel';
import { otlpJson, uid } from '../helpers/otlp';

const TOKEN = 'outage-test-token';
let store: Storage;
let server: http.Server;
let baseUrl: string;
let dataDir: string;
const statuses: number[] = [];

async function count(table: string, userId: string): Promise<number> {
  const column = table === 'quarantine' ? "JSONExtractString(raw_record, 'attributes', 'user.id')" : 'user_id';
  const result = await store.client.query({
    query: `SELECT count() AS n FROM ${table} WHERE ${column} = {userId:String}`,
    query_params: { userId },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ n: number }>();
  return Number(row?.n ?? 0);
}

async function setAttached(table: string, attached: boolean): Promise<void> {
  await store.client.command({ query: `${attached ? 'ATTACH' : 'DETACH'} TABLE ${table}` });
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-outage-'));
  store = createStorage(parseEnv({ DATA_DIR: dataDir }));
  await migrate(store);
  const handler = createIngestHandler({
    client: () => store.client,
    ready: async () => undefined,
    tokens: () => [{ name: 'test', scope: 'ingest', secret: TOKEN }],
    maxBodyBytes: 16 * 1024 * 1024,
    corsOrigins: [],
    log: () => undefined,
  });
  server = http.createServer(async (req, res) => {
    const request = new Request(`http://localhost${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : (Readable.toWeb(req) as ReadableStream<Uint8Array>),
      duplex: 'half',
    } as RequestInit);
    const response = await handler(request);
    statuses.push(response.status);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  server?.close();
  await store?.client.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const post = (body: string) =>
  fetch(`${baseUrl}/v1/logs`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` } });

describe('storage unavailable', () => {
  it('answers 503 with Retry-After and stores nothing; the identical retry succeeds once storage is back', async () => {
    const userId = uid();
    const body = JSON.stringify(otlpJson([1, 2, 3].map(() => ({ eventName: 'auth.password.removed', attributes: { 'user.id': userId } }))));
    await setAttached('ceremony_events', false);
    try {
      const down = await post(body);
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('5');
      expect(await down.json()).toMatchObject({ code: 14, message: expect.stringMatching(/Storage is unavailable/) });
    } finally {
      await setAttached('ceremony_events', true);
    }
    expect(await count('ceremony_events', userId)).toBe(0);
    const up = await post(body);
    expect(up.status).toBe(200);
    expect(await count('ceremony_events', userId)).toBe(3);
    expect(await count('credentials', userId)).toBe(0);
  });

  it('leaves nothing half-written: a failed quarantine write makes the whole request retryable without double counting', async () => {
    const userId = uid();
    const body = JSON.stringify(
      otlpJson([
        {
          eventName: 'passkey.registration',
          attributes: { 'user.id': userId, 'passkey.result': 'success', 'webauthn.credential.id': `${userId}-cred` },
        },
        { eventName: 'auth.sign_in', attributes: { 'user.id': userId, 'auth.method': 'passkey' } },
      ]),
    );
    await setAttached('quarantine', false);
    try {
      expect((await post(body)).status).toBe(503);
    } finally {
      await setAttached('quarantine', true);
    }
    const retry = await post(body);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ partialSuccess: { rejectedLogRecords: '1' } });
    expect(await count('ceremony_events', userId)).toBe(1);
    expect(await count('quarantine', userId)).toBe(1);
    const credentials = await store.client.query({
      query: 'SELECT count() AS n FROM (SELECT credential_id FROM credentials WHERE user_id = {userId:String} GROUP BY credential_id)',
      query_params: { userId },
      format: 'JSONEachRow',
    });
    expect((await credentials.json<{ n: number }>())[0]?.n).toBe(1);
  });

  it("the real OpenTelemetry exporter's own retry delivers once storage is back", async () => {
    const userId = uid();
    const otel = exportingLogger({ baseUrl, token: TOKEN, protocol: 'proto' });
    statuses.length = 0;
    await setAttached('ceremony_events', false);
    try {
      otel.emit('auth.password.removed', { 'user.id': userId });
      otel.emit('auth.password.removed', { 'user.id': userId });
      void otel.flush();
      const deadline = Date.now() + 10_000;
      while (!statuses.includes(503) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(statuses).toContain(503);
    } finally {
      await setAttached('ceremony_events', true);
    }
    // shutdown() waits for the exporter's pending retries (it honours Retry-After).
    await otel.shutdown();
    expect(statuses.at(-1)).toBe(200);
    expect(await count('ceremony_events', userId)).toBe(2);
  }, 30_000);
});

describe('quarantine', () => {
  it('keeps rejected records with their reason, but never the contact details that got them rejected', async () => {
    const marker = uid('marker');
    const response = await post(
      JSON.stringify(
        otlpJson([{ eventName: 'auth.password.removed', attributes: { 'user.id': `${marker}@example.com`, 'case.marker': marker } }]),
      ),
    );
    expect(response.status).toBe(200);
    const rows = await (
      await store.client.query({
        query:
          "SELECT reason, detail, raw_record FROM quarantine WHERE JSONExtractString(raw_record, 'attributes', 'case.marker') = {marker:String}",
        query_params: { marker },
        format: 'JSONEachRow',
      })
    ).json<{ reason: string; detail: string; raw_record: string }>();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      reason: 'invalid_attributes',
      detail: expect.stringMatching(/user\.id: looks like an e-mail address/),
    });
    expect(rows[0]!.raw_record).not.toContain('@example.com');
    expect(JSON.parse(rows[0]!.raw_record).attributes['user.id']).toBe('[redacted e-mail address]');
  });
});
