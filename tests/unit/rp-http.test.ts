import { describe, expect, it } from 'vitest';
import { parseCookies, Router, sessionCookie } from '@/examples/relying-party/http';
import { contentSecurityPolicy, inertJson } from '@/examples/relying-party/routes/pages';

describe('Router', () => {
  const handler = () => undefined;
  const router = new Router().on('GET', '/account', handler).on('DELETE', '/api/passkeys/:id', handler);

  it('matches paths and decodes params', () => {
    expect(router.match('GET', '/account')).toMatchObject({ params: {} });
    expect(router.match('DELETE', '/api/passkeys/abc%2D_1')).toMatchObject({ params: { id: 'abc-_1' } });
  });

  it('tells a wrong method from an unknown path, and refuses undecodable params', () => {
    expect(router.match('POST', '/account')).toBe('method_not_allowed');
    expect(router.match('GET', '/nope')).toBeNull();
    expect(router.match('DELETE', '/api/passkeys/%E0%A4%A')).toBeNull();
    expect(router.match('DELETE', '/api/passkeys/a/b')).toBeNull();
  });
});

describe('cookies', () => {
  it('parses, tolerating malformed values', () => {
    expect(parseCookies('a=1; rp_session=x%20y; bad=%E0%A4%A; =nameless')).toEqual({ a: '1', rp_session: 'x y' });
    expect(parseCookies(undefined)).toEqual({});
  });

  it('session cookies are HttpOnly and SameSite=Lax, Secure on https', () => {
    expect(sessionCookie('s', 'v', { secure: false })).toBe('s=v; Path=/; HttpOnly; SameSite=Lax');
    expect(sessionCookie('s', 'v', { secure: true, maxAgeSeconds: 0 })).toBe('s=v; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=0');
  });
});

describe('page configuration embedding', () => {
  it('cannot close the script element or open a comment', () => {
    const text = inertJson({ name: '</script><!-- & -->' });
    expect(text).not.toMatch(/[<>&]/);
    expect(JSON.parse(text)).toEqual({ name: '</script><!-- & -->' });
  });

  it('allows scripts from this origin only and connections to the product only when direct', () => {
    expect(contentSecurityPolicy([])).toContain("script-src 'self';");
    expect(contentSecurityPolicy([])).toContain("connect-src 'self';");
    expect(contentSecurityPolicy(['http://127.0.0.1:3000'])).toContain("connect-src 'self' http://127.0.0.1:3000;");
  });
});
