/**
 * Sign-in as the routes and pages see it: whether it is on (PUBLIC_URL), its configuration, the
 * store, and the signed-in member of a request. One place, so the API guard (lib/api/auth.ts),
 * the page guard (proxy.ts) and the product layout cannot disagree.
 */
import { dataDir, env, type Env } from '../env';
import { signInConfig, type SignInConfig } from './config';
import { sessionOf, type SignedIn } from './session';
import { authStore, type AuthStore } from './store';

export interface SignIn {
  config: SignInConfig;
  store: AuthStore;
}

/** Sign-in's configuration and store when PUBLIC_URL is set; undefined on an open install. */
export function signIn(e: Env = env()): SignIn | undefined {
  const config = signInConfig(e);
  return config ? { config, store: authStore(dataDir(e)) } : undefined;
}

/** The signed-in member of a request (session cookie), when sign-in is on. */
export function signedInOf(headers: Headers, e: Env = env()): SignedIn | undefined {
  const auth = signIn(e);
  return auth ? sessionOf(headers.get('cookie'), auth.config, auth.store) : undefined;
}
