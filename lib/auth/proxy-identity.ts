/**
 * Optional SSO through a reverse proxy (DESIGN.md section 10; docs/security.md "SSO through a
 * reverse proxy"): AUTH_PROXY_HEADER names the request header in which the proxy says whom it
 * signed in. The header is believed only on a request whose TCP peer is one of
 * AUTH_PROXY_ADDRESSES; from any other peer it is refused, never ignored (a client sending it is
 * either misrouted around the proxy or forging it). The peer address comes from scripts/serve.mjs,
 * which stamps every request with it and with a secret made at start: under a server that does not
 * stamp (`next dev`), or with a stamp a client made up, there is no peer, so no identity.
 */
import { perEnv, type Env } from '../env';
import { addressList, peerAddress, type AddressList } from '../security/addresses';
import type { Role } from './records';

export interface ProxyAuth {
  header: string;
  trusted: AddressList;
  admins: ReadonlySet<string>;
}

export type ProxyVerdict =
  /** The request carries no identity header: sign-in by passkey or token, as without SSO. */
  | { kind: 'none' }
  | { kind: 'identity'; name: string; role: Role }
  /** The header is there but cannot be believed; `message` says why (shown to the person). */
  | { kind: 'refused'; message: string };

/** The SSO proxy's configuration, when AUTH_PROXY_HEADER is set (addresses validated by lib/env.ts). */
export const proxyAuth = perEnv((e): ProxyAuth | undefined =>
  e.AUTH_PROXY_HEADER
    ? { header: e.AUTH_PROXY_HEADER, trusted: addressList(e.AUTH_PROXY_ADDRESSES), admins: new Set(e.AUTH_PROXY_ADMINS) }
    : undefined,
);

const IDENTITY = /^[^\p{Cc}]{1,200}$/u;

/** What the SSO header of a request says, or undefined when SSO is off. */
export function proxyVerdict(headers: Headers, e: Env, stamp?: string): ProxyVerdict | undefined {
  const auth = proxyAuth(e);
  if (!auth) return undefined;
  const value = headers.get(auth.header);
  if (value === null) return { kind: 'none' };
  const peer = peerAddress(headers, stamp);
  if (!peer || !auth.trusted.has(peer)) {
    return {
      kind: 'refused',
      message: `The ${auth.header} header is believed only from the SSO proxy (AUTH_PROXY_ADDRESSES); this request came from ${peer ?? 'an unknown address (the server was not started with npm start)'}.`,
    };
  }
  const name = value.trim();
  if (!IDENTITY.test(name)) return { kind: 'refused', message: `The ${auth.header} header must name the person (1–200 characters).` };
  return { kind: 'identity', name, role: auth.admins.has(name) ? 'admin' : 'viewer' };
}
