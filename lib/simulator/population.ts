/**
 * Who the simulated users are: devices (many on two or more device classes, e.g. an iPhone and a
 * Windows laptop), how often they sign in, how willing they are to adopt passkeys, the sign-in
 * method they fall back to, and the few high-risk accounts with hardware security keys.
 */
import type { AuthMethod, RiskTier } from '@passkey-rollout/telemetry';
import { deviceModel, MODELS_BY_CLASS, type DeviceModel, type SimDeviceClass } from './device-models';
import { Rng, type Weighted } from './random';
import type { SimulationWindow } from './rollout';

const DAY_MS = 86_400_000;

export interface SimDevice {
  /** Position in the user's device list. */
  readonly key: number;
  readonly model: DeviceModel;
  readonly uvpaa: boolean;
  /** WebAuthn present at all (a few embedded browsers / locked-down machines have none). */
  readonly apiAvailable: boolean;
  /** Relative share of the user's sessions. */
  readonly weight: number;
  /** When the user had the device (epoch ms); a lost device ends, its replacement starts. */
  readonly from: number;
  readonly until: number;
}

/** How the user takes to passkeys. */
export type Adoption = 'eager' | 'open' | 'reluctant' | 'never';

export type HighRiskSetup = 'two_keys' | 'one_key' | 'synced_only';

export interface UserProfile {
  readonly index: number;
  readonly userId: string;
  readonly riskTier: RiskTier;
  /** First activity (the window start for existing users; later for sign-ups). */
  readonly joinedAt: number;
  readonly signedUpInWindow: boolean;
  /** Last activity (before the end for users who churn). */
  readonly leavesAt: number;
  readonly sessionsPerDay: number;
  readonly adoption: Adoption;
  /** A holder who keeps typing the password out of habit. */
  readonly prefersPassword: boolean;
  /** The non-passkey method the user signs in with. */
  readonly fallbackMethod: AuthMethod;
  /** Password-manager passkeys reach all the user's devices (the manager is installed everywhere). */
  readonly managerEverywhere: boolean;
  /** Signed into Chrome on desktops, so Google Password Manager passkeys reach them. */
  readonly chromeSync: boolean;
  readonly devices: readonly SimDevice[];
  /** Set when the user loses a device during the window. */
  readonly lostDevice?: { readonly deviceKey: number; readonly at: number };
  readonly highRisk?: { readonly setup: HighRiskSetup; readonly phishableRecovery: boolean };
}

export const HIGH_RISK_SHARE = 0.015;

const PRIMARY_CLASS: Weighted<SimDeviceClass> = [
  ['mobile-ios', 0.3],
  ['mobile-android', 0.28],
  ['desktop-windows', 0.2],
  ['desktop-macos', 0.09],
  ['desktop-linux', 0.04],
  ['desktop-chromeos', 0.03],
  ['tablet-ipados', 0.04],
  ['tablet-android', 0.02],
];

/** The second device class given the first: phones pair with laptops, laptops with phones. */
function secondClass(primary: SimDeviceClass): Weighted<SimDeviceClass> {
  switch (primary) {
    case 'mobile-ios':
      return [
        ['desktop-windows', 0.46],
        ['desktop-macos', 0.38],
        ['desktop-linux', 0.05],
        ['desktop-chromeos', 0.03],
        ['tablet-ipados', 0.08],
      ];
    case 'mobile-android':
      return [
        ['desktop-windows', 0.62],
        ['desktop-macos', 0.1],
        ['desktop-linux', 0.1],
        ['desktop-chromeos', 0.12],
        ['tablet-android', 0.06],
      ];
    case 'tablet-ipados':
      return [
        ['mobile-ios', 0.85],
        ['mobile-android', 0.15],
      ];
    case 'tablet-android':
      return [
        ['mobile-android', 0.85],
        ['mobile-ios', 0.15],
      ];
    case 'desktop-macos':
      return [
        ['mobile-ios', 0.8],
        ['mobile-android', 0.2],
      ];
    case 'desktop-windows':
      return [
        ['mobile-ios', 0.45],
        ['mobile-android', 0.55],
      ];
    case 'desktop-linux':
      return [
        ['mobile-android', 0.6],
        ['mobile-ios', 0.4],
      ];
    case 'desktop-chromeos':
      return [
        ['mobile-android', 0.8],
        ['mobile-ios', 0.2],
      ];
  }
}

function thirdClass(classes: SimDeviceClass[]): Weighted<SimDeviceClass> {
  const apple = classes.some((c) => c === 'mobile-ios' || c === 'desktop-macos');
  // A work laptop, or a tablet of the phone's family.
  return apple
    ? [
        ['desktop-windows', 0.6],
        ['tablet-ipados', 0.4],
      ]
    : [
        ['desktop-windows', 0.5],
        ['tablet-android', 0.3],
        ['desktop-chromeos', 0.2],
      ];
}

