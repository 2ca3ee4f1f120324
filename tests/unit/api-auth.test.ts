/**
 * Who may call /api/v1 (lib/api/auth.ts), token entries (lib/security/tokens.ts) and where an open
 * install may be reached (lib/security/exposure.ts): every rule of DESIGN.md section 10 that needs
 * no running server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signSession } from '@/lib/auth/session';
import { authStore } from '@/lib/auth/store';
import { actorOf, authorize, type Access } from '@/lib/api/auth';
import { ApiError } from '@/lib/api/errors';
import { parseEnv } from '@/lib/env';
import { exposureProblem, isAllowedHost } from '@/lib/security/exposure';
import { BROWSER_EVENTS, findToken, parseTokens, TokenConfigError } from '@/lib/security/tokens';

function call(access: Access, config: Record<string, string>, headers: Record<string, string> = {}) {
  const request = new Request('http://127.0.0.1:3000/api/v1/stages/decisions', {
    method: access === 'admin' ? 'POST' : 'GET',
    headers: { host: '127.0.0.1:3000', ...(access === 'admin' ? { 'content-type': 'application/json' } : {}), ...headers },
  });
  try {
    return authorize(request, access, parseEnv(config));
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, code: error.code };
    throw error;
  }
}

describe('token entries', () => {
  it('reads name:secret and names a bare secret by its hash, never by the secret', () => {
    const [named, bare] = parseTokens(['ci-bot:s3cret-value', 'plain-secret-value'], 'read', 'API_TOKENS');
    expect(named).toEqual({ name: 'ci-bot', scope: 'read', secret: 's3cret-value' });
    expect(bare!.name).toMatch(/^token-[0-9a-f]{8}$/);
    expect(bare!.secret).toBe('plain-secret-value');
    expect(bare!.name).not.toContain('plain');
  });

  it('refuses an empty secret and a name used twice', () => {
    expect(() => parseTokens(['bot:'], 'read', 'API_TOKENS')).toThrow(TokenConfigError);
    expect(() => parseTokens(['bot:a-secret', 'bot:another'], 'admin', 'ADMIN_TOKENS')).toThrow(/'bot' is used by two entries/);
  });

  it('finds the token whose secret was presented, and nothing for a prefix or a longer secret', () => {
    const tokens = parseTokens(['a:first-secret', 'b:second-secret'], 'ingest', 'INGEST_TOKENS');
    expect(findToken('second-secret', tokens)?.name).toBe('b');
    expect(findToken('second-secre', tokens)).toBeUndefined();
    expect(findToken('second-secret!', tokens)).toBeUndefined();
    expect(findToken(undefined, tokens)).toBeUndefined();
  });

  it('lets a browser token send only the events a browser emits', () => {
    expect([...BROWSER_EVENTS].sort()).toEqual(['auth.fallback', 'passkey.client.capabilities', 'passkey.prompt', 'passkey.upsell']);
  });
});

describe('authorize', () => {
  const tokens = { API_TOKENS: 'dashboard:read-secret', ADMIN_TOKENS: 'release-bot:admin-secret' };

  it('an open install (no API tokens): reads and writes pass, as the local operator', () => {
    expect(call('read', {})).toEqual({ kind: 'open' });
    expect(call('admin', {})).toEqual({ kind: 'open' });
  });

  it('API_TOKENS: a read needs one of its tokens or an admin token', () => {
    expect(call('read', tokens)).toEqual({ status: 401, code: 'unauthorized' });
    expect(call('read', tokens, { authorization: 'Bearer nope' })).toEqual({ status: 401, code: 'unauthorized' });
    expect(call('read', tokens, { authorization: 'Bearer read-secret' })).toEqual({ kind: 'token', name: 'dashboard', scope: 'read' });
    expect(call('read', tokens, { authorization: 'Bearer admin-secret' })).toEqual({ kind: 'token', name: 'release-bot', scope: 'admin' });
  });

  it('a write needs an admin token: none 401, a read token 403', () => {
    expect(call('admin', tokens)).toEqual({ status: 401, code: 'unauthorized' });
    expect(call('admin', tokens, { authorization: 'Bearer read-secret' })).toEqual({ status: 403, code: 'forbidden' });
    expect(call('admin', tokens, { authorization: 'Bearer admin-secret' })).toEqual({ kind: 'token', name: 'release-bot', scope: 'admin' });
  });

  it('ADMIN_TOKENS set alone already protects every write, and leaves reads open', () => {
    const adminOnly = { ADMIN_TOKENS: 'release-bot:admin-secret' };
    expect(call('admin', adminOnly)).toEqual({ status: 401, code: 'unauthorized' });
    expect(call('admin', adminOnly, { authorization: 'Bearer admin-secret' })).toMatchObject({ kind: 'token', name: 'release-bot' });
    expect(call('read', adminOnly)).toEqual({ kind: 'open' });
  });

  it('API_TOKENS without ADMIN_TOKENS: nobody may write', () => {
    expect(call('admin', { API_TOKENS: 'dashboard:read-secret' }, { authorization: 'Bearer read-secret' })).toEqual({
      status: 403,
      code: 'forbidden',
    });
  });

  it('an open install answers loopback names only (a rebound DNS name gets 421)', () => {
    expect(call('read', {}, { host: 'localhost:3000' })).toEqual({ kind: 'open' });
    expect(call('read', {}, { host: '[::1]:3000' })).toEqual({ kind: 'open' });
    expect(call('read', {}, { host: 'attacker.example:3000' })).toEqual({ status: 421, code: 'host_not_allowed' });
    expect(call('read', {}, { host: '192.168.1.20:3000' })).toEqual({ status: 421, code: 'host_not_allowed' });
    // a token-guarded install may be reached under any name
    expect(call('read', tokens, { host: 'analytics.example.com', authorization: 'Bearer read-secret' })).toMatchObject({ kind: 'token' });
  });

  it('CSRF: a write without a bearer token must be JSON and same-origin', () => {
    expect(call('admin', {}, { 'content-type': 'text/plain' })).toEqual({ status: 415, code: 'unsupported_media_type' });
    expect(call('admin', {}, { 'content-type': 'application/x-www-form-urlencoded' })).toEqual({
      status: 415,
      code: 'unsupported_media_type',
    });
    expect(call('admin', {}, { origin: 'https://attacker.example' })).toEqual({ status: 403, code: 'cross_site_request' });
    expect(call('admin', {}, { origin: 'null' })).toEqual({ status: 403, code: 'cross_site_request' });
    expect(call('admin', {}, { 'sec-fetch-site': 'cross-site' })).toEqual({ status: 403, code: 'cross_site_request' });
    expect(call('admin', {}, { 'sec-fetch-site': 'same-site' })).toEqual({ status: 403, code: 'cross_site_request' });
    expect(call('admin', {}, { origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-origin' })).toEqual({ kind: 'open' });
    expect(call('admin', {}, { 'content-type': 'application/json; charset=utf-8' })).toEqual({ kind: 'open' });
    // a bearer-token write is not subject to it
    expect(
      call('admin', tokens, { authorization: 'Bearer admin-secret', 'content-type': 'text/plain', origin: 'https://ci.example' }),
    ).toMatchObject({
      kind: 'token',
    });
  });

  it('records the actor from who called, never from the body', () => {
    expect(actorOf({ kind: 'token', name: 'release-bot', scope: 'admin' }, 'Somebody Else')).toBe('token:release-bot');
    expect(actorOf({ kind: 'open' }, 'Priya (PM)')).toBe('local: Priya (PM) (unverified)');
    expect(actorOf({ kind: 'open' })).toBe('local');
  });
});

describe('exposure', () => {
  it('refuses a non-loopback HOST with nothing guarding the API, and says what to set', () => {
    const problem = exposureProblem(parseEnv({ HOST: '0.0.0.0' }));
    expect(problem).toContain('HOST=0.0.0.0');
    expect(problem).toContain('PUBLIC_URL');
    // tokens alone leave the pages open: sign-in is what makes a non-loopback address safe
    expect(exposureProblem(parseEnv({ HOST: '0.0.0.0', API_TOKENS: 'dashboard:read-secret' }))).toBeDefined();
    expect(exposureProblem(parseEnv({ HOST: '0.0.0.0', PUBLIC_URL: 'https://analytics.example.com' }))).toBeUndefined();
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.0.2'])
      expect(exposureProblem(parseEnv({ HOST: host })), host).toBeUndefined();
    expect(exposureProblem(parseEnv({ HOST: '192.168.1.20' }))).toBeDefined();
  });

  it('knows loopback Host headers, with or without a port', () => {
    for (const host of ['localhost', 'localhost:3000', '127.0.0.1:8080', '[::1]:3000', '[::1]', 'app.localhost:3000'])
      expect(isAllowedHost(host), host).toBe(true);
    for (const host of ['example.com', 'localhost.example.com', '127.0.0.1.nip.io', '[::2]:3000', '10.0.0.1'])
      expect(isAllowedHost(host), host).toBe(false);
  });
});

describe('authorize with passkey sign-in (PUBLIC_URL)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-auth-api-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const config = { PUBLIC_URL: 'http://localhost:3000', DATA_DIR: dataDir, API_TOKENS: 'dashboard:read-secret' };
  const store = authStore(dataDir);
  const join = (role: 'viewer' | 'admin', name: string) => {
    const { invitation } = store.createInvitation({ role, createdBy: 'test', ttlMs: 60_000 });
    const member = store.redeemInvitation(
      invitation.id,
      { name, userHandle: `h-${name}` },
      {
        id: `c-${name}`,
        publicKey: new Uint8Array([1]),
        counter: 0,
        transports: [],
        deviceType: 'singleDevice',
        backedUp: false,
      },
    );
    return `pa_session=${signSession(store.sessionKey(), store.createSession(member.id, 60_000))}`;
  };
  const viewer = join('viewer', 'Vi');
  const admin = join('admin', 'Ad');
  const signedIn = (access: Access, headers: Record<string, string>) => call(access, config, { host: 'localhost:3000', ...headers });

  it('every route needs a session or a token; the session names the member', () => {
    expect(signedIn('read', {})).toEqual({ status: 401, code: 'sign_in_required' });
    expect(signedIn('read', { authorization: 'Bearer wrong' })).toEqual({ status: 401, code: 'unauthorized' });
    expect(signedIn('read', { cookie: viewer })).toMatchObject({ kind: 'session', name: 'Vi', role: 'viewer' });
    expect(signedIn('read', { authorization: 'Bearer read-secret' })).toEqual({ kind: 'token', name: 'dashboard', scope: 'read' });
    expect(actorOf({ kind: 'session', memberId: 'm', name: 'Ad', role: 'admin', sessionId: 's' }, 'typed')).toBe('member:Ad');
  });

  it('a write needs an administrator, JSON and the same origin', () => {
    expect(signedIn('admin', { cookie: viewer })).toEqual({ status: 403, code: 'forbidden' });
    expect(signedIn('admin', { cookie: admin, origin: 'http://localhost:3000' })).toMatchObject({ kind: 'session', role: 'admin' });
    expect(signedIn('admin', { cookie: admin, origin: 'https://evil.example' })).toEqual({ status: 403, code: 'cross_site_request' });
    expect(signedIn('admin', { cookie: admin, 'content-type': 'text/plain' })).toEqual({ status: 415, code: 'unsupported_media_type' });
  });

  it('a session is honoured on PUBLIC_URL host only, and not once revoked or forged', () => {
    expect(call('read', config, { host: '127.0.0.1:3000', cookie: viewer })).toEqual({ status: 421, code: 'host_not_allowed' });
    const tampered = viewer.replace(/\.(\d+)\./, (_m, expires: string) => `.${Number(expires) + 1}.`);
    expect(signedIn('read', { cookie: tampered })).toEqual({ status: 401, code: 'sign_in_required' });
    const id = viewer.split('=')[1]!.split('.')[0]!;
    store.revokeSession(id);
    expect(signedIn('read', { cookie: viewer })).toEqual({ status: 401, code: 'sign_in_required' });
  });
});
