/**
 * One simulated user's journey through the rollout, as the SDK calls a relying party would make.
 *
 * Sessions arrive as a Poisson process over the user's active period; each session is a sign-in
 * flow on one of the user's devices (passkey — modal, autofill or a phone over hybrid — or the
 * fallback method), then what the stage of the rollout offers: the settings page (stage 1+), the
 * post-sign-in upsell (stage 2+), passkey-first sign-in (stage 3+), password removal (stage 4).
 * Failures, cancels, deleted credentials, lost devices, recoveries and support tickets follow
 * from what happened to the user, so every metric on the dashboard has a cause a reader can find.
 *
 * This module runs the sessions; each step of a session has its own module (./sign-in.ts,
 * ./account-settings.ts, ./ceremonies.ts, ./recovery.ts, ./support-tickets.ts) over the journey's
 * state (./journey.ts).
 *
 * Pure: a (seed, user index, window) always yields the same events.
 */
import type { RecoveryMethod } from '@passkey-rollout/telemetry';
import {
  afterLostDevice,
  enrolHighRiskKeys,
  maybeDeleteCredential,
  maybeRemovePassword,
  maybeSettingsRegistration,
  maybeUpsell,
  stepUp,
} from './account-settings';
import { register } from './ceremonies';
import { DAY, HOUR, Journey, MINUTE, SECOND, type SessionState, type SimCredential } from './journey';
import { createUserProfile, type Adoption, type SimDevice, type UserProfile } from './population';
import { Rng } from './random';
import { recovery } from './recovery';
import { ROLLOUT_FLAG_KEY, stageAt, variantOf, type SimulationWindow } from './rollout';
import type { SimEvent } from './sim-events';
import { signIn } from './sign-in';

export type { SimCredential } from './journey';

export interface UserSimulation {
  profile: UserProfile;
  /** Sorted by time; none after the window's end. */
  events: SimEvent[];
  /** Final state, for tests and summaries. */
  credentials: readonly SimCredential[];
  passwordRemoved: boolean;
}

const SIGNUP_PASSKEY: Readonly<Record<Adoption, number>> = { eager: 0.85, open: 0.55, reluctant: 0.2, never: 0 };

/** Sign-up, then sessions until the user leaves; a high-risk user's keys first, a phishable recovery last. */
function run(j: Journey): void {
  const p = j.profile;
  if (p.highRisk) enrolHighRiskKeys(j);
  let t = p.joinedAt;
  if (p.signedUpInWindow) {
    signUp(j, t);
    t += j.rng.between(0.5, 6) * HOUR;
  }
  const meanGap = DAY / p.sessionsPerDay;
  t += j.rng.exponential(meanGap) * (p.signedUpInWindow ? 0.3 : 1);
  while (t < p.leavesAt) {
    const device = j.deviceAt(t);
    if (device) session(j, t, device);
    t += Math.max(10 * MINUTE, j.rng.exponential(meanGap));
  }
  if (p.highRisk?.phishableRecovery) {
    const at = j.window.start + j.rng.between(0.82, 0.98) * (j.window.end - j.window.start);
    recovery(j, at, j.primaryDevice(at), { method: j.rng.pick<RecoveryMethod>(['sms_code', 'support_agent_override']), end: 'completed' });
  }
}

function session(j: Journey, t: number, device: SimDevice): void {
  const stage = stageAt(j.window, t);
  const state: SessionState = { device, stage, sessionId: j.id('ses') };
  exposure(j, t, state);
  capabilities(j, t, state);
  const signedIn = signIn(j, t + 2 * SECOND, state);
  if (!signedIn) return;
  let at = signedIn.at + j.rng.between(2, 30) * SECOND;
  at = afterLostDevice(j, at, state);
  if (j.profile.riskTier === 'high' && j.rng.chance(0.25)) at = stepUp(j, at, state);
  if (stage >= 2 && signedIn.method !== 'passkey') at = maybeUpsell(j, at, state);
  at = maybeSettingsRegistration(j, at, state);
  at = maybeDeleteCredential(j, at, state);
  if (stage === 4 && signedIn.method === 'passkey') maybeRemovePassword(j, at, state);
}

function exposure(j: Journey, t: number, state: SessionState): void {
  if (state.stage === j.exposedStage) return;
  j.exposedStage = state.stage;
  j.events.push({
    kind: 'featureFlag',
    source: 'api',
    ctx: j.ctx(state.device, t, { sessionId: state.sessionId }),
    event: { key: ROLLOUT_FLAG_KEY, variant: variantOf(state.stage) },
  });
}

function capabilities(j: Journey, t: number, state: SessionState): void {
  const { device } = state;
  const modern = device.model.browser === 'safari' && device.model.id !== 'ipad-legacy';
  const api = device.apiAvailable;
  const conditional = api && device.model.conditionalGet;
  j.events.push({
    kind: 'capabilities',
    source: 'web',
    ctx: j.ctx(device, t, { sessionId: state.sessionId, surface: 'login_page' }),
    event: {
      apiAvailable: api,
      uvpaa: api && device.uvpaa,
      conditionalGet: conditional,
      ...(api && modern
        ? {
            source: 'get_client_capabilities' as const,
            supported: [
              'conditionalCreate',
              ...(conditional ? ['conditionalGet'] : []),
              'hybridTransport',
              ...(device.uvpaa ? ['passkeyPlatformAuthenticator', 'userVerifyingPlatformAuthenticator'] : []),
            ],
            unsupported: ['relatedOrigins', ...(device.uvpaa ? [] : ['userVerifyingPlatformAuthenticator'])],
          }
        : { source: api ? ('legacy' as const) : ('none' as const) }),
    },
  });
}

/** A sign-up inside the window: exposure, capabilities and, from stage 3, often a passkey right away. */
function signUp(j: Journey, t: number): void {
  const device = j.primaryDevice(t);
  const stage = stageAt(j.window, t);
  const state: SessionState = { device, stage, sessionId: j.id('ses') };
  exposure(j, t, state);
  capabilities(j, t, state);
  if (stage >= 3 && device.apiAvailable && device.uvpaa && j.rng.chance(SIGNUP_PASSKEY[j.profile.adoption])) {
    register(j, t + j.rng.between(20, 90) * SECOND, state, 'signup');
  }
}

/** Simulates one user: the same (seed, index, window) always gives the same events. */
export function simulateUser(seed: number, index: number, window: SimulationWindow): UserSimulation {
  const profile = createUserProfile(seed, index, window);
  const journey = new Journey(profile, window, Rng.forKey(seed, index, 2));
  run(journey);
  const events = journey.events.filter((e) => e.ctx.timestamp <= window.end).sort((a, b) => a.ctx.timestamp - b.ctx.timestamp);
  return {
    profile,
    events,
    credentials: journey.credentials,
    passwordRemoved: events.some((e) => e.kind === 'passwordRemoved'),
  };
}
