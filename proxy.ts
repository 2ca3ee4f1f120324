/**
 * Next.js Proxy (the successor of middleware): the Content-Security-Policy of every page, with a
 * nonce per request, and the other security headers (lib/security/headers.ts says why they are
 * split between here and next.config.mjs).
 */
import { NextResponse, type NextRequest } from 'next/server';
import { newNonce, pageContentSecurityPolicy, SECURITY_HEADERS } from '@/lib/security/headers';

export function proxy(request: NextRequest): NextResponse {
  const nonce = newNonce();
  const policy = pageContentSecurityPolicy(nonce, process.env.NODE_ENV === 'development');
  // Next.js takes the nonce for its scripts from the request's policy; a client-sent one is replaced.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('content-security-policy', policy);
  requestHeaders.set('x-nonce', nonce);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('content-security-policy', policy);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Pages only: never /api, /v1/logs (their bodies must not be buffered) or Next's static files.
  matcher: ['/((?!api/|v1/|_next/|favicon\\.ico).*)'],
};
