/**
 * Per-token ingest rates against a private app (INGEST_TOKEN_RATE 2 records/s, a browser client
 * 1 record/s, bursts of 10 s: buckets of 20 and 10 records that refill slowly, so a loaded machine's
 * slow requests cannot refill them between two sends): a token over its rate gets 429 with
 * Retry-After and nothing of the refused batch is stored; a browser token is limited per client
 * address, one client never using up another's; the batch is accepted again once the bucket has
 * refilled for the Retry-After it was told.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedApp } from '../helpers/isolated-app';
import { otlpJson, postLogs, uid, waitForEvents, type TestRecord } from '../helpers/otlp';
import { requestFrom } from '../helpers/request-from';

const app = isolatedApp();
const BROWSER_TOKEN = `browser-${process.pid}`;

beforeAll(
  () =>
    app.start({
      INGEST_TOKEN_RATE: '2',
      INGEST_BROWSER_CLIENT_RATE: '1',
      INGEST_RATE_BURST_SECONDS: '10',
      INGEST_BROWSER_TOKENS: `web:${BROWSER_TOKEN}`,
      // this test is the reverse proxy in front of the app from 127.0.0.1; from 127.0.0.2 it is a client
      TRUSTED_PROXIES: '127.0.0.1',
    }),
  120_000,
);
afterAll(() => app.stop());

const signIns = (userId: string, count: number): TestRecord[] =>
  Array.from({ length: count }, (_, i) => ({
    eventName: 'auth.sign_in',
    timeMs: Date.now() - 1000 + i,
    attributes: { 'user.id': userId, 'auth.method': 'password', 'auth.result': 'success' },
  }));
const prompts = (userId: string, count: number): TestRecord[] =>
  Array.from({ length: count }, (_, i) => ({
    eventName: 'passkey.prompt',
    timeMs: Date.now() - 1000 + i,
    attributes: {
      'user.id': userId,
      'webauthn.ceremony.type': 'authentication',
      'passkey.prompt.outcome': 'success',
      'webauthn.mediation': 'optional',
    },
  }));

function send(records: TestRecord[], token: string, client?: string) {
  return postLogs(app.baseUrl, JSON.stringify(otlpJson(records)), {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
    ...(client ? { 'x-forwarded-for': client } : {}),
  });
}

describe('per-token ingest rates', () => {
  it('answers 429 with Retry-After past a token’s rate, stores nothing of that batch, and accepts again after the refill', async () => {
    const kept = uid('u');
    const refused = uid('u');
    expect((await send(signIns(kept, 15), app.token)).status).toBe(200);
    // 5 of the 20 left: 15 more need 10 refilled at 2 records/s, 5 s
    const response = await send(signIns(refused, 15), app.token);
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(5);
    const body = (await response.json()) as { message: string };
    expect(body.message).toMatch(/2 records\/s for token .* \(INGEST_TOKEN_RATE\).*Nothing from this request was stored/);

    expect((await waitForEvents(app.baseUrl, `userId=${kept}`, 15)).events).toHaveLength(15);
    expect((await waitForEvents(app.baseUrl, `userId=${refused}`, 1, 300)).events).toHaveLength(0);

    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 100));
    expect((await send(signIns(refused, 15), app.token)).status).toBe(200);
    expect((await waitForEvents(app.baseUrl, `userId=${refused}`, 15)).events).toHaveLength(15);
  });

  it('limits a browser token per client address', async () => {
    const user = uid('u');
    expect((await send(prompts(user, 5), BROWSER_TOKEN, '203.0.113.7')).status).toBe(200);
    // 5 of the client's 10 left: 9 more need 4 s at 1 record/s
    const refused = await send(prompts(user, 9), BROWSER_TOKEN, '203.0.113.7');
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { message: string }).message).toMatch(/per client address of a browser token/);
    expect((await send(prompts(user, 5), BROWSER_TOKEN, '198.51.100.2')).status).toBe(200);
  });

  it('takes the client address from the TCP peer when it is not a trusted proxy: a made-up X-Forwarded-For buys no second bucket', async () => {
    const user = uid('u');
    const fromClient = (count: number, claimed: string) =>
      requestFrom(`${app.baseUrl}/v1/logs`, {
        from: '127.0.0.2',
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${BROWSER_TOKEN}`, 'x-forwarded-for': claimed },
        body: JSON.stringify(otlpJson(prompts(user, count))),
      });
    expect((await fromClient(8, '192.0.2.10')).status).toBe(200);
    const refused = await fromClient(8, '192.0.2.11');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatch(/per client address of a browser token/);
  });
});
