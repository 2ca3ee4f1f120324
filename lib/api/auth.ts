/**
 * Who may call /api/v1 (DESIGN.md section 10; docs/security.md "Tokens", "People", "Writes and CSRF"):
 *
 * - With an SSO proxy (AUTH_PROXY_HEADER), its identity header makes a person of a request from
 *   AUTH_PROXY_ADDRESSES (an admin if AUTH_PROXY_ADMINS names them); the header from anywhere else is
 *   403. Without the header the request needs a token (or a passkey session, with PUBLIC_URL too).
 * - With sign-in on (PUBLIC_URL), every route needs a token or a signed-in member's session; a
 *   write needs an admin token or an administrator's session. A session is honoured only on
 *   PUBLIC_URL's host.
 * - Configured tokens are always enforced: API_TOKENS set → every read needs a `read` or `admin`
 *   token; API_TOKENS or ADMIN_TOKENS set → every write needs an `admin` token. No or an unknown
 *   token is 401, a `read` token on a write 403.
 * - With neither set the API is open — a local install, which the start refuses to bind beyond
 *   loopback (lib/security/exposure.ts) — and an open request must name a loopback host (or
 *   PUBLIC_URL's): a page on another site that rebinds its DNS name to 127.0.0.1 gets 421.
 * - A write not authenticated by a bearer token must be `application/json` and same-origin
 *   (`Origin`, `Sec-Fetch-Site`): another site's form or `fetch` cannot make one.
 * The caller comes back as a Principal; a write records its `actor`.
 */
import { env, perEnv, type Env } from '../env';
import type { SignInConfig } from '../auth/config';
import { sessionOf } from '../auth/session';
import { proxyVerdict } from '../auth/proxy-identity';
import { signIn } from '../auth/sign-in';
import type { Role } from '../auth/store';
import { isAllowedHost } from '../security/exposure';
import { bearerSecret, findToken, parseTokens, type Token } from '../security/tokens';
import { ApiError } from './errors';

export type Access = 'read' | 'admin';

export type Principal =
  /** Authenticated by a token of API_TOKENS (`read`) or ADMIN_TOKENS (`admin`). */
  | { kind: 'token'; name: string; scope: 'read' | 'admin' }
  /** A member signed in to the dashboard with a passkey (PUBLIC_URL). */
  | { kind: 'session'; memberId: string; name: string; role: Role; sessionId: string }
  /** Someone the SSO proxy signed in (AUTH_PROXY_HEADER from AUTH_PROXY_ADDRESSES). */
  | { kind: 'sso'; name: string; role: Role }
  /** No API token configured: a local install, open to whoever reaches its loopback address. */
  | { kind: 'open' };

/**
 * The actor recorded with what a caller wrote: `token:<name>`, or on an open install `local`, with
 * the name the person typed (unverified: anyone who reaches the loopback address is "local").
 */
export function actorOf(principal: Principal, typed?: string): string {
  if (principal.kind === 'token') return `token:${principal.name}`;
  if (principal.kind === 'session') return `member:${principal.name}`;
  if (principal.kind === 'sso') return `sso:${principal.name}`;
  return typed ? `local: ${typed} (unverified)` : 'local';
}

/** API_TOKENS and ADMIN_TOKENS as tokens (parsed once per configuration; throws on a malformed entry). */
export const apiTokens = perEnv((e): { read: Token[]; admin: Token[] } => ({
  read: parseTokens(e.API_TOKENS, 'read', 'API_TOKENS'),
  admin: parseTokens(e.ADMIN_TOKENS, 'admin', 'ADMIN_TOKENS'),
}));

