/**
 * SSO through a reverse proxy (lib/auth/proxy-identity.ts, lib/api/auth.ts): the identity header is
 * believed only with scripts/serve.mjs's stamp of a peer in AUTH_PROXY_ADDRESSES, refused from any
 * other peer or with a made-up stamp; its configuration is checked at start.
 * tests/integration/sso-proxy.ch.test.ts does the same through the real server.
 */
import { describe, expect, it } from 'vitest';
import { actorOf, authorize, type Access } from '@/lib/api/auth';
import { ApiError } from '@/lib/api/errors';
import { proxyVerdict } from '@/lib/auth/proxy-identity';
import { PEER_ADDRESS_HEADER, PEER_STAMP_HEADER, peerAddress } from '@/lib/security/addresses';
import { ConfigError, parseEnv } from '@/lib/env';
import { exposureProblem } from '@/lib/security/exposure';

const STAMP = 'stamp-made-at-start';
const SSO = {
  AUTH_PROXY_HEADER: 'X-Forwarded-User',
  AUTH_PROXY_ADDRESSES: '10.0.0.5, 192.168.7.0/24, fd00::/8',
  AUTH_PROXY_ADMINS: 'ana@example.com',
};

function headersFrom(peer: string | undefined, user: string | undefined, stamp: string | null = STAMP, extra: Record<string, string> = {}) {
  const headers = new Headers(extra);
  if (peer !== undefined) headers.set(PEER_ADDRESS_HEADER, peer);
  if (stamp !== null) headers.set(PEER_STAMP_HEADER, stamp);
  if (user !== undefined) headers.set('x-forwarded-user', user);
  return headers;
}

describe('the SSO configuration', () => {
  it('needs the proxy addresses with the header, and takes IP addresses and CIDR ranges only', () => {
    expect(() => parseEnv({ AUTH_PROXY_HEADER: 'X-Forwarded-User' })).toThrow(/AUTH_PROXY_ADDRESSES: must list the SSO proxy addresses/);
    expect(() => parseEnv({ ...SSO, AUTH_PROXY_ADDRESSES: '10.0.0.5, proxy.internal' })).toThrow(
      /'proxy.internal' is not an IP address or CIDR range/,
    );
    expect(() => parseEnv({ ...SSO, AUTH_PROXY_ADDRESSES: '10.0.0.0/33' })).toThrow(ConfigError);
    expect(() => parseEnv({ ...SSO, AUTH_PROXY_HEADER: 'Cookie' })).toThrow(/AUTH_PROXY_HEADER: must be a header name/);
    expect(() => parseEnv({ ...SSO, AUTH_PROXY_HEADER: 'x-pa-peer-address' })).toThrow(/AUTH_PROXY_HEADER/);
    expect(parseEnv(SSO).AUTH_PROXY_HEADER).toBe('x-forwarded-user');
  });

  it('counts as sign-in: a non-loopback HOST may serve with it', () => {
    expect(exposureProblem(parseEnv({ HOST: '0.0.0.0' }))).toContain('AUTH_PROXY_HEADER');
    expect(exposureProblem(parseEnv({ ...SSO, HOST: '0.0.0.0' }))).toBeUndefined();
  });
});

