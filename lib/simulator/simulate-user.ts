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
 * Pure: a (seed, user index, window) always yields the same events.
 */
import type { AuthMethod, ClientFailureReason, FallbackReason, Mediation, PromptOutcome, RecoveryMethod, ServerFailureReason, Surface } from '@passkey-rollout/telemetry';
import {
  ANDROID_APP_ORIGIN,
  ERROR_TYPE_OF_REASON,
  failureProfile,
  ORIGIN,
  PROVIDERS,
  providerChoices,
  RP_ID,
  SECURITY_KEYS,
  type Provider,
  type ProviderKey,
} from './catalog';
import { createUserProfile, type Adoption, type SimDevice, type UserProfile } from './population';
import { Rng, type Weighted } from './random';
import { ROLLOUT_FLAG_KEY, stageAt, variantOf, type RolloutStage, type SimulationWindow } from './rollout';
import type { SimContext, SimEvent, SimUserContext } from './sim-events';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const CHALLENGE_TIMEOUT = 5 * MINUTE;

export interface SimCredential {
  readonly id: string;
  readonly provider: Provider;
  /** The device it was created on. */
  readonly deviceKey: number;
  readonly registeredAt: number;
  backedUp: boolean;
  counter: number;
  deletedAt?: number;
  /** Deleted on the server but still offered by the authenticator (→ unknown_credential). */
  staleOnDevice: boolean;
}

export interface UserSimulation {
  profile: UserProfile;
  /** Sorted by time; none after the window's end. */
  events: SimEvent[];
  /** Final state, for tests and summaries. */
  credentials: readonly SimCredential[];
  passwordRemoved: boolean;
}

type CeremonyOutcome =
  | { result: 'success'; at: number; credential: SimCredential }
  | { result: 'cancelled'; at: number; reason: ClientFailureReason | PromptOutcome }
  | { result: 'failure'; at: number; side: 'client' | 'server'; reason: ClientFailureReason | ServerFailureReason };

interface RecoveryOptions {
  method?: RecoveryMethod;
  end?: 'completed' | 'failed' | 'abandoned';
  /** Why the user is recovering: a locked-out passwordless user sets up a passkey afterwards. */
  cause?: 'forgot_password' | 'locked_out' | 'other';
}

interface SessionState {
  device: SimDevice;
  sessionId: string;
  stage: RolloutStage;
}

const UPSELL_ACCEPTANCE: Readonly<Record<Adoption, number>> = { eager: 0.8, open: 0.52, reluctant: 0.18, never: 0.02 };
const SIGNUP_PASSKEY: Readonly<Record<Adoption, number>> = { eager: 0.85, open: 0.55, reluctant: 0.2, never: 0 };
/** Chance per session that a user without a passkey adds one from the settings page. */
const SETTINGS_REGISTRATION: Readonly<Record<Adoption, number>> = { eager: 0.2, open: 0.012, reluctant: 0.003, never: 0 };

const CANCEL_KINDS: Weighted<ClientFailureReason | PromptOutcome> = [
  ['user_cancelled_or_timed_out', 0.84],
  ['aborted_by_browser', 0.04],
  ['abandoned', 0.09],
  ['no_response', 0.03],
];

const HOLDER_RECOVERY: Weighted<RecoveryMethod> = [
  ['other_bound_authenticator', 0.22],
  ['saved_recovery_code', 0.16],
  ['email_code', 0.24],
  ['email_magic_link', 0.12],
  ['sms_code', 0.14],
  ['identity_reproofing', 0.07],
  ['support_agent_override', 0.05],
];
const NON_HOLDER_RECOVERY: Weighted<RecoveryMethod> = [
  ['email_magic_link', 0.45],
  ['email_code', 0.25],
  ['sms_code', 0.24],
  ['support_agent_override', 0.04],
  ['identity_reproofing', 0.02],
];
const TICKET_CHANNELS: Weighted<string> = [
  ['email', 0.4],
  ['chat', 0.35],
  ['phone', 0.15],
  ['web_form', 0.1],
];

const CREDENTIAL_ID_BYTES: Readonly<Record<Provider['reach'], number>> = {
  apple: 20,
  google: 16,
  samsung: 32,
  microsoft: 32,
  installed_manager: 16,
  this_device: 32,
  security_key: 64,
};

class Journey {
  readonly events: SimEvent[] = [];
  readonly credentials: SimCredential[] = [];
  private passwordRemovedAt: number | undefined;
  private lastUpsellAt = Number.NEGATIVE_INFINITY;
  private upsellDismissals = 0;
  private exposedStage = 0;
  private ticketSeq = 0;
  private lostDeviceHandled = false;
  private readonly base: { userId: string; riskTier: UserProfile['riskTier']; environment: string };

  constructor(
    private readonly profile: UserProfile,
    private readonly window: SimulationWindow,
    private readonly rng: Rng,
  ) {
    this.base = { userId: profile.userId, riskTier: profile.riskTier, environment: 'production' };
  }

  run(): void {
    const p = this.profile;
    if (p.highRisk) this.enrolHighRiskKeys();
    let t = p.joinedAt;
    if (p.signedUpInWindow) {
      this.signUp(t);
      t += this.rng.between(0.5, 6) * HOUR;
    }
    const meanGap = DAY / p.sessionsPerDay;
    t += this.rng.exponential(meanGap) * (p.signedUpInWindow ? 0.3 : 1);
    while (t < p.leavesAt) {
      const device = this.deviceAt(t);
      if (device) this.session(t, device);
      t += Math.max(10 * MINUTE, this.rng.exponential(meanGap));
    }
    if (p.highRisk?.phishableRecovery) {
      const at = this.window.start + this.rng.between(0.82, 0.98) * (this.window.end - this.window.start);
      this.recovery(at, this.primaryDevice(at), { method: this.rng.pick<RecoveryMethod>(['sms_code', 'support_agent_override']), end: 'completed' });
    }
  }

