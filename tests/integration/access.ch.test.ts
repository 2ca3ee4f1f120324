/**
 * Access rules against the running app (DESIGN.md section 10; the rules themselves are unit-tested
 * in tests/unit/api-auth.test.ts): a browser ingest token stores only browser events, a write from
 * another site or as a form is refused, a DNS-rebound host name is refused, and the start refuses a
 * non-loopback HOST with nothing guarding the API.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { otlpJson, postLogs, uid, waitForEvents } from '../helpers/otlp';

const baseUrl = inject('baseUrl');
const browserToken = inject('browserToken');
const ROOT = path.resolve(import.meta.dirname, '../..');

/** A GET with a Host header of our choosing (fetch does not let a caller set Host). */
function getWithHost(pathAndQuery: string, host: string): Promise<{ status: number; body: string }> {
  const url = new URL(pathAndQuery, baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { hostname: url.hostname, port: url.port, path: url.pathname + url.search, headers: { host } },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on('error', reject);
    request.end();
  });
}

describe('an ingest:browser token', () => {
  it('stores the browser events of a batch and rejects the others one by one in partial_success', async () => {
    const userId = uid('browser');
    const now = Date.now() - 1000;
    const response = await postLogs(
      baseUrl,
      JSON.stringify(
        otlpJson([
          {
            eventName: 'passkey.prompt',
            timeMs: now,
            attributes: {
              'user.id': userId,
              'webauthn.ceremony.type': 'authentication',
              'passkey.prompt.outcome': 'success',
              'webauthn.mediation': 'optional',
            },
          },
          {
            eventName: 'auth.sign_in',
            timeMs: now + 1,
            attributes: { 'user.id': userId, 'auth.method': 'passkey', 'auth.result': 'success' },
          },
          { eventName: 'auth.password.removed', timeMs: now + 2, attributes: { 'user.id': userId } },
        ]),
      ),
      { 'content-type': 'application/json', authorization: `Bearer ${browserToken}` },
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { partialSuccess: { rejectedLogRecords: string; errorMessage: string } };
    expect(body.partialSuccess.rejectedLogRecords).toBe('2');
    expect(body.partialSuccess.errorMessage).toContain(
      "'auth.sign_in' is not a browser event; the token 'web' (ingest:browser) may send only",
    );
    await waitForEvents(baseUrl, `userId=${userId}`, 1, 5000);
    // give a wrongly stored record time to become visible before asserting it is absent
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stored = await waitForEvents(baseUrl, `userId=${userId}`, 1, 5000);
    expect(stored.events.map((event) => event.eventName)).toEqual(['passkey.prompt']);
    // the sending token's name is stored with the event, and Lookup returns it with the resource
    expect(stored.events[0]).toMatchObject({ ingestToken: 'web', resourceAttributes: { 'service.name': 'test-rp' } });
  });
});

describe('writes and hosts', () => {
  const decision = JSON.stringify({ action: 'hold', stage: 1, reason: 'csrf probe' });

  it("refuses another site's write: a form body is 415, a cross-site Origin 403, and nothing is recorded", async () => {
    const before = ((await (await fetch(`${baseUrl}/api/v1/stages?trend=0`)).json()) as { decisions: unknown[] }).decisions.length;
    const form = await fetch(`${baseUrl}/api/v1/stages/decisions`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: decision,
    });
    expect([form.status, ((await form.json()) as { error: { code: string } }).error.code]).toEqual([415, 'unsupported_media_type']);
    const crossSite = await fetch(`${baseUrl}/api/v1/stages/decisions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://attacker.example' },
      body: decision,
    });
    expect([crossSite.status, ((await crossSite.json()) as { error: { code: string } }).error.code]).toEqual([403, 'cross_site_request']);
    const after = ((await (await fetch(`${baseUrl}/api/v1/stages?trend=0`)).json()) as { decisions: unknown[] }).decisions.length;
    expect(after).toBe(before);
  });

  it('answers a DNS-rebound host name with 421 and loopback names as usual', async () => {
    const rebound = await getWithHost('/api/v1/overview', 'attacker.example:80');
    expect(rebound.status).toBe(421);
    expect(JSON.parse(rebound.body)).toMatchObject({ error: { code: 'host_not_allowed' } });
    expect((await getWithHost('/api/v1/health', 'localhost')).status).toBe(200);
  });
});

describe('npm start', () => {
  it('refuses a non-loopback HOST without sign-in, saying what to set', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-exposure-'));
    try {
      const run = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/start.ts'], {
        cwd: ROOT,
        env: { ...process.env, HOST: '0.0.0.0', PORT: '1', DATA_DIR: dataDir, API_TOKENS: '', ADMIN_TOKENS: '' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('refusing to start');
      expect(run.stderr).toContain('PUBLIC_URL');
      // refused before anything was built or stored
      expect(fs.readdirSync(dataDir)).toEqual([]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
