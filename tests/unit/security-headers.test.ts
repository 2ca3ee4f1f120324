/**
 * Security headers (lib/security/headers.ts): the page policy allows no remote origin and carries
 * the nonce; next.config.mjs (which cannot import TypeScript) sets the same headers everywhere and
 * the API policy on every non-page path. The running app is checked in
 * tests/integration/security-headers.ch.test.ts and, in Chromium, tests/e2e/security-headers.spec.ts.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_CONTENT_SECURITY_POLICY, newNonce, pageContentSecurityPolicy, SECURITY_HEADERS } from '@/lib/security/headers';

interface HeaderRule {
  source: string;
  headers: { key: string; value: string }[];
}

async function configRules(): Promise<HeaderRule[]> {
  const file = path.resolve(import.meta.dirname, '../../next.config.mjs');
  const config = ((await import(/* @vite-ignore */ file)) as { default: { headers: () => Promise<HeaderRule[]> } }).default;
  return config.headers();
}

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('the page policy', () => {
  const policy = directives(pageContentSecurityPolicy('abc123=='));

  it("scripts only with this request's nonce (and what they load), no eval, no inline", () => {
    expect(policy.get('script-src')).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(policy.get('style-src')).toEqual(["'self'", "'nonce-abc123=='"]);
  });

  it('no remote origin anywhere, no framing, no plugins, no base or form hijack', () => {
    for (const [name, values] of policy) {
      for (const value of values) expect(value, `${name} ${value}`).toMatch(/^('[a-z-]+'|'nonce-[^']+'|data:|blob:)$/);
    }
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'self'"]);
  });

  it("only next dev gets 'unsafe-eval' and inline styles", () => {
    expect(pageContentSecurityPolicy('n')).not.toMatch(/unsafe-eval|style-src [^;]*unsafe-inline/);
    expect(pageContentSecurityPolicy('n', true)).toMatch(/script-src [^;]*'unsafe-eval'/);
  });

  it('nonces are fresh, 128-bit base64 values Next.js can read back', () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});

describe('next.config.mjs headers()', () => {
  it('sets the common headers on every path', async () => {
    const rules = await configRules();
    const all = rules.find((rule) => rule.source === '/:path*');
    expect(Object.fromEntries(all!.headers.map((h) => [h.key, h.value]))).toEqual(SECURITY_HEADERS);
  });

  it('sets the API policy on every path the proxy skips', async () => {
    const rules = await configRules();
    for (const source of ['/api/:path*', '/v1/:path*', '/_next/:path*', '/favicon.ico']) {
      const rule = rules.find((candidate) => candidate.source === source);
      expect(rule?.headers, source).toEqual([{ key: 'Content-Security-Policy', value: API_CONTENT_SECURITY_POLICY }]);
    }
  });
});