  // --- context -------------------------------------------------------------------------------

  private ctx(device: SimDevice, at: number, extra: Partial<SimContext> = {}): SimContext {
    const m = device.model;
    return {
      ...this.base,
      userAgent: m.userAgent,
      ...(m.explicitClass ? { deviceClass: m.deviceClass, osName: m.osName, osVersion: m.osVersion } : {}),
      ...extra,
      timestamp: Math.round(at),
    };
  }

  private userCtx(device: SimDevice, at: number, extra: Partial<SimContext> = {}): SimUserContext {
    return { ...this.ctx(device, at, extra), userId: this.profile.userId };
  }

  private id(prefix: string): string {
    return `${prefix}_${this.rng.hex(16)}`;
  }

  // --- devices and credentials ---------------------------------------------------------------

  private deviceAt(t: number): SimDevice | undefined {
    const owned = this.profile.devices.filter((d) => d.from <= t && t < d.until);
    if (owned.length === 0) return undefined;
    return this.rng.weighted(owned.map((d) => [d, d.weight] as const));
  }

  private primaryDevice(t: number): SimDevice {
    return this.profile.devices.find((d) => d.from <= t && t < d.until) ?? (this.profile.devices[0] as SimDevice);
  }

  private reaches(credential: SimCredential, device: SimDevice): boolean {
    const m = device.model;
    switch (credential.provider.reach) {
      case 'apple':
        return m.os === 'ios' || m.os === 'macos';
      case 'google':
        return m.os === 'android' || m.os === 'chromeos' || (m.browser === 'chrome' && this.profile.chromeSync);
      case 'samsung':
        return m.os === 'android' && m.samsung === true;
      case 'microsoft':
        return m.browser === 'edge';
      case 'installed_manager':
        return credential.deviceKey === device.key || this.profile.managerEverywhere;
      case 'this_device':
        return credential.deviceKey === device.key;
      case 'security_key':
        return m.os === 'macos' || m.os === 'windows' || m.os === 'linux' || m.os === 'chromeos' || credential.provider.transports.includes('nfc');
    }
  }

  private live(t: number): SimCredential[] {
    return this.credentials.filter((c) => c.registeredAt <= t && (c.deletedAt === undefined || c.deletedAt > t));
  }

  private usableOn(device: SimDevice, t: number): SimCredential[] {
    return this.live(t).filter((c) => this.reaches(c, device));
  }

  private staleOn(device: SimDevice, t: number): SimCredential[] {
    return this.credentials.filter((c) => c.deletedAt !== undefined && c.deletedAt <= t && c.staleOnDevice && this.reaches(c, device));
  }

  /** A credential on one of the user's phones, usable from a desktop over hybrid (QR code). */
  private hybridCredential(device: SimDevice, t: number): SimCredential | undefined {
    if (device.model.os === 'ios' || device.model.os === 'android') return undefined;
    const phones = this.profile.devices.filter((d) => d.from <= t && t < d.until && d.model.deviceClass.startsWith('mobile'));
    for (const phone of phones) {
      const credential = this.usableOn(phone, t).find((c) => c.provider.reach !== 'security_key');
      if (credential) return credential;
    }
    return undefined;
  }

  // --- sessions ------------------------------------------------------------------------------

  private session(t: number, device: SimDevice): void {
    const stage = stageAt(this.window, t);
    const state: SessionState = { device, stage, sessionId: this.id('ses') };
    this.exposure(t, state);
    this.capabilities(t, state);
    const signedIn = this.signIn(t + 2 * SECOND, state);
    if (!signedIn) return;
    let at = signedIn.at + this.rng.between(2, 30) * SECOND;
    at = this.afterLostDevice(at, state);
    if (this.profile.riskTier === 'high' && this.rng.chance(0.25)) at = this.stepUp(at, state);
    if (stage >= 2 && signedIn.method !== 'passkey') at = this.maybeUpsell(at, state);
    at = this.maybeSettingsRegistration(at, state);
    at = this.maybeDeleteCredential(at, state);
    if (stage === 4 && signedIn.method === 'passkey') this.maybeRemovePassword(at, state);
  }

  private exposure(t: number, state: SessionState): void {
    if (state.stage === this.exposedStage) return;
    this.exposedStage = state.stage;
    this.events.push({
      kind: 'featureFlag',
      source: 'api',
      ctx: this.ctx(state.device, t, { sessionId: state.sessionId }),
      event: { key: ROLLOUT_FLAG_KEY, variant: variantOf(state.stage) },
    });
  }