const FALLBACK_METHODS: Weighted<AuthMethod> = [
  ['password', 0.72],
  ['password_otp', 0.15],
  ['social', 0.08],
  ['email_link', 0.03],
  ['sms_code', 0.02],
];

const ADOPTION: Weighted<Adoption> = [
  ['eager', 0.13],
  ['open', 0.45],
  ['reluctant', 0.32],
  ['never', 0.1],
];

/** Sessions per day: light, regular, frequent and power users. */
const ACTIVITY: Weighted<number> = [
  [0.05, 0.22],
  [0.2, 0.5],
  [0.55, 0.23],
  [1.2, 0.05],
];

export function userIdOf(index: number): string {
  return `usr_${String(index + 1).padStart(6, '0')}`;
}

function device(rng: Rng, key: number, deviceClass: SimDeviceClass, weight: number, from: number, until: number): SimDevice {
  const model = deviceModel(rng.weighted(MODELS_BY_CLASS[deviceClass]));
  return { key, model, uvpaa: rng.chance(model.uvpaa), apiAvailable: !rng.chance(0.008), weight, from, until };
}

export function createUserProfile(seed: number, index: number, window: SimulationWindow): UserProfile {
  const rng = Rng.forKey(seed, index, 1);
  const span = window.end - window.start;
  const highRisk = rng.chance(HIGH_RISK_SHARE);
  const signedUpInWindow = !highRisk && rng.chance(0.08);
  const joinedAt = signedUpInWindow ? window.start + rng.between(0.02, 0.95) * span : window.start;
  const churns = rng.chance(0.08);
  const leavesAt = churns ? joinedAt + rng.between(0.1, 0.8) * (window.end - joinedAt) : window.end;

  const classes: SimDeviceClass[] = [];
  const primary = highRisk
    ? rng.weighted<SimDeviceClass>([
        ['desktop-windows', 0.6],
        ['desktop-macos', 0.4],
      ])
    : rng.weighted(PRIMARY_CLASS);
  classes.push(primary);
  if (highRisk || rng.chance(0.66)) classes.push(rng.weighted(secondClass(primary)));
  if (classes.length === 2 && rng.chance(0.15)) {
    const third = rng.weighted(thirdClass(classes));
    if (!classes.includes(third)) classes.push(third);
  }
  // Some users barely touch their second device (a phone used once to set up a passkey).
  const weights = [1, rng.chance(0.2) ? 0.03 : 0.25 + rng.next() * 0.6, 0.1 + rng.next() * 0.2];
  const devices: SimDevice[] = classes.map((c, key) => device(rng, key, c, weights[key] ?? 0.1, joinedAt, window.end));

  let lostDevice: UserProfile['lostDevice'];
  const phoneKey = devices.find((d) => d.model.deviceClass.startsWith('mobile'))?.key;
  if (rng.chance(highRisk ? 0.1 : 0.025)) {
    const lostKey = phoneKey ?? 0;
    const at = joinedAt + rng.between(0.15, 0.9) * (window.end - joinedAt);
    const lost = devices[lostKey] as SimDevice;
    // The replacement is the same kind of device (a new iPhone for a lost iPhone), a day or three later.
    const replacement = device(
      rng,
      devices.length,
      lost.model.deviceClass as SimDeviceClass,
      lost.weight,
      at + rng.between(1, 3) * DAY_MS,
      window.end,
    );
    devices[lostKey] = { ...lost, until: at };
    devices.push(replacement);
    lostDevice = { deviceKey: lostKey, at };
  }

  return {
    index,
    userId: userIdOf(index),
    riskTier: highRisk ? 'high' : 'standard',
    joinedAt,
    signedUpInWindow,
    leavesAt,
    sessionsPerDay: highRisk ? 0.9 : rng.weighted(ACTIVITY) * rng.between(0.7, 1.3),
    adoption: highRisk ? 'eager' : rng.weighted(ADOPTION),
    prefersPassword: rng.chance(0.16),
    fallbackMethod: highRisk ? 'password_otp' : rng.weighted(FALLBACK_METHODS),
    managerEverywhere: rng.chance(0.85),
    chromeSync: rng.chance(0.8),
    devices,
    lostDevice,
    highRisk: highRisk
      ? {
          setup: rng.weighted<HighRiskSetup>([
            ['two_keys', 0.8],
            ['one_key', 0.16],
            ['synced_only', 0.04],
          ]),
          phishableRecovery: rng.chance(0.02),
        }
      : undefined,
  };
}
