/**
 * SSO through a reverse proxy, against the real server (scripts/serve.mjs): the identity header is
 * believed from AUTH_PROXY_ADDRESSES only. The "proxy" is this test connecting from 127.0.0.2 (any
 * 127/8 address reaches the server on 127.0.0.1); the same header from 127.0.0.1 is refused, also
 * when the request forges the peer stamp scripts/serve.mjs sets. The rules themselves are
 * unit-tested in tests/unit/proxy-identity.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedApp } from '../helpers/isolated-app';
import { requestFrom } from '../helpers/request-from';

const app = isolatedApp();
const PROXY = '127.0.0.2';

beforeAll(
  () => app.start({ AUTH_PROXY_HEADER: 'X-Forwarded-User', AUTH_PROXY_ADDRESSES: `${PROXY}/32`, AUTH_PROXY_ADMINS: 'ana@example.com' }),
  120_000,
);
afterAll(() => app.stop());

const send = (path: string, options: Parameters<typeof requestFrom>[1] = {}) => requestFrom(new URL(path, app.baseUrl).href, options);

const as = (name: string) => ({ 'x-forwarded-user': name });
const decision = JSON.stringify({ action: 'hold', stage: 1, reason: 'Android registration below target', actor: 'typed, ignored' });

describe('an SSO proxy on AUTH_PROXY_ADDRESSES', () => {
  it("lets the proxy's people read the API and the pages, shown by name and role", async () => {
    const api = await send('/api/v1/quarantine', { from: PROXY, headers: as('bo@example.com') });
    expect(api.status).toBe(200);
    const page = await send('/', { from: PROXY, headers: as('bo@example.com') });
    expect(page.status).toBe(200);
    expect(page.body).toContain('data-testid="signed-in-as"');
    expect(page.body).toContain('bo@example.com');
  });

  it('lets only AUTH_PROXY_ADMINS write, recording the actor as sso:<name>', async () => {
    const write = (name: string) =>
      send('/api/v1/stages/decisions', {
        from: PROXY,
        method: 'POST',
        headers: { ...as(name), 'content-type': 'application/json' },
        body: decision,
      });
    const viewer = await write('bo@example.com');
    expect(viewer.status).toBe(403);
    expect(JSON.parse(viewer.body).error.message).toContain('bo@example.com is a viewer');
    expect((await write('ana@example.com')).status).toBe(201);
    const log = await send('/api/v1/audit?action=stage_decision', { from: PROXY, headers: as('ana@example.com') });
    expect(log.status).toBe(200);
    expect(JSON.parse(log.body).entries.map((entry: { actor: string }) => entry.actor)).toEqual(['sso:ana@example.com']);
  });

  it('refuses the header from any other address, also with a forged peer stamp, and a request without it', async () => {
    const forged = { ...as('ana@example.com'), 'x-pa-peer-address': PROXY, 'x-pa-peer-stamp': 'guessed' };
    for (const headers of [as('ana@example.com'), forged]) {
      const api = await send('/api/v1/stages/decisions', { headers });
      expect(api.status).toBe(403);
      expect(JSON.parse(api.body).error).toMatchObject({
        code: 'identity_header_refused',
        message: expect.stringContaining('came from 127.0.0.1'),
      });
      const page = await send('/', { headers });
      expect(page.status).toBe(403);
      expect(page.body).toContain('AUTH_PROXY_ADDRESSES');
    }
    expect((await send('/api/v1/stages/decisions', { from: PROXY })).status).toBe(401);
    expect((await send('/', { from: PROXY })).status).toBe(401);
  });
});