describe('the identity header', () => {
  const e = parseEnv(SSO);

  it('is off without AUTH_PROXY_HEADER, and absent is no verdict against the request', () => {
    expect(proxyVerdict(headersFrom('10.0.0.5', 'ana@example.com'), parseEnv({}), STAMP)).toBeUndefined();
    expect(proxyVerdict(headersFrom('10.0.0.5', undefined), e, STAMP)).toEqual({ kind: 'none' });
  });

  it('makes a person of a request from a configured proxy address or range, an admin when AUTH_PROXY_ADMINS names them', () => {
    expect(proxyVerdict(headersFrom('10.0.0.5', 'ana@example.com'), e, STAMP)).toEqual({
      kind: 'identity',
      name: 'ana@example.com',
      role: 'admin',
    });
    expect(proxyVerdict(headersFrom('192.168.7.200', ' bo@example.com '), e, STAMP)).toEqual({
      kind: 'identity',
      name: 'bo@example.com',
      role: 'viewer',
    });
    expect(proxyVerdict(headersFrom('fd12::1', 'cy'), e, STAMP)).toMatchObject({ kind: 'identity', name: 'cy' });
  });

  it('is refused from any other peer, with a made-up or missing stamp, and when it names nobody', () => {
    for (const headers of [
      headersFrom('10.0.0.6', 'ana@example.com'),
      headersFrom('192.168.8.1', 'ana@example.com'),
      headersFrom('10.0.0.5', 'ana@example.com', 'guessed-stamp'),
      headersFrom('10.0.0.5', 'ana@example.com', null),
      headersFrom(undefined, 'ana@example.com'),
      headersFrom('10.0.0.5', '   '),
      headersFrom('10.0.0.5', 'x'.repeat(201)),
    ]) {
      expect(proxyVerdict(headers, e, STAMP)).toMatchObject({ kind: 'refused' });
    }
    expect(proxyVerdict(headersFrom('10.0.0.6', 'ana@example.com'), e, STAMP)).toMatchObject({
      message: expect.stringContaining('came from 10.0.0.6'),
    });
    // under a server that stamps nothing (`next dev`), no stamp can match
    expect(proxyVerdict(headersFrom('10.0.0.5', 'ana@example.com'), e, undefined)).toMatchObject({ kind: 'refused' });
    expect(peerAddress(headersFrom('10.0.0.5', undefined, ''), '')).toBeUndefined();
  });
});

describe('authorize() with an SSO proxy', () => {
  function call(access: Access, config: Record<string, string>, headers: Headers) {
    headers.set('host', 'analytics.example.com');
    if (access === 'admin') headers.set('content-type', 'application/json');
    const request = new Request('https://analytics.example.com/api/v1/stages/decisions', {
      method: access === 'admin' ? 'POST' : 'GET',
      headers,
    });
    process.env.PA_PEER_STAMP = STAMP;
    try {
      return authorize(request, access, parseEnv(config));
    } catch (error) {
      if (error instanceof ApiError) return { status: error.status, code: error.code };
      throw error;
    } finally {
      delete process.env.PA_PEER_STAMP;
    }
  }

  it('lets the proxy identity read, an admin write, and records the actor as sso:<name>', () => {
    const viewer = call('read', SSO, headersFrom('10.0.0.5', 'bo@example.com'));
    expect(viewer).toEqual({ kind: 'sso', name: 'bo@example.com', role: 'viewer' });
    expect(call('admin', SSO, headersFrom('10.0.0.5', 'bo@example.com'))).toEqual({ status: 403, code: 'forbidden' });
    const admin = call('admin', SSO, headersFrom('10.0.0.5', 'ana@example.com'));
    expect(admin).toEqual({ kind: 'sso', name: 'ana@example.com', role: 'admin' });
    expect(actorOf(admin as Parameters<typeof actorOf>[0], 'typed name')).toBe('sso:ana@example.com');
  });

  it('refuses the header from elsewhere (403), a request without it (401), and a cross-site write', () => {
    expect(call('read', SSO, headersFrom('10.0.0.9', 'ana@example.com'))).toEqual({ status: 403, code: 'identity_header_refused' });
    expect(call('read', SSO, headersFrom('10.0.0.5', undefined))).toEqual({ status: 401, code: 'unauthorized' });
    const crossSite = headersFrom('10.0.0.5', 'ana@example.com', STAMP, { 'sec-fetch-site': 'cross-site' });
    expect(call('admin', SSO, crossSite)).toEqual({ status: 403, code: 'cross_site_request' });
  });

  it('still takes a token without the header', () => {
    const config = { ...SSO, API_TOKENS: 'dashboard:read-secret' };
    expect(call('read', config, headersFrom(undefined, undefined, null, { authorization: 'Bearer read-secret' }))).toEqual({
      kind: 'token',
      name: 'dashboard',
      scope: 'read',
    });
  });
});
