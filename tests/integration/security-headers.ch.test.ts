/**
 * Security headers on the running app (lib/security/headers.ts): every page gets a
 * Content-Security-Policy whose fresh nonce is on every script Next.js renders; every other
 * response — read API (200 and errors), health, OTLP ingest, static files — gets the API policy;
 * all of them get nosniff, Referrer-Policy and X-Frame-Options. Chromium loads every page without
 * a violation in tests/e2e/security-headers.spec.ts.
 */
import { describe, expect, inject, it } from 'vitest';
import { API_CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '@/lib/security/headers';
import { otlpJson, postLogs, uid } from '../helpers/otlp';

const baseUrl = inject('baseUrl');
const token = inject('ingestToken');

const PAGES = [
  '/',
  '/registration',
  '/signin',
  '/retention',
  '/journeys',
  '/failures',
  '/recovery',
  '/security',
  '/stages',
  '/lookup',
  '/quarantine',
];

function expectCommonHeaders(response: Response, what: string): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(response.headers.get(name), `${what}: ${name}`).toBe(value);
}

function nonceOf(policy: string | null): string {
  const nonce = /script-src [^;]*'nonce-([^']+)'/.exec(policy ?? '')?.[1];
  expect(nonce, `no script nonce in ${policy}`).toBeTruthy();
  return nonce!;
}

describe('pages', () => {
  it.each(PAGES)('%s: a nonce policy, and every script carries its nonce', async (page) => {
    const response = await fetch(`${baseUrl}${page}`);
    expect(response.status).toBe(200);
    expectCommonHeaders(response, page);
    const policy = response.headers.get('content-security-policy');
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toMatch(/https?:|unsafe-eval|script-src [^;]*unsafe-inline/);
    const nonce = nonceOf(policy);
    const scripts = (await response.text()).match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
  });

  it('a fresh nonce per request; one sent by the client is ignored', async () => {
    const forged = "default-src *; script-src 'nonce-forged'";
    const [a, b] = await Promise.all([
      fetch(`${baseUrl}/`, { headers: { 'content-security-policy': forged, 'x-nonce': 'forged' } }),
      fetch(`${baseUrl}/`),
    ]);
    const nonceA = nonceOf(a.headers.get('content-security-policy'));
    expect(nonceA).not.toBe(nonceOf(b.headers.get('content-security-policy')));
    expect(nonceA).not.toBe('forged');
    expect(await a.text()).not.toContain('forged');
    await b.body?.cancel();
  });

  it('a page that does not exist gets the page policy too', async () => {
    const response = await fetch(`${baseUrl}/no-such-page`);
    expect(response.status).toBe(404);
    expectCommonHeaders(response, '404');
    nonceOf(response.headers.get('content-security-policy'));
    await response.body?.cancel();
  });
});

describe('everything else', () => {
  it.each([
    ['/api/v1/health', 200],
    ['/api/v1/overview', 200],
    ['/api/v1/overview?deviceClass=toaster', 400],
    ['/api/v1/no-such-route', 404],
  ])('%s → %i with the API policy', async (path, status) => {
    const response = await fetch(`${baseUrl}${path}`);
    expect(response.status).toBe(status);
    expectCommonHeaders(response, path);
    expect(response.headers.get('content-security-policy')).toBe(API_CONTENT_SECURITY_POLICY);
    await response.body?.cancel();
  });

  it('OTLP ingest, accepted or refused', async () => {
    const body = JSON.stringify(otlpJson([{ eventName: 'auth.password.removed', attributes: { 'user.id': uid('hdr') } }]));
    for (const [authorization, status] of [
      [`Bearer ${token}`, 200],
      ['Bearer wrong', 401],
    ] as const) {
      const response = await postLogs(baseUrl, body, { 'content-type': 'application/json', authorization });
      expect(response.status).toBe(status);
      expectCommonHeaders(response, `/v1/logs ${status}`);
      expect(response.headers.get('content-security-policy')).toBe(API_CONTENT_SECURITY_POLICY);
      await response.body?.cancel();
    }
  });

  it("Next.js's static files", async () => {
    const html = await (await fetch(`${baseUrl}/`)).text();
    const src = /<script\b[^>]*\bsrc="(\/_next\/static\/[^"]+)"/.exec(html)?.[1];
    expect(src).toBeTruthy();
    const response = await fetch(`${baseUrl}${src}`);
    expect(response.status).toBe(200);
    expectCommonHeaders(response, src!);
    expect(response.headers.get('content-security-policy')).toBe(API_CONTENT_SECURITY_POLICY);
    await response.body?.cancel();
  });
});
