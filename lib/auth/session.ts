/**
 * Dashboard sessions (DESIGN.md section 10; docs/security.md "Sessions"). The cookie carries the
 * session id and its expiry, signed with HMAC-SHA256 under the store's key: a forged or altered
 * cookie is refused by arithmetic alone, before the store is asked. A well-signed cookie is then
 * looked up in the local SQLite store (an in-process read of microseconds, no network round trip),
 * so a revoked session, a removed member or a changed role stops at once.
 *
 * `HttpOnly` (no script reads it), `SameSite=Lax` (a link from an alert or a shared evaluation opens
 * signed in; a cross-site write is stopped by the CSRF rule, lib/api/auth.ts), `Secure` unless
 * PUBLIC_URL is http on a loopback name; with `Secure` the name carries the `__Host-` prefix, so no
 * subdomain can plant one.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SignInConfig } from './config';
import type { AuthStore, Member, SessionRow } from './store';

export function sessionCookieName(config: SignInConfig): string {
  return config.secureCookies ? '__Host-pa_session' : 'pa_session';
}

function mac(key: Buffer, payload: string): string {
  return createHmac('sha256', key).update(payload).digest('base64url');
}

/** `<session id>.<expiry ms>.<mac>` */
export function signSession(key: Buffer, session: Pick<SessionRow, 'id' | 'expiresAt'>): string {
  const payload = `${session.id}.${session.expiresAt}`;
  return `${payload}.${mac(key, payload)}`;
}

/** The session id of a cookie value whose signature holds and which has not expired; undefined otherwise. */
export function verifySessionValue(key: Buffer, value: string, now = Date.now()): string | undefined {
  const parts = value.split('.');
  if (parts.length !== 3) return undefined;
  const [id, expires, signature] = parts as [string, string, string];
  const expected = Buffer.from(mac(key, `${id}.${expires}`));
  const presented = Buffer.from(signature);
  if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) return undefined;
  if (!/^\d+$/.test(expires) || Number(expires) <= now) return undefined;
  return id;
}

/** One cookie's value from a Cookie header. */
export function cookieValue(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

export interface SignedIn {
  session: SessionRow;
  member: Member;
}

/** The signed-in member of a request's cookies, or undefined. */
export function sessionOf(cookieHeader: string | null, config: SignInConfig, store: AuthStore): SignedIn | undefined {
  const value = cookieValue(cookieHeader, sessionCookieName(config));
  if (!value) return undefined;
  const id = verifySessionValue(store.sessionKey(), value);
  return id ? store.liveSession(id) : undefined;
}

/** The Set-Cookie of a new session. */
export function sessionCookie(config: SignInConfig, store: AuthStore, session: SessionRow): string {
  const maxAge = Math.max(1, Math.floor((session.expiresAt - Date.now()) / 1000));
  return [
    `${sessionCookieName(config)}=${signSession(store.sessionKey(), session)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${maxAge}`,
    ...(config.secureCookies ? ['Secure'] : []),
  ].join('; ');
}

/** The Set-Cookie that removes the session cookie (sign-out). */
export function clearedSessionCookie(config: SignInConfig): string {
  return [
    `${sessionCookieName(config)}=`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    'Max-Age=0',
    ...(config.secureCookies ? ['Secure'] : []),
  ].join('; ');
}
