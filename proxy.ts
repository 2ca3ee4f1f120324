/**
 * Next.js Proxy (the successor of middleware), on every page request (full loads and the RSC
 * fetches of client navigations alike):
 * - the page guard: with sign-in on (PUBLIC_URL), every page but /login and /join needs a live
 *   session; without one the browser goes to /login and comes back after. With an SSO proxy
 *   (AUTH_PROXY_HEADER), its identity header lets a person in, and is refused (403) from any other
 *   address (lib/auth/sign-in.ts is the same check the API makes);
 * - the Content-Security-Policy of every page, with a nonce per request, and the other security
 *   headers (lib/security/headers.ts says why they are split between here and next.config.mjs).
 */
import { NextResponse, type NextRequest } from 'next/server';
import { personOf, signIn, signInConfigured } from '@/lib/auth/sign-in';
import { newNonce, pageContentSecurityPolicy, SECURITY_HEADERS } from '@/lib/security/headers';

/** Pages a person reaches before signing in. */
const PUBLIC_PAGES = ['/login', '/join'];

function guard(request: NextRequest): NextResponse | undefined {
  if (!signInConfigured()) return undefined;
  const person = personOf(request.headers);
  if (person && 'refused' in person)
    return new NextResponse(person.refused, { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const auth = signIn();
  const path = request.nextUrl.pathname;
  if (person || (auth && PUBLIC_PAGES.includes(path))) return undefined;
  if (!auth) {
    return new NextResponse('Sign in through the SSO proxy: this request reached the dashboard without its identity header.', {
      status: 401,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  const login = new URL('/login', auth.config.origin);
  if (path !== '/') login.searchParams.set('next', `${path}${request.nextUrl.search}`);
  else if (request.nextUrl.search) login.searchParams.set('next', `/${request.nextUrl.search}`);
  return NextResponse.redirect(login, 303);
}

export function proxy(request: NextRequest): NextResponse {
  const refused = guard(request);
  if (refused) {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) refused.headers.set(name, value);
    return refused;
  }
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
