/**
 * Sign-in as the routes and pages see it: whether it is on (PUBLIC_URL for passkeys,
 * AUTH_PROXY_HEADER for an SSO proxy), its configuration, the store, and the person behind a
 * request. One place, so the API guard (lib/api/auth.ts), the page guard (proxy.ts) and the product
 * layout cannot disagree.
 */
import { dataDir, env, type Env } from '../env';
import { signInConfig, type SignInConfig } from './config';
import { proxyVerdict } from './proxy-identity';
import type { Role } from './records';
import { sessionOf, type SignedIn } from './session';
import { authStore, type AuthStore } from './store';

export interface SignIn {
  config: SignInConfig;
  store: AuthStore;
}

/** Passkey sign-in's configuration and store when PUBLIC_URL is set; undefined otherwise. */
export function signIn(e: Env = env()): SignIn | undefined {
  const config = signInConfig(e);
  return config ? { config, store: authStore(dataDir(e)) } : undefined;
}

/** Whether every page and route needs a person (or a token): PUBLIC_URL or AUTH_PROXY_HEADER set. */
export function signInConfigured(e: Env = env()): boolean {
  return Boolean(e.PUBLIC_URL || e.AUTH_PROXY_HEADER);
}

/** The signed-in member of a request (session cookie), when passkey sign-in is on. */
export function signedInOf(headers: Headers, e: Env = env()): SignedIn | undefined {
  const auth = signIn(e);
  return auth ? sessionOf(headers.get('cookie'), auth.config, auth.store) : undefined;
}

/** A person behind a request: a member with a passkey session, or someone the SSO proxy vouches for. */
export type Person =
  { via: 'passkey'; name: string; role: Role; memberId: string; sessionId: string } | { via: 'sso'; name: string; role: Role };

/**
 * Who a request comes from: the SSO proxy's identity first (a refused header is `{ refused }`, never
 * passed over), then a passkey session; undefined when neither.
 */
export function personOf(headers: Headers, e: Env = env()): Person | { refused: string } | undefined {
  const verdict = proxyVerdict(headers, e);
  if (verdict?.kind === 'refused') return { refused: verdict.message };
  if (verdict?.kind === 'identity') return { via: 'sso', name: verdict.name, role: verdict.role };
  const signedIn = signedInOf(headers, e);
  if (!signedIn) return undefined;
  const { member, session } = signedIn;
  return { via: 'passkey', name: member.name, role: member.role, memberId: member.id, sessionId: session.id };
}