export function authorize(request: Request, access: Access, e: Env = env()): Principal {
  const { read, admin } = apiTokens(e);
  // An admin secret wins over the same secret listed as read-only.
  const token = findToken(bearerSecret(request), [...admin, ...read]);
  if (token) {
    if (access === 'admin' && token.scope !== 'admin') {
      throw new ApiError(403, 'forbidden', `This action needs an admin token (one of ADMIN_TOKENS); '${token.name}' may only read.`);
    }
    return { kind: 'token', name: token.name, scope: token.scope as 'read' | 'admin' };
  }
  const verdict = proxyVerdict(request.headers, e);
  if (verdict?.kind === 'refused') throw new ApiError(403, 'identity_header_refused', verdict.message);
  if (verdict?.kind === 'identity') {
    if (access === 'admin' && verdict.role !== 'admin') {
      throw new ApiError(403, 'forbidden', `This action needs an administrator (AUTH_PROXY_ADMINS); ${verdict.name} is a viewer.`);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') assertSameOrigin(request);
    return { kind: 'sso', name: verdict.name, role: verdict.role };
  }
  const auth = signIn(e);
  if (auth) {
    const signedIn = sessionOf(request.headers.get('cookie'), auth.config, auth.store);
    if (!signedIn) {
      // `sign_in_required` tells the dashboard to send the person to /login; a wrong token stays `unauthorized`.
      const [code, message] = bearerSecret(request)
        ? ['unauthorized', 'The bearer token is not one of API_TOKENS or ADMIN_TOKENS.']
        : ['sign_in_required', `Sign in at ${auth.config.origin}/login, or send "Authorization: Bearer <token>".`];
      throw new ApiError(401, code, message, undefined, { 'www-authenticate': 'Bearer' });
    }
    assertPublicHost(request, auth.config);
    const { member, session } = signedIn;
    if (access === 'admin' && member.role !== 'admin') {
      throw new ApiError(403, 'forbidden', `This action needs an administrator; ${member.name} is a ${member.role}.`);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') assertSameOrigin(request);
    return { kind: 'session', memberId: member.id, name: member.name, role: member.role, sessionId: session.id };
  }
  if (verdict) {
    // SSO without passkey sign-in, and no identity header: the request went around the proxy.
    throw new ApiError(
      401,
      'unauthorized',
      bearerSecret(request)
        ? 'The bearer token is not one of API_TOKENS or ADMIN_TOKENS.'
        : 'Sign in through the SSO proxy (this request carries no identity header), or send "Authorization: Bearer <token>".',
      undefined,
      { 'www-authenticate': 'Bearer' },
    );
  }
  const guarded = access === 'read' ? read.length > 0 : read.length > 0 || admin.length > 0;
  if (guarded) {
    const needed = access === 'read' ? 'an API token (one of API_TOKENS or ADMIN_TOKENS)' : 'an admin token (one of ADMIN_TOKENS)';
    throw new ApiError(401, 'unauthorized', `This needs ${needed}: send "Authorization: Bearer <token>".`, undefined, {
      'www-authenticate': 'Bearer',
    });
  }
  const host = request.headers.get('host') ?? new URL(request.url).host;
  if (!isAllowedHost(host)) {
    throw new ApiError(
      421,
      'host_not_allowed',
      `This install serves loopback names only (localhost, 127.0.0.1, [::1]), not '${host.slice(0, 100)}'. To serve it under another name, configure API_TOKENS (docs/security.md).`,
    );
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') assertSameOrigin(request);
  return { kind: 'open' };
}

/** Sessions and the sign-in ceremonies are honoured under PUBLIC_URL's host only (421 otherwise). */
export function assertPublicHost(request: Request, config: SignInConfig): void {
  const host = request.headers.get('host') ?? new URL(request.url).host;
  if (host.toLowerCase() !== config.host.toLowerCase()) {
    throw new ApiError(
      421,
      'host_not_allowed',
      `Signed-in requests are served on ${config.host} (PUBLIC_URL) only, not '${host.slice(0, 100)}'.`,
    );
  }
}

/**
 * CSRF: a write without a bearer token carries the browser's ambient authority (network position
 * today, a session cookie with sign-in), so it must be JSON (a cross-site form cannot send that
 * without a preflight this API never grants) and same-origin when the browser says where it came
 * from. A request without `Origin` or `Sec-Fetch-Site` is not from a browser page (curl, scripts).
 */
export function assertSameOrigin(request: Request): void {
  const media = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (media !== 'application/json') {
    throw new ApiError(415, 'unsupported_media_type', 'A write needs "Content-Type: application/json".');
  }
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin' && site !== 'none') {
    throw new ApiError(403, 'cross_site_request', `Writes from another site are refused (Sec-Fetch-Site: ${site.slice(0, 40)}).`);
  }
  const origin = request.headers.get('origin');
  if (origin !== null) {
    const host = request.headers.get('host') ?? new URL(request.url).host;
    let originHost: string | undefined;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = undefined;
    }
    if (originHost !== host)
      throw new ApiError(403, 'cross_site_request', `Writes from another origin are refused (Origin: ${origin.slice(0, 100)}).`);
  }
}
