/**
 * The state one simulated user's journey carries from session to session — the events so far, the
 * user's credentials, what the rollout showed them — and the questions the journey modules ask of
 * it (which device, which credentials work where). The journey itself is in ./simulate-user.ts
 * (sessions), ./sign-in.ts, ./account-settings.ts, ./ceremonies.ts, ./recovery.ts and
 * ./support-tickets.ts; each takes this state as its first argument.
 *
 * Every random draw goes through the one `rng`, in journey order: the same (seed, user index,
 * window) always yields the same events.
 */
import type { ClientFailureReason, PromptOutcome, RecoveryMethod, ServerFailureReason } from '@passkey-rollout/telemetry';
import type { Provider } from './catalog';
import type { SimDevice, UserProfile } from './population';
import type { Rng } from './random';
import type { RolloutStage, SimulationWindow } from './rollout';
import type { SimContext, SimEvent, SimUserContext } from './sim-events';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const CHALLENGE_TIMEOUT = 5 * MINUTE;

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

export type CeremonyOutcome =
  | { result: 'success'; at: number; credential: SimCredential }
  | { result: 'cancelled'; at: number; reason: ClientFailureReason | PromptOutcome }
  | { result: 'failure'; at: number; side: 'client' | 'server'; reason: ClientFailureReason | ServerFailureReason };

export interface RecoveryOptions {
  method?: RecoveryMethod;
  end?: 'completed' | 'failed' | 'abandoned';
  /** Why the user is recovering: a locked-out passwordless user sets up a passkey afterwards. */
  cause?: 'forgot_password' | 'locked_out' | 'other';
}

export interface SessionState {
  device: SimDevice;
  sessionId: string;
  stage: RolloutStage;
}

export class Journey {
  readonly events: SimEvent[] = [];
  readonly credentials: SimCredential[] = [];
  passwordRemovedAt: number | undefined;
  lastUpsellAt = Number.NEGATIVE_INFINITY;
  upsellDismissals = 0;
  exposedStage = 0;
  ticketSeq = 0;
  lostDeviceHandled = false;
  private readonly base: { userId: string; riskTier: UserProfile['riskTier']; environment: string };

  constructor(
    readonly profile: UserProfile,
    readonly window: SimulationWindow,
    readonly rng: Rng,
  ) {
    this.base = { userId: profile.userId, riskTier: profile.riskTier, environment: 'production' };
  }

  // --- context -------------------------------------------------------------------------------

  ctx(device: SimDevice, at: number, extra: Partial<SimContext> = {}): SimContext {
    const m = device.model;
    return {
      ...this.base,
      userAgent: m.userAgent,
      ...(m.explicitClass ? { deviceClass: m.deviceClass, osName: m.osName, osVersion: m.osVersion } : {}),
      ...extra,
      timestamp: Math.round(at),
    };
  }

  userCtx(device: SimDevice, at: number, extra: Partial<SimContext> = {}): SimUserContext {
    return { ...this.ctx(device, at, extra), userId: this.profile.userId };
  }

  id(prefix: string): string {
    return `${prefix}_${this.rng.hex(16)}`;
  }

  // --- devices and credentials ---------------------------------------------------------------

  deviceAt(t: number): SimDevice | undefined {
    const owned = this.profile.devices.filter((d) => d.from <= t && t < d.until);
    if (owned.length === 0) return undefined;
    return this.rng.weighted(owned.map((d) => [d, d.weight] as const));
  }

  primaryDevice(t: number): SimDevice {
    return this.profile.devices.find((d) => d.from <= t && t < d.until) ?? (this.profile.devices[0] as SimDevice);
  }

  reaches(credential: SimCredential, device: SimDevice): boolean {
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
        return (
          m.os === 'macos' ||
          m.os === 'windows' ||
          m.os === 'linux' ||
          m.os === 'chromeos' ||
          credential.provider.transports.includes('nfc')
        );
    }
  }

  live(t: number): SimCredential[] {
    return this.credentials.filter((c) => c.registeredAt <= t && (c.deletedAt === undefined || c.deletedAt > t));
  }

  usableOn(device: SimDevice, t: number): SimCredential[] {
    return this.live(t).filter((c) => this.reaches(c, device));
  }

  staleOn(device: SimDevice, t: number): SimCredential[] {
    return this.credentials.filter((c) => c.deletedAt !== undefined && c.deletedAt <= t && c.staleOnDevice && this.reaches(c, device));
  }

  /** A credential on one of the user's phones, usable from a desktop over hybrid (QR code). */
  hybridCredential(device: SimDevice, t: number): SimCredential | undefined {
    if (device.model.os === 'ios' || device.model.os === 'android') return undefined;
    const phones = this.profile.devices.filter((d) => d.from <= t && t < d.until && d.model.deviceClass.startsWith('mobile'));
    for (const phone of phones) {
      const credential = this.usableOn(phone, t).find((c) => c.provider.reach !== 'security_key');
      if (credential) return credential;
    }
    return undefined;
  }
}
