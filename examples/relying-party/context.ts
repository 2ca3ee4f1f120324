/**
 * What every route of the reference RP shares: configuration, the in-memory store, the challenge
 * store, the server telemetry and the session helpers. Server events always carry the request's
 * User-Agent (so the product derives the device class) and the telemetry session id.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventContext, ServerTelemetry, Surface } from '@passkey-rollout/telemetry/server';
import type { ChallengeStore } from './challenges';
import type { RelyingPartyConfig } from './config';
import { HttpError, parseCookies, sessionCookie, userAgentOf } from './http';
import type { Account, RelyingPartyStore, Session } from './store';

export const SESSION_COOKIE = 'rp_session';
const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;
/** After "Not now", the upsell stays away this long. */
export const UPSELL_SNOOZE_MS = 30 * 24 * 60 * 60_000;
export const ROLLOUT_FLAG_KEY = 'passkey-rollout';

export interface RelyingPartyContext {
  config: RelyingPartyConfig;
  /** The page origin (known once the server listens). */
  origin(): string;
  store: RelyingPartyStore;
  challenges: ChallengeStore;
  telemetry: ServerTelemetry;
}

export function rolloutVariant(config: RelyingPartyConfig): string {
  return `stage-${config.stage}`;
}

export function currentSession(rp: RelyingPartyContext, req: IncomingMessage): { session: Session; account: Account } | undefined {
  const session = rp.store.session(parseCookies(req.headers.cookie)[SESSION_COOKIE]);
  const account = session ? rp.store.account(session.userId) : undefined;
  return session && account ? { session, account } : undefined;
}

export function requireSession(rp: RelyingPartyContext, req: IncomingMessage): { session: Session; account: Account } {
  const current = currentSession(rp, req);
  if (!current) throw new HttpError(401, 'Sign in first');
  return current;
}

/** Creates the session, sets its cookie and records the rollout exposure of the signed-in user. */
export function startSession(rp: RelyingPartyContext, req: IncomingMessage, res: ServerResponse, account: Account): Session {
  const session = rp.store.createSession(account.id);
  res.setHeader(
    'set-cookie',
    sessionCookie(SESSION_COOKIE, session.id, { secure: rp.origin().startsWith('https:'), maxAgeSeconds: SESSION_MAX_AGE_SECONDS }),
  );
  rp.telemetry.featureFlag(
    { key: ROLLOUT_FLAG_KEY, variant: rolloutVariant(rp.config) },
    eventContext(req, { userId: account.id, sessionId: session.telemetrySessionId }),
  );
  return session;
}

export function endSession(rp: RelyingPartyContext, req: IncomingMessage, res: ServerResponse): void {
  const id = parseCookies(req.headers.cookie)[SESSION_COOKIE];
  if (id) rp.store.deleteSession(id);
  res.setHeader('set-cookie', sessionCookie(SESSION_COOKIE, '', { secure: rp.origin().startsWith('https:'), maxAgeSeconds: 0 }));
}

/** The per-request telemetry context: the request's User-Agent plus what the route knows. */
export function eventContext(
  req: IncomingMessage,
  facts: { userId?: string; sessionId?: string; flowId?: string; ceremonyId?: string; surface?: Surface },
): EventContext {
  return { userAgent: userAgentOf(req), ...facts };
}

/** Where to go after a password sign-in: the passkey upsell (stage ≥ 2, no passkey, not snoozed) or the account. */
export function nextAfterSignIn(rp: RelyingPartyContext, account: Account, now = Date.now()): '/welcome' | '/account' {
  return upsellDue(rp, account, now) ? '/welcome' : '/account';
}

export function upsellDue(rp: RelyingPartyContext, account: Account, now = Date.now()): boolean {
  if (rp.config.stage < 2) return false;
  if (rp.store.passkeysOf(account.id).length > 0) return false;
  return account.upsellDismissedAt === undefined || now - account.upsellDismissedAt > UPSELL_SNOOZE_MS;
}
