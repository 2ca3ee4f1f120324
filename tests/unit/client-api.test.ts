/**
 * The dashboard's one fetch helper (lib/client/api.ts) against a real local HTTP server: responses
 * validated by the contract, the API's error shape turned into ApiRequestError, writes as JSON POSTs,
 * and which errors are worth a retry; and when the page asks again for the current stage-gate evaluation.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiRequestError, fetchApi, postApi, shouldRetry } from '@/lib/client/api';
import { CATCH_UP_MS, currentStageQuery, isEarlierMinute, stagesQuery } from '@/lib/client/stages';

const zAnswer = z.object({ value: z.number() });
let server: http.Server;
let received: { method?: string; url?: string; contentType?: string; body: string }[] = [];
const realFetch = globalThis.fetch;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ method: request.method, url: request.url, contentType: request.headers['content-type'], body });
      const reply = (status: number, payload: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(payload));
      };
      if (request.url?.startsWith('/ok')) reply(200, { value: 7 });
      else if (request.url?.startsWith('/wrong-shape')) reply(200, { value: 'seven' });
      else if (request.url?.startsWith('/bad-param'))
        reply(400, { error: { code: 'invalid_parameter', message: '`from` must be an ISO-8601 date.', parameter: 'from' } });
      else if (request.url?.startsWith('/write')) reply(201, { value: JSON.parse(body).n + 1 });
      else {
        response.writeHead(502);
        response.end('<html>bad gateway</html>');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  globalThis.fetch = (input, init) => realFetch(typeof input === 'string' ? base + input : input, init);
});

afterAll(async () => {
  globalThis.fetch = realFetch;
  await new Promise((resolve) => server.close(resolve));
});

describe('fetchApi', () => {
  it('builds the query string (lists comma-joined, empty values dropped) and returns the validated body', async () => {
    received = [];
    await expect(fetchApi('/ok', { from: '2026-01-01', deviceClass: ['a', 'b'], os: [], riskTier: null }, zAnswer)).resolves.toEqual({
      value: 7,
    });
    expect(received[0]?.url).toBe('/ok?from=2026-01-01&deviceClass=a%2Cb');
  });

  it("turns the API's error shape into an ApiRequestError with the server's message and parameter", async () => {
    const error = await fetchApi('/bad-param', {}, zAnswer).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_parameter', parameter: 'from', message: '`from` must be an ISO-8601 date.' });
  });

  it('names a response that breaks the contract, and a non-JSON error by its status', async () => {
    await expect(fetchApi('/wrong-shape', {}, zAnswer)).rejects.toMatchObject({ code: 'contract_mismatch', message: /at value/ });
    await expect(fetchApi('/elsewhere', {}, zAnswer)).rejects.toMatchObject({ status: 502, code: 'http_error' });
  });
});

describe('postApi', () => {
  it('sends the body as JSON and validates the answer like a read', async () => {
    received = [];
    await expect(postApi('/write', { n: 41 }, zAnswer)).resolves.toEqual({ value: 42 });
    expect(received[0]).toMatchObject({ method: 'POST', url: '/write', contentType: 'application/json', body: '{"n":41}' });
  });
});

describe('shouldRetry', () => {
  it('retries once on network errors and server errors, never on a 4xx or an invalid configuration', () => {
    expect(shouldRetry(0, new ApiRequestError(0, 'network_error', 'x'))).toBe(true);
    expect(shouldRetry(0, new ApiRequestError(503, 'storage_unavailable', 'x'))).toBe(true);
    expect(shouldRetry(1, new ApiRequestError(503, 'storage_unavailable', 'x'))).toBe(false);
    expect(shouldRetry(0, new ApiRequestError(503, 'config_invalid', 'x'))).toBe(false);
    expect(shouldRetry(0, new ApiRequestError(400, 'invalid_parameter', 'x'))).toBe(false);
  });

  it('waits out a full evaluation queue (503 busy) with up to four retries', () => {
    expect(shouldRetry(3, new ApiRequestError(503, 'busy', 'x'))).toBe(true);
    expect(shouldRetry(4, new ApiRequestError(503, 'busy', 'x'))).toBe(false);
  });
});

describe('the current stage-gate evaluation on the page', () => {
  const refetch = (options: ReturnType<typeof stagesQuery>, evaluatedAt: string | undefined) =>
    (options as { refetchInterval?: (query: { state: { data?: { evaluatedAt: string } } }) => number | false }).refetchInterval?.({
      state: { data: evaluatedAt ? { evaluatedAt } : undefined },
    });

  it("asks again shortly when it was handed an earlier minute's evaluation, not otherwise, and never for a past one", () => {
    const thisMinute = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
    const earlier = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000).toISOString();
    expect(refetch(currentStageQuery(), earlier)).toBe(CATCH_UP_MS);
    expect(refetch(stagesQuery(), earlier)).toBe(CATCH_UP_MS);
    expect(refetch(currentStageQuery(), thisMinute)).toBe(false);
    expect(refetch(currentStageQuery(), undefined)).toBe(false);
    expect(refetch(stagesQuery({ to: earlier }), earlier)).toBeUndefined();
    expect(isEarlierMinute('2026-12-06T12:00:00.000Z', Date.parse('2026-12-06T12:00:59.999Z'))).toBe(false);
    expect(isEarlierMinute('2026-12-06T12:00:00.000Z', Date.parse('2026-12-06T12:01:00.000Z'))).toBe(true);
  });
});