  private capabilities(t: number, state: SessionState): void {
    const { device } = state;
    const modern = device.model.browser === 'safari' && device.model.id !== 'ipad-legacy';
    const api = device.apiAvailable;
    const conditional = api && device.model.conditionalGet;
    this.events.push({
      kind: 'capabilities',
      source: 'web',
      ctx: this.ctx(device, t, { sessionId: state.sessionId, surface: 'login_page' }),
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

  /** The sign-in flow; returns how the user got in, or undefined when they did not. */
  private signIn(t: number, state: SessionState): { at: number; method: AuthMethod } | undefined {
    const { device, stage } = state;
    const flowId = this.id('flw');
    const live = this.live(t);
    const usable = this.usableOn(device, t);
    const stale = this.staleOn(device, t);
    const holder = live.length > 0;
    const passkeyFirst = stage >= 3;
    const autofill = passkeyFirst && device.apiAvailable && device.model.conditionalGet;
    const autofillCeremony = this.rng.uuid();
    let at = t;

    const closeAutofill = (outcome: 'abandoned' | 'superseded', when: number) => {
      if (!autofill) return;
      this.prompt(state, flowId, autofillCeremony, 'authentication', 'login_autofill', 'conditional', when, when - t, outcome);
    };

    // A deleted passkey the authenticator still offers is tried too (→ unknown_credential).
    const wantsPasskey = device.apiAvailable && ((holder && usable.length > 0) || stale.length > 0);
    const tryRate = passkeyFirst ? (this.profile.prefersPassword ? 0.12 : 0.94) : this.profile.prefersPassword ? 0.1 : 0.75;
    if (wantsPasskey && this.rng.chance(tryRate)) {
      let lastFailure: CeremonyOutcome | undefined;
      for (let attempt = 0; attempt < 2; attempt++) {
        const credential = stale.length > 0 && (usable.length === 0 || this.rng.chance(0.3)) ? this.rng.pick(stale) : this.preferred(usable, device);
        const viaAutofill = attempt === 0 && autofill && this.rng.chance(0.6);
        if (!viaAutofill && attempt === 0) closeAutofill('superseded', at + this.rng.between(1, 4) * SECOND);
        const outcome = this.authenticate(at, state, flowId, credential, {
          surface: viaAutofill ? 'login_autofill' : 'login_page',
          mediation: viaAutofill ? 'conditional' : 'optional',
          ceremonyId: viaAutofill ? autofillCeremony : this.rng.uuid(),
        });
        at = outcome.at + this.rng.between(1, 5) * SECOND;
        if (outcome.result === 'success') return this.signedIn(at, state, flowId, 'passkey');
        lastFailure = outcome;
        if (outcome.result === 'failure' && outcome.reason === 'unknown_credential' && this.rng.chance(0.7)) {
          credential.staleOnDevice = false; // the user removed it from the device afterwards
        }
        if (!this.rng.chance(outcome.result === 'cancelled' ? 0.4 : 0.5)) break;
      }
      if (this.rng.chance(0.04)) return this.signInEnded(at, state, flowId, 'passkey', 'abandoned');
      const reason: FallbackReason =
        lastFailure?.result === 'cancelled' ? 'prompt_abandoned' : lastFailure?.result === 'failure' && lastFailure.side === 'server' ? 'verification_failed' : 'prompt_error';
      return this.fallbackSignIn(at, state, flowId, reason);
    }

    const phone = holder && usable.length === 0 && passkeyFirst && device.apiAvailable ? this.hybridCredential(device, t) : undefined;
    if (phone && !this.profile.prefersPassword && this.rng.chance(0.45)) {
      closeAutofill('superseded', at + this.rng.between(1, 4) * SECOND);
      const outcome = this.authenticate(at, state, flowId, phone, { surface: 'login_page', mediation: 'optional', ceremonyId: this.rng.uuid(), hybrid: true });
      at = outcome.at + this.rng.between(1, 5) * SECOND;
      if (outcome.result === 'success') return this.signedIn(at, state, flowId, 'passkey');
      return this.fallbackSignIn(at, state, flowId, outcome.result === 'cancelled' ? 'prompt_abandoned' : 'prompt_error');
    }

    closeAutofill('abandoned', at + this.rng.between(8, 40) * SECOND);
    if (passkeyFirst && holder) {
      return this.fallbackSignIn(at, state, flowId, device.apiAvailable ? 'user_chose_other_method' : 'api_unavailable');
    }
    if (passkeyFirst) return this.fallbackSignIn(at, state, flowId, 'no_passkey_for_account');
    return this.methodSignIn(at, state, flowId);
  }

  /** The credential the authenticator offers first: one made on this device, else a synced one. */
  private preferred(usable: SimCredential[], device: SimDevice): SimCredential {
    if (this.profile.riskTier === 'high') {
      const key = usable.find((c) => c.provider.reach === 'security_key');
      if (key) return key;
    }
    return usable.find((c) => c.deviceKey === device.key) ?? (usable[0] as SimCredential);
  }

  private signedIn(at: number, state: SessionState, flowId: string, method: AuthMethod): { at: number; method: AuthMethod } {
    this.events.push({
      kind: 'signIn',
      source: 'api',
      ctx: this.ctx(state.device, at, { sessionId: state.sessionId, flowId, surface: 'login_page' }),
      event: { method, result: 'success' },
    });
    return { at, method };
  }

  private signInEnded(at: number, state: SessionState, flowId: string, method: AuthMethod, result: 'failure' | 'locked_out' | 'abandoned'): undefined {
    this.events.push({
      kind: 'signIn',
      source: 'api',
      ctx: this.ctx(state.device, at, { sessionId: state.sessionId, flowId, surface: 'login_page' }),
      event: { method, result },
    });
    return undefined;
  }

  private fallbackTarget(): AuthMethod {
    if (this.passwordRemovedAt !== undefined) return 'email_link';
    return this.profile.fallbackMethod;
  }

  private fallbackSignIn(at: number, state: SessionState, flowId: string, reason: FallbackReason): { at: number; method: AuthMethod } | undefined {
    const to = this.fallbackTarget();
    const serverSide = reason === 'no_passkey_for_account' || reason === 'verification_failed';
    this.events.push({
      kind: 'fallback',
      source: serverSide ? 'api' : 'web',
      ctx: this.ctx(state.device, at, { sessionId: state.sessionId, flowId, surface: 'login_page' }),
      event: { from: 'passkey', to, reason },
    });
    return this.methodSignIn(at + this.rng.between(1, 3) * SECOND, state, flowId);
  }

  /** Sign-in with the user's non-passkey method (password, OTP, social, links). */
  private methodSignIn(at: number, state: SessionState, flowId: string): { at: number; method: AuthMethod } | undefined {
    const method = this.fallbackTarget();
    const passwordless = this.passwordRemovedAt !== undefined;
    if (passwordless && this.usableOn(state.device, at).length === 0 && this.rng.chance(0.3)) {
      // No passkey here and no password any more: the lock-out the stage 4 gate warns about.
      this.recovery(at + 30 * SECOND, state.device, { cause: 'locked_out' });
      return undefined;
    }
    if (!passwordless && (method === 'password' || method === 'password_otp') && this.rng.chance(0.0011)) {
      this.recovery(at + 20 * SECOND, state.device, { cause: 'forgot_password' });
      return undefined;
    }
    const duration = this.rng.logNormal(method === 'social' ? 9 : 14, 0.5) * SECOND;
    if (this.rng.chance(0.955)) return this.signedIn(at + duration, state, flowId, method);
    if (this.rng.chance(0.75)) return this.signedIn(at + duration * 2.2, state, flowId, method);
    const result = this.rng.weighted<'locked_out' | 'failure' | 'abandoned'>([
      ['locked_out', 0.3],
      ['failure', 0.45],
      ['abandoned', 0.25],
    ]);
    const end = at + duration * 3;
    this.signInEnded(end, state, flowId, method, result);
    if (result === 'locked_out') this.maybeTicket(end, 'account_access', 0.05);
    if (result !== 'abandoned' && this.rng.chance(0.25)) this.recovery(end + this.rng.between(1, 20) * MINUTE, state.device, { cause: 'forgot_password' });
    return undefined;
  }

  // --- ceremonies ----------------------------------------------------------------------------

  private prompt(
    state: SessionState,
    flowId: string,
    ceremonyId: string,
    type: 'registration' | 'authentication',
    surface: Surface,
    mediation: Mediation,
    at: number,
    durationMs: number,
    outcome: PromptOutcome,
    reason?: ClientFailureReason,
  ): void {
    // An autofill (conditional) prompt starts before the user identified themselves: no user id yet.
    const anonymous = mediation === 'conditional';
    const ctx = this.ctx(state.device, at, { sessionId: state.sessionId, flowId, surface, ceremonyId });
    if (anonymous) delete ctx.userId;
    this.events.push({
      kind: 'prompt',
      source: 'web',
      ctx,
      event: {
        ceremonyType: type,
        ceremonyId,
        outcome,
        durationMs: Math.round(durationMs),
        mediation,
        ...(outcome === 'error' && reason ? { errorType: ERROR_TYPE_OF_REASON[reason], failureReason: reason } : {}),
      },
    });
  }

  /** Draws how a prompt ends: cancelled, a browser error, or a response for the server. */
  private drawPrompt(
    type: 'registration' | 'authentication',
    device: SimDevice,
    mediation: Mediation,
    hybrid: boolean,
  ): { kind: 'cancel'; reason: ClientFailureReason | PromptOutcome } | { kind: 'error'; reason: ClientFailureReason } | { kind: 'response' } {
    const cancelRate = hybrid ? 0.12 : type === 'registration' ? 0.07 : mediation === 'conditional' ? 0.004 : 0.03;
    if (this.rng.chance(cancelRate)) return { kind: 'cancel', reason: this.rng.weighted(CANCEL_KINDS) };
    const profile = failureProfile(type, device.model.quirk);
    if (this.rng.chance(profile.clientError)) return { kind: 'error', reason: this.rng.weighted(profile.clientReasons) };
    return { kind: 'response' };
  }

  private promptDuration(type: 'registration' | 'authentication', mediation: Mediation, hybrid: boolean): number {
    if (hybrid) return this.rng.logNormal(18_000, 0.4);
    if (type === 'registration') return this.rng.logNormal(6_500, 0.5);
    return mediation === 'conditional' ? this.rng.logNormal(5_500, 0.6) : this.rng.logNormal(3_200, 0.45);
  }

  private authenticate(
    t: number,
    state: SessionState,
    flowId: string,
    credential: SimCredential,
    options: { surface: Surface; mediation: Mediation; ceremonyId: string; hybrid?: boolean },
  ): CeremonyOutcome {
    const hybrid = options.hybrid ?? false;
    const { device } = state;
    const drawn = this.drawPrompt('authentication', device, options.mediation, hybrid);
    let duration = this.promptDuration('authentication', options.mediation, hybrid);
    const promptAt = (d: number) => t + d;

    if (drawn.kind === 'cancel') {
      if (drawn.reason === 'no_response') duration = CHALLENGE_TIMEOUT;
      const isOutcome = drawn.reason === 'abandoned' || drawn.reason === 'no_response';
      this.prompt(
        state,
        flowId,
        options.ceremonyId,
        'authentication',
        options.surface,
        options.mediation,
        promptAt(duration),
        duration,
        isOutcome ? (drawn.reason as PromptOutcome) : 'error',
        isOutcome ? undefined : (drawn.reason as ClientFailureReason),
      );
      // An autofill prompt's user is unknown to the relying party: nobody files a ticket about it.
      if (options.mediation !== 'conditional') this.maybeTicket(promptAt(duration), 'passkey_sign_in', 0.002);
      return { result: 'cancelled', at: promptAt(duration), reason: drawn.reason };
    }
    if (drawn.kind === 'error') {
      duration = this.rng.between(300, 2500);
      this.prompt(state, flowId, options.ceremonyId, 'authentication', options.surface, options.mediation, promptAt(duration), duration, 'error', drawn.reason);
      if (options.mediation !== 'conditional') this.maybeTicket(promptAt(duration), 'passkey_sign_in', 0.035);
      return { result: 'failure', at: promptAt(duration), side: 'client', reason: drawn.reason };
    }

    const stale = credential.deletedAt !== undefined;
    const profile = failureProfile('authentication', device.model.quirk);
    let reason: ServerFailureReason | undefined;
    if (stale) reason = 'unknown_credential';
    else if (credential.provider.reach === 'security_key' && this.rng.chance(0.002)) reason = 'counter_regression';
    else if (this.rng.chance(profile.serverFailure)) reason = this.rng.weighted(profile.serverReasons);
    if (reason === 'challenge_expired') duration = CHALLENGE_TIMEOUT + this.rng.between(5, 600) * SECOND;

    const settled = promptAt(duration);
    this.prompt(state, flowId, options.ceremonyId, 'authentication', options.surface, options.mediation, settled, duration, 'success');
    const serverAt = settled + this.rng.between(120, 700);
    const ctx = this.ctx(state.device, serverAt, { sessionId: state.sessionId, flowId, surface: options.surface, ceremonyId: options.ceremonyId });
    const attachment = hybrid ? 'cross-platform' : credential.provider.attachment;

    if (reason) {
      this.events.push({
        kind: 'authentication',
        source: 'api',
        ctx,
        event: {
          result: 'failure',
          failureReason: reason,
          credentialId: reason === 'malformed_response' ? undefined : credential.id,
          aaguid: stale ? undefined : credential.provider.aaguid,
          flags: reason === 'malformed_response' ? undefined : { up: true, uv: reason !== 'user_not_verified', be: credential.provider.synced, bs: credential.backedUp },
          authenticatorAttachment: attachment,
          rpId: RP_ID,
          origin: reason === 'origin_mismatch' ? (device.model.os === 'android' ? ANDROID_APP_ORIGIN : 'https://staging.acme.example') : ORIGIN,
        },
      });
      this.maybeTicket(serverAt, 'passkey_sign_in', stale ? 0.08 : 0.035);
      return { result: 'failure', at: serverAt, side: 'server', reason };
    }

    const previousBackupState = credential.backedUp;
    if (credential.provider.synced && !credential.backedUp && this.rng.chance(0.3)) credential.backedUp = true;
    if (credential.provider.reach === 'security_key') credential.counter += 1;
    this.events.push({
      kind: 'authentication',
      source: 'api',
      ctx,
      event: {
        result: 'success',
        credentialId: credential.id,
        aaguid: credential.provider.aaguid,
        flags: { up: true, uv: true, be: credential.provider.synced, bs: credential.backedUp },
        authenticatorAttachment: attachment,
        rpId: RP_ID,
        origin: ORIGIN,
        previousBackupState,
        signCountAnomaly: credential.provider.reach === 'security_key' ? false : undefined,
      },
    });
    if (previousBackupState !== credential.backedUp) {
      this.events.push({
        kind: 'lifecycle',
        source: 'api',
        ctx: this.userCtx(state.device, serverAt + 5, { sessionId: state.sessionId }),
        event: { action: 'backup_state_changed', credentialId: credential.id, flags: { be: true, bs: credential.backedUp } },
      });
    }
    return { result: 'success', at: serverAt, credential };
  }

  /** A registration ceremony with retries; returns the new credential, if any. */
  private register(t: number, state: SessionState, surface: Surface, forced?: ProviderKey): { at: number; credential?: SimCredential } {
    const flowId = this.id('flw');
    let at = t;
    for (let attempt = 0; attempt < 2; attempt++) {
      const outcome = this.registrationCeremony(at, state, flowId, surface, forced);
      at = outcome.at + this.rng.between(2, 20) * SECOND;
      if (outcome.result === 'success') return { at, credential: outcome.credential };
      if (outcome.result === 'failure' && outcome.reason === 'credential_excluded') break;
      if (!this.rng.chance(0.4)) break;
    }
    return { at };
  }

  private chooseProvider(device: SimDevice): Provider | 'no_authenticator' {
    const m = device.model;
    let key = this.rng.weighted(providerChoices(m));
    const provider = PROVIDERS[key];
    // Without a platform authenticator the OS store cannot answer (Windows without Hello set up).
    if (!device.uvpaa && provider.reach === 'this_device') {
      if (m.browser !== 'chrome') return 'no_authenticator';
      key = 'googlePasswordManager';
    }
    return PROVIDERS[key];
  }

  private registrationCeremony(t: number, state: SessionState, flowId: string, surface: Surface, forced?: ProviderKey): CeremonyOutcome {
    const { device } = state;
    const ceremonyId = this.rng.uuid();
    const chosen = forced ? PROVIDERS[forced] : this.chooseProvider(device);
    const drawn = this.drawPrompt('registration', device, 'optional', false);
    let duration = this.promptDuration('registration', 'optional', false);

    if (chosen === 'no_authenticator' || drawn.kind === 'cancel') {
      const reason: ClientFailureReason | PromptOutcome =
        drawn.kind === 'cancel' ? drawn.reason : this.rng.chance(0.85) ? 'user_cancelled_or_timed_out' : 'constraint_unsatisfied';
      if (reason === 'no_response') duration = CHALLENGE_TIMEOUT;
      const isOutcome = reason === 'abandoned' || reason === 'no_response';
      this.prompt(state, flowId, ceremonyId, 'registration', surface, 'optional', t + duration, duration, isOutcome ? (reason as PromptOutcome) : 'error', isOutcome ? undefined : (reason as ClientFailureReason));
      if (reason === 'constraint_unsatisfied') {
        this.maybeTicket(t + duration, 'passkey_registration', 0.1);
        return { result: 'failure', at: t + duration, side: 'client', reason };
      }
      return { result: 'cancelled', at: t + duration, reason };
    }

    // excludeCredentials: the authenticator already holds a live passkey of this user (a forced
    // provider is a new authenticator, e.g. a second security key of the same model).
    const excluded = !forced && this.usableOn(device, t).some((c) => c.provider.name === chosen.name);
    if (excluded || drawn.kind === 'error') {
      const reason: ClientFailureReason = excluded ? 'credential_excluded' : (drawn as { reason: ClientFailureReason }).reason;
      duration = excluded ? this.rng.between(1500, 6000) : this.rng.between(300, 3000);
      this.prompt(state, flowId, ceremonyId, 'registration', surface, 'optional', t + duration, duration, 'error', reason);
      if (!excluded) this.maybeTicket(t + duration, 'passkey_registration', 0.1);
      return { result: 'failure', at: t + duration, side: 'client', reason };
    }

    const profile = failureProfile('registration', device.model.quirk);
    let reason: ServerFailureReason | undefined;
    if (this.profile.riskTier === 'high' && surface === 'account_settings' && chosen.reach !== 'security_key' && this.rng.chance(0.5)) {
      reason = 'attestation_policy_violation'; // high-risk accounts are asked for a hardware key
    } else if (this.rng.chance(profile.serverFailure)) {
      reason = this.rng.weighted(profile.serverReasons);
    }
    if (reason === 'challenge_expired') duration = CHALLENGE_TIMEOUT + this.rng.between(5, 600) * SECOND;
    const settled = t + duration;
    this.prompt(state, flowId, ceremonyId, 'registration', surface, 'optional', settled, duration, 'success');
    const serverAt = settled + this.rng.between(150, 800);
    const ctx = this.ctx(device, serverAt, { sessionId: state.sessionId, flowId, surface, ceremonyId });
    const credentialId = this.rng.base64url(CREDENTIAL_ID_BYTES[chosen.reach]);
    const backedUp = chosen.synced && !this.rng.chance(0.08);
    const facts = {
      credentialId,
      aaguid: chosen.aaguid,
      attestationFormat: chosen.attestationFormat,
      authenticatorAttachment: chosen.attachment,
      transports: [...chosen.transports],
      rpId: RP_ID,
    };

    if (reason) {
      const malformed = reason === 'malformed_response';
      this.events.push({
        kind: 'registration',
        source: 'api',
        ctx,
        event: {
          result: 'failure',
          failureReason: reason,
          ...(malformed ? { rpId: RP_ID } : facts),
          flags: malformed ? undefined : { up: true, uv: reason !== 'user_not_verified', be: chosen.synced, bs: backedUp },
          origin: reason === 'origin_mismatch' ? (device.model.os === 'android' ? ANDROID_APP_ORIGIN : 'https://staging.acme.example') : ORIGIN,
        },
      });
      this.maybeTicket(serverAt, 'passkey_registration', reason === 'attestation_policy_violation' ? 0.25 : 0.1);
      return { result: 'failure', at: serverAt, side: 'server', reason };
    }

    const credential: SimCredential = {
      id: credentialId,
      provider: chosen,
      deviceKey: device.key,
      registeredAt: serverAt,
      backedUp,
      counter: chosen.reach === 'security_key' ? 1 : 0,
      staleOnDevice: false,
    };
    this.credentials.push(credential);
    this.events.push({
      kind: 'registration',
      source: 'api',
      ctx,
      event: { result: 'success', ...facts, flags: { up: true, uv: true, be: chosen.synced, bs: backedUp }, origin: ORIGIN },
    });
    return { result: 'success', at: serverAt, credential };
  }

  // --- what a signed-in session may lead to ---------------------------------------------------

  private maybeUpsell(at: number, state: SessionState): number {
    const { device } = state;
    const eligible =
      device.apiAvailable && device.uvpaa && this.usableOn(device, at).length === 0 && at - this.lastUpsellAt > 14 * DAY && this.upsellDismissals < 3;
    if (!eligible) return at;
    this.lastUpsellAt = at;
    const flowId = this.id('flw');
    const ctx = (when: number) => this.ctx(device, when, { sessionId: state.sessionId, flowId, surface: 'post_sign_in_upsell' });
    this.events.push({ kind: 'upsell', source: 'web', ctx: ctx(at), event: { outcome: 'shown' } });
    const holderBonus = this.live(at).length > 0 ? 0.25 : 0;
    const decided = at + this.rng.logNormal(4_000, 0.6);
    if (!this.rng.chance(UPSELL_ACCEPTANCE[this.profile.adoption] + holderBonus)) {
      this.upsellDismissals += 1;
      this.events.push({ kind: 'upsell', source: 'web', ctx: ctx(decided), event: { outcome: 'dismissed' } });
      return decided;
    }
    this.events.push({ kind: 'upsell', source: 'web', ctx: ctx(decided), event: { outcome: 'accepted' } });
    return this.register(decided + SECOND, state, 'post_sign_in_upsell').at;
  }

  private maybeSettingsRegistration(at: number, state: SessionState): number {
    const { device } = state;
    const holder = this.live(at).length > 0;
    const usableHere = this.usableOn(device, at).length > 0;
    let rate: number;
    if (!holder) rate = SETTINGS_REGISTRATION[this.profile.adoption] * (state.stage === 1 ? 1 : 0.5);
    else if (!usableHere) rate = this.profile.adoption === 'eager' ? 0.3 : 0.12; // add this laptop too
    else rate = 0.0003; // re-registering where a passkey already exists → credential_excluded
    if (!this.rng.chance(rate)) return at;
    return this.register(at + this.rng.between(5, 60) * SECOND, state, 'account_settings').at;
  }

  private maybeDeleteCredential(at: number, state: SessionState): number {
    const live = this.live(at);
    if (live.length === 0 || !this.rng.chance(live.length > 1 ? 0.005 : 0.0015)) return at;
    // Tidying up: usually a password-manager passkey or a second one.
    const victim = live.find((c) => c.provider.reach === 'installed_manager') ?? this.rng.pick(live);
    return this.deleteCredential(at + this.rng.between(10, 90) * SECOND, state.device, victim, 'deleted_by_user', state.sessionId);
  }

  private deleteCredential(at: number, device: SimDevice, credential: SimCredential, action: 'deleted_by_user' | 'deleted_by_admin', sessionId?: string): number {
    credential.deletedAt = at;
    // Deleting it from the account does not delete it from the authenticator, which keeps offering it.
    credential.staleOnDevice = action === 'deleted_by_user' && this.rng.chance(0.6);
    this.events.push({
      kind: 'lifecycle',
      source: 'api',
      ctx: this.userCtx(device, at, { sessionId, surface: 'account_settings' }),
      event: { action, credentialId: credential.id, flags: { be: credential.provider.synced, bs: credential.backedUp } },
    });
    return at;
  }

  private maybeRemovePassword(at: number, state: SessionState): void {
    if (this.passwordRemovedAt !== undefined) return;
    if (!this.rng.chance(this.profile.prefersPassword ? 0.003 : this.profile.adoption === 'eager' ? 0.08 : 0.03)) return;
    this.passwordRemovedAt = at;
    this.events.push({ kind: 'passwordRemoved', source: 'api', ctx: this.userCtx(state.device, at + 20 * SECOND, { sessionId: state.sessionId, surface: 'account_settings' }) });
  }

  private stepUp(at: number, state: SessionState): number {
    const key = this.usableOn(state.device, at).find((c) => c.provider.reach === 'security_key');
    if (!key) return at;
    const outcome = this.authenticate(at, state, this.id('flw'), key, { surface: 'step_up', mediation: 'required', ceremonyId: this.rng.uuid() });
    return outcome.at + this.rng.between(2, 10) * SECOND;
  }

  /** The first session after losing a phone: a ticket, and the old device's passkeys tidied up. */
  private afterLostDevice(at: number, state: SessionState): number {
    const lost = this.profile.lostDevice;
    if (!lost || this.lostDeviceHandled || at < lost.at) return at;
    this.lostDeviceHandled = true;
    const holder = this.live(lost.at).length > 0;
    this.maybeTicket(lost.at + this.rng.between(1, 30) * HOUR, 'lost_device', holder ? 0.3 : 0.05);
    for (const credential of this.live(at)) {
      if (credential.deviceKey === lost.deviceKey && credential.provider.reach === 'this_device' && this.rng.chance(0.6)) {
        at = this.deleteCredential(at + this.rng.between(10, 60) * SECOND, state.device, credential, 'deleted_by_user', state.sessionId);
      }
    }
    return at;
  }

  // --- recovery and support ------------------------------------------------------------------

  private recoveryMethod(at: number): RecoveryMethod {
    const p = this.profile;
    if (p.highRisk) {
      const keys = this.live(at).filter((c) => c.provider.reach === 'security_key').length;
      return this.rng.weighted<RecoveryMethod>([
        ['hardware_key', keys >= 2 ? 0.6 : 0],
        ['saved_recovery_code', 0.3],
        ['identity_reproofing', 0.1],
      ]);
    }
    return this.rng.weighted(this.live(at).length > 0 ? HOLDER_RECOVERY : NON_HOLDER_RECOVERY);
  }

  private recovery(t: number, device: SimDevice, options: RecoveryOptions = {}): void {
    const cause = options.cause ?? 'other';
    const flowId = this.id('flw');
    const sessionId = this.id('ses');
    const method = options.method ?? this.recoveryMethod(t);
    const ctx = (when: number) => this.userCtx(device, when, { sessionId, flowId, surface: 'recovery' });
    this.events.push({ kind: 'recovery', source: 'api', ctx: ctx(t), event: { stage: 'started', method } });
    const end = options.end ?? this.rng.weighted<'completed' | 'failed' | 'abandoned'>([
      ['completed', 0.8],
      ['failed', 0.1],
      ['abandoned', 0.1],
    ]);
    const endAt = t + this.rng.logNormal(end === 'abandoned' ? 20 * MINUTE : 6 * MINUTE, 0.7);
    this.events.push({ kind: 'recovery', source: 'api', ctx: ctx(endAt), event: { stage: end, method } });
    if (end === 'failed') {
      this.maybeTicket(endAt, 'recovery', 0.5);
      if (this.rng.chance(0.5)) this.recovery(endAt + this.rng.between(1, 20) * HOUR, device, { cause });
      return;
    }
    if (end === 'abandoned') {
      this.maybeTicket(endAt, 'account_access', 0.02);
      return;
    }
    // Back in: a locked-out passwordless user (or anyone on a capable device, sometimes) sets up a passkey here.
    const state: SessionState = { device, sessionId, stage: stageAt(this.window, endAt) };
    const usableHere = this.usableOn(device, endAt).length > 0;
    if (!usableHere && device.apiAvailable && this.rng.chance(cause === 'locked_out' ? 0.8 : 0.15)) {
      this.register(endAt + this.rng.between(10, 60) * SECOND, state, 'recovery');
    }
  }

  private maybeTicket(afterFailure: number, category: string, probability: number): void {
    if (!this.rng.chance(probability)) return;
    // Most tickets follow the failure within hours; some come days later.
    const delay = this.rng.chance(0.94) ? Math.min(this.rng.exponential(9 * HOUR), 70 * HOUR) : this.rng.between(3.5, 10) * DAY;
    this.ticket(afterFailure + Math.max(5 * MINUTE, delay), category);
  }

  private ticket(openedAt: number, category: string): void {
    this.ticketSeq += 1;
    const ticketId = `tkt_${this.profile.index + 1}_${this.ticketSeq}`;
    const channel = this.rng.weighted(TICKET_CHANNELS);
    const device = this.primaryDevice(openedAt);
    const push = (stage: 'opened' | 'updated' | 'resolved', at: number) =>
      this.events.push({ kind: 'ticket', source: 'api', ctx: this.userCtx(device, at), event: { ticketId, stage, category, channel } });
    push('opened', openedAt);
    let at = openedAt;
    if (this.rng.chance(0.55)) push('updated', (at += this.rng.between(2, 30) * HOUR));
    if (this.rng.chance(0.8)) push('resolved', at + this.rng.between(0.5, 5) * DAY);
  }

  // --- sign-up and high-risk enrolment -------------------------------------------------------

  private signUp(t: number): void {
    const device = this.primaryDevice(t);
    const stage = stageAt(this.window, t);
    const state: SessionState = { device, stage, sessionId: this.id('ses') };
    this.exposure(t, state);
    this.capabilities(t, state);
    if (stage >= 3 && device.apiAvailable && device.uvpaa && this.rng.chance(SIGNUP_PASSKEY[this.profile.adoption])) {
      this.register(t + this.rng.between(20, 90) * SECOND, state, 'signup');
    }
  }

  /** High-risk accounts (admins, finance) enrol attested hardware keys early; most keep a spare. */
  private enrolHighRiskKeys(): void {
    const highRisk = this.profile.highRisk;
    if (!highRisk) return;
    const span = this.window.end - this.window.start;
    let at = this.window.start + this.rng.between(0.005, 0.15) * span;
    const device = this.profile.devices[0] as SimDevice;
    const state: SessionState = { device, stage: stageAt(this.window, at), sessionId: this.id('ses') };
    if (highRisk.setup === 'synced_only') {
      this.register(at, state, 'account_settings', device.model.os === 'macos' ? 'icloud' : 'googlePasswordManager');
      return;
    }
    const keys = highRisk.setup === 'two_keys' ? 2 : 1;
    let enrolled = 0;
    for (let attempt = 0; attempt < 6 && enrolled < keys; attempt++) {
      const result = this.register(at, state, 'account_settings', this.rng.weighted(SECURITY_KEYS));
      if (result.credential) enrolled += 1;
      at = result.at + this.rng.between(0.2, 72) * HOUR;
    }
    // Occasionally a key is lost: the admin revokes it and a replacement is enrolled.
    const keysHeld = this.live(at).filter((c) => c.provider.reach === 'security_key');
    if (keysHeld.length > 0 && this.rng.chance(0.08)) {
      const lostAt = at + this.rng.between(0.2, 0.6) * (this.window.end - at);
      this.deleteCredential(lostAt, device, keysHeld[0] as SimCredential, 'deleted_by_admin');
      this.register(lostAt + this.rng.between(1, 4) * DAY, { ...state, stage: stageAt(this.window, lostAt) }, 'account_settings', this.rng.weighted(SECURITY_KEYS));
    }
  }
}

/** Simulates one user: the same (seed, index, window) always gives the same events. */
export function simulateUser(seed: number, index: number, window: SimulationWindow): UserSimulation {
  const profile = createUserProfile(seed, index, window);
  const journey = new Journey(profile, window, Rng.forKey(seed, index, 2));
  journey.run();
  const events = journey.events.filter((e) => e.ctx.timestamp <= window.end).sort((a, b) => a.ctx.timestamp - b.ctx.timestamp);
  return {
    profile,
    events,
    credentials: journey.credentials,
    passwordRemoved: events.some((e) => e.kind === 'passwordRemoved'),
  };
}
