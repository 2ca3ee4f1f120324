/**
 * Dashboard sign-in (DESIGN.md section 10; docs/security.md "People"): on when PUBLIC_URL is set.
 * Its origin is the only one a passkey ceremony may come from and its host the RP ID; cookies are
 * `Secure` unless the origin is a loopback name served over http (a developer's machine).
 */
import type { Env } from '../env';

export interface SignInConfig {
  /** `https://analytics.example.com` — what the browser reports as the ceremony's origin. */
  readonly origin: string;
  /** The host name: the WebAuthn RP ID, and the only `Host` a signed-in request may name. */
  readonly rpId: string;
  /** `host[:port]` as a request's Host header names it. */
  readonly host: string;
  readonly secureCookies: boolean;
  readonly sessionMs: number;
  readonly invitationMs: number;
}

export function signInConfig(e: Env): SignInConfig | undefined {
  if (!e.PUBLIC_URL) return undefined;
  const url = new URL(e.PUBLIC_URL);
  return {
    origin: url.origin,
    rpId: url.hostname,
    host: url.host,
    secureCookies: url.protocol === 'https:',
    sessionMs: e.SESSION_HOURS * 3_600_000,
    invitationMs: e.INVITATION_HOURS * 3_600_000,
  };
}
