/**
 * What the simulated population is made of: devices with real user agents per device class, the
 * passkey providers each platform offers (AAGUIDs from the ingest's curated table, so the
 * dashboard names them), and each platform's failure profile.
 *
 * The failure profiles are where the demo's story lives: most platforms fail rarely; desktop Linux
 * and a few older Android phones fail quietly more often (algorithm / authenticator errors, UV not
 * performed), small enough in number to stay under a stage gate's minimum sample.
 */
import { KNOWN_AUTHENTICATORS } from '@/ingest/derive/providers';
import type { AuthenticatorAttachment, ClientFailureReason, DeviceClass, ServerFailureReason } from '@passkey-rollout/telemetry';
import type { Weighted } from './random';

export type OsFamily = 'ios' | 'android' | 'macos' | 'windows' | 'linux' | 'chromeos';
export type BrowserFamily = 'safari' | 'chrome' | 'edge' | 'firefox' | 'samsung';

/** How a device behaves in ceremonies: `flaky` platforms fail more, quietly. */
export type DeviceQuirk = 'none' | 'flaky';

export interface DeviceModel {
  readonly id: string;
  readonly deviceClass: DeviceClass;
  readonly os: OsFamily;
  readonly browser: BrowserFamily;
  readonly userAgent: string;
  /** Sent as `device.class` when the user agent alone cannot tell (iPadOS sends a macOS UA). */
  readonly explicitClass?: boolean;
  readonly osName?: string;
  readonly osVersion?: string;
  readonly samsung?: boolean;
  readonly quirk: DeviceQuirk;
  /** Share of such devices with a user-verifying platform authenticator. */
  readonly uvpaa: number;
  readonly conditionalGet: boolean;
}

const IOS_SAFARI_18 =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';
const IOS_SAFARI_17 =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1';
const IOS_CHROME =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1';
const IPAD_LEGACY =
  'Mozilla/5.0 (iPad; CPU OS 16_7_10 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1';
const MAC_SAFARI =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15';
const MAC_CHROME =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const MAC_FIREFOX = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0';
const PIXEL_CHROME =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
const ANDROID_REDUCED =
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
const GALAXY_SAMSUNG =
  'Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36';
const GALAXY_A_CHROME =
  'Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.107 Mobile Safari/537.36';
const REDMI_OLD =
  'Mozilla/5.0 (Linux; Android 10; Redmi Note 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.5414.118 Mobile Safari/537.36';
const MOTO_OLD =
  'Mozilla/5.0 (Linux; Android 11; moto g(9) play) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.5615.136 Mobile Safari/537.36';
const GALAXY_TAB =
  'Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const LENOVO_TAB =
  'Mozilla/5.0 (Linux; Android 13; Lenovo TB-J616F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';
const WIN_CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const WIN_EDGE =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0';
const WIN_FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const LINUX_CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const UBUNTU_FIREFOX = 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const FEDORA_FIREFOX = 'Mozilla/5.0 (X11; Fedora; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0';
const CHROMEOS = 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

const model = (m: Omit<DeviceModel, 'quirk' | 'uvpaa' | 'conditionalGet'> & Partial<DeviceModel>): DeviceModel => ({
  quirk: 'none',
  uvpaa: 0.99,
  conditionalGet: true,
  ...m,
});

export const DEVICE_MODELS: readonly DeviceModel[] = [
  model({ id: 'iphone-safari-18', deviceClass: 'mobile-ios', os: 'ios', browser: 'safari', userAgent: IOS_SAFARI_18 }),
  model({ id: 'iphone-safari-17', deviceClass: 'mobile-ios', os: 'ios', browser: 'safari', userAgent: IOS_SAFARI_17 }),
  model({ id: 'iphone-chrome', deviceClass: 'mobile-ios', os: 'ios', browser: 'chrome', userAgent: IOS_CHROME }),
  model({
    id: 'ipad-safari',
    deviceClass: 'tablet-ipados',
    os: 'ios',
    browser: 'safari',
    userAgent: MAC_SAFARI,
    explicitClass: true,
    osName: 'iOS',
    osVersion: '18.1',
  }),
  model({ id: 'ipad-legacy', deviceClass: 'tablet-ipados', os: 'ios', browser: 'safari', userAgent: IPAD_LEGACY, conditionalGet: false }),
  model({ id: 'mac-safari', deviceClass: 'desktop-macos', os: 'macos', browser: 'safari', userAgent: MAC_SAFARI }),
  model({ id: 'mac-chrome', deviceClass: 'desktop-macos', os: 'macos', browser: 'chrome', userAgent: MAC_CHROME }),
  model({ id: 'mac-firefox', deviceClass: 'desktop-macos', os: 'macos', browser: 'firefox', userAgent: MAC_FIREFOX, uvpaa: 0.97 }),
  model({ id: 'pixel-chrome', deviceClass: 'mobile-android', os: 'android', browser: 'chrome', userAgent: PIXEL_CHROME }),
  model({ id: 'android-chrome', deviceClass: 'mobile-android', os: 'android', browser: 'chrome', userAgent: ANDROID_REDUCED, uvpaa: 0.97 }),
  model({ id: 'galaxy-samsung', deviceClass: 'mobile-android', os: 'android', browser: 'samsung', userAgent: GALAXY_SAMSUNG, samsung: true }),
  model({ id: 'galaxy-a-chrome', deviceClass: 'mobile-android', os: 'android', browser: 'chrome', userAgent: GALAXY_A_CHROME, samsung: true }),
  model({
    id: 'redmi-old',
    deviceClass: 'mobile-android',
    os: 'android',
    browser: 'chrome',
    userAgent: REDMI_OLD,
    quirk: 'flaky',
    uvpaa: 0.85,
    conditionalGet: false,
  }),
  model({
    id: 'moto-old',
    deviceClass: 'mobile-android',
    os: 'android',
    browser: 'chrome',
    userAgent: MOTO_OLD,
    quirk: 'flaky',
    uvpaa: 0.88,
    conditionalGet: false,
  }),
  model({ id: 'galaxy-tab', deviceClass: 'tablet-android', os: 'android', browser: 'chrome', userAgent: GALAXY_TAB, samsung: true }),
  model({ id: 'lenovo-tab', deviceClass: 'tablet-android', os: 'android', browser: 'chrome', userAgent: LENOVO_TAB, uvpaa: 0.9 }),
  model({ id: 'win-chrome', deviceClass: 'desktop-windows', os: 'windows', browser: 'chrome', userAgent: WIN_CHROME, uvpaa: 0.86 }),
  model({ id: 'win-edge', deviceClass: 'desktop-windows', os: 'windows', browser: 'edge', userAgent: WIN_EDGE, uvpaa: 0.88 }),
  model({ id: 'win-firefox', deviceClass: 'desktop-windows', os: 'windows', browser: 'firefox', userAgent: WIN_FIREFOX, uvpaa: 0.84 }),
  // Linux has no platform authenticator: passkeys come from Chrome's password manager, an
  // installed manager or a security key, and fail more (quietly: few users).
  model({ id: 'linux-chrome', deviceClass: 'desktop-linux', os: 'linux', browser: 'chrome', userAgent: LINUX_CHROME, uvpaa: 0.05, quirk: 'flaky' }),
  model({
    id: 'ubuntu-firefox',
    deviceClass: 'desktop-linux',
    os: 'linux',
    browser: 'firefox',
    userAgent: UBUNTU_FIREFOX,
    uvpaa: 0,
    conditionalGet: false,
    quirk: 'flaky',
  }),
  model({
    id: 'fedora-firefox',
    deviceClass: 'desktop-linux',
    os: 'linux',
    browser: 'firefox',
    userAgent: FEDORA_FIREFOX,
    uvpaa: 0,
    conditionalGet: false,
    quirk: 'flaky',
  }),
  model({ id: 'chromebook', deviceClass: 'desktop-chromeos', os: 'chromeos', browser: 'chrome', userAgent: CHROMEOS, uvpaa: 0.93 }),
];

const MODELS_BY_ID = new Map(DEVICE_MODELS.map((m) => [m.id, m]));
export function deviceModel(id: string): DeviceModel {
  const found = MODELS_BY_ID.get(id);
  if (!found) throw new Error(`unknown device model ${id}`);
  return found;
}

/** Which model a device of a class is (market-share-like weights). */
export const MODELS_BY_CLASS: Readonly<Record<Exclude<DeviceClass, 'other'>, Weighted<string>>> = {
  'mobile-ios': [
    ['iphone-safari-18', 0.62],
    ['iphone-safari-17', 0.26],
    ['iphone-chrome', 0.12],
  ],
  'tablet-ipados': [
    ['ipad-safari', 0.8],
    ['ipad-legacy', 0.2],
  ],
  'desktop-macos': [
    ['mac-safari', 0.5],
    ['mac-chrome', 0.42],
    ['mac-firefox', 0.08],
  ],
  'mobile-android': [
    ['pixel-chrome', 0.21],
    ['android-chrome', 0.32],
    ['galaxy-samsung', 0.19],
    ['galaxy-a-chrome', 0.21],
    ['redmi-old', 0.04],
    ['moto-old', 0.03],
  ],
  'tablet-android': [
    ['galaxy-tab', 0.65],
    ['lenovo-tab', 0.35],
  ],
  'desktop-windows': [
    ['win-chrome', 0.6],
    ['win-edge', 0.3],
    ['win-firefox', 0.1],
  ],
  'desktop-linux': [
    ['linux-chrome', 0.55],
    ['ubuntu-firefox', 0.3],
    ['fedora-firefox', 0.15],
  ],
  'desktop-chromeos': [['chromebook', 1]],
};

export type SimDeviceClass = keyof typeof MODELS_BY_CLASS;

// ---------------------------------------------------------------------------------------------
// Providers

/** Where a provider's passkeys can be used from: one ecosystem, any device, or only the device that made it. */
export type Reach = 'apple' | 'google' | 'samsung' | 'microsoft' | 'installed_manager' | 'this_device' | 'security_key';

export interface Provider {
  readonly name: string;
  readonly aaguid: string;
  readonly synced: boolean;
  readonly attestationFormat: 'none' | 'packed';
  readonly attachment: AuthenticatorAttachment;
  readonly transports: readonly string[];
  readonly reach: Reach;
}

function aaguidOf(name: string, index = 0): string {
  const matches = Object.entries(KNOWN_AUTHENTICATORS).filter(([, known]) => known.name === name);
  const match = matches[index];
  if (!match) throw new Error(`no AAGUID for ${name} in KNOWN_AUTHENTICATORS`);
  return match[0];
}

const synced = (name: string, reach: Reach): Provider => ({
  name,
  aaguid: aaguidOf(name),
  synced: true,
  attestationFormat: 'none',
  attachment: 'platform',
  transports: ['internal', 'hybrid'],
  reach,
});

export const PROVIDERS = {
  icloud: synced('iCloud Keychain', 'apple'),
  googlePasswordManager: synced('Google Password Manager', 'google'),
  samsungPass: synced('Samsung Pass', 'samsung'),
  microsoftPasswordManager: synced('Microsoft Password Manager', 'microsoft'),
  onePassword: synced('1Password', 'installed_manager'),
  bitwarden: synced('Bitwarden', 'installed_manager'),
  windowsHello: {
    name: 'Windows Hello',
    aaguid: aaguidOf('Windows Hello'),
    synced: false,
    attestationFormat: 'none',
    attachment: 'platform',
    transports: ['internal'],
    reach: 'this_device',
  },
  chromeOnMac: {
    name: 'Chrome on Mac',
    aaguid: aaguidOf('Chrome on Mac'),
    synced: false,
    attestationFormat: 'none',
    attachment: 'platform',
    transports: ['internal'],
    reach: 'this_device',
  },
  yubikey5Nfc: securityKey('YubiKey 5 Series with NFC', ['usb', 'nfc']),
  yubikey5: securityKey('YubiKey 5 Series', ['usb']),
  yubicoSecurityKeyNfc: securityKey('Security Key NFC by Yubico', ['usb', 'nfc']),
  titan: securityKey('Google Titan Security Key v2', ['usb', 'nfc']),
  feitian: securityKey('Feitian ePass FIDO2-NFC Authenticator', ['usb', 'nfc']),
} as const satisfies Record<string, Provider>;

function securityKey(name: string, transports: string[]): Provider {
  return {
    name,
    aaguid: aaguidOf(name),
    synced: false,
    attestationFormat: 'packed',
    attachment: 'cross-platform',
    transports,
    reach: 'security_key',
  };
}

export type ProviderKey = keyof typeof PROVIDERS;

export const SECURITY_KEYS: Weighted<ProviderKey> = [
  ['yubikey5Nfc', 0.5],
  ['yubikey5', 0.15],
  ['yubicoSecurityKeyNfc', 0.15],
  ['titan', 0.12],
  ['feitian', 0.08],
];

/** Which provider answers a registration on a device (what the OS / browser offers first). */
export function providerChoices(model: DeviceModel): Weighted<ProviderKey> {
  switch (model.os) {
    case 'ios':
      return model.browser === 'chrome'
        ? [['icloud', 0.7], ['googlePasswordManager', 0.18], ['onePassword', 0.08], ['bitwarden', 0.04]]
        : [['icloud', 0.88], ['onePassword', 0.08], ['bitwarden', 0.04]];
    case 'macos':
      if (model.browser === 'chrome') {
        return [['googlePasswordManager', 0.5], ['icloud', 0.27], ['chromeOnMac', 0.05], ['onePassword', 0.12], ['bitwarden', 0.06]];
      }
      return [['icloud', 0.86], ['onePassword', 0.1], ['bitwarden', 0.04]];
    case 'android':
      if (model.samsung && model.browser === 'samsung') return [['samsungPass', 0.55], ['googlePasswordManager', 0.4], ['onePassword', 0.05]];
      if (model.samsung) return [['googlePasswordManager', 0.72], ['samsungPass', 0.22], ['bitwarden', 0.06]];
      return [['googlePasswordManager', 0.9], ['onePassword', 0.05], ['bitwarden', 0.05]];
    case 'windows':
      if (model.browser === 'edge') {
        return [['windowsHello', 0.62], ['microsoftPasswordManager', 0.14], ['onePassword', 0.1], ['bitwarden', 0.06], ['yubikey5Nfc', 0.08]];
      }
      if (model.browser === 'firefox') return [['windowsHello', 0.78], ['onePassword', 0.1], ['bitwarden', 0.05], ['yubikey5Nfc', 0.07]];
      return [['googlePasswordManager', 0.45], ['windowsHello', 0.36], ['onePassword', 0.08], ['bitwarden', 0.05], ['yubikey5Nfc', 0.06]];
    case 'linux':
      return model.browser === 'chrome'
        ? [['googlePasswordManager', 0.6], ['bitwarden', 0.18], ['onePassword', 0.08], ['yubikey5Nfc', 0.14]]
        : [['yubikey5Nfc', 0.3], ['yubikey5', 0.1], ['bitwarden', 0.38], ['onePassword', 0.22]];
    case 'chromeos':
      return [['googlePasswordManager', 0.9], ['yubikey5Nfc', 0.1]];
  }
}

// ---------------------------------------------------------------------------------------------
// Failure profiles

export interface FailureProfile {
  /** Non-cancel browser errors (probability and reasons). */
  clientError: number;
  clientReasons: Weighted<ClientFailureReason>;
  /** Server verification failures after a successful prompt. */
  serverFailure: number;
  serverReasons: Weighted<ServerFailureReason>;
}

/** The DOMException a client failure reason is classified from (DESIGN.md section 3). */
export const ERROR_TYPE_OF_REASON: Readonly<Record<ClientFailureReason, string>> = {
  user_cancelled_or_timed_out: 'NotAllowedError',
  credential_excluded: 'InvalidStateError',
  rp_id_invalid: 'SecurityError',
  aborted_by_rp: 'AbortError',
  aborted_by_browser: 'AbortError',
  algorithm_unsupported: 'NotSupportedError',
  constraint_unsatisfied: 'ConstraintError',
  unknown_authenticator_error: 'UnknownError',
  invalid_options: 'TypeError',
  other: 'Error',
};

const REGISTRATION_PROFILES: Readonly<Record<DeviceQuirk, FailureProfile>> = {
  none: {
    clientError: 0.006,
    clientReasons: [
      ['unknown_authenticator_error', 0.45],
      ['constraint_unsatisfied', 0.3],
      ['algorithm_unsupported', 0.05],
      ['other', 0.2],
    ],
    serverFailure: 0.007,
    serverReasons: [
      ['challenge_expired', 0.35],
      ['user_not_verified', 0.25],
      ['malformed_response', 0.1],
      ['challenge_mismatch', 0.1],
      ['internal_error', 0.1],
      ['origin_mismatch', 0.1],
    ],
  },
  flaky: {
    clientError: 0.09,
    clientReasons: [
      ['unknown_authenticator_error', 0.4],
      ['algorithm_unsupported', 0.28],
      ['rp_id_invalid', 0.12],
      ['constraint_unsatisfied', 0.1],
      ['other', 0.1],
    ],
    serverFailure: 0.035,
    serverReasons: [
      ['user_not_verified', 0.45],
      ['attestation_untrusted', 0.2],
      ['origin_mismatch', 0.15],
      ['malformed_response', 0.1],
      ['challenge_expired', 0.1],
    ],
  },
};

const AUTHENTICATION_PROFILES: Readonly<Record<DeviceQuirk, FailureProfile>> = {
  none: {
    clientError: 0.004,
    clientReasons: [
      ['unknown_authenticator_error', 0.5],
      ['constraint_unsatisfied', 0.2],
      ['other', 0.3],
    ],
    serverFailure: 0.006,
    serverReasons: [
      ['challenge_expired', 0.3],
      ['user_not_verified', 0.25],
      ['challenge_mismatch', 0.12],
      ['origin_mismatch', 0.08],
      ['bad_signature', 0.05],
      ['credential_user_mismatch', 0.05],
      ['internal_error', 0.15],
    ],
  },
  flaky: {
    clientError: 0.045,
    clientReasons: [
      ['unknown_authenticator_error', 0.55],
      ['algorithm_unsupported', 0.1],
      ['rp_id_invalid', 0.15],
      ['other', 0.2],
    ],
    serverFailure: 0.025,
    serverReasons: [
      ['user_not_verified', 0.5],
      ['origin_mismatch', 0.2],
      ['malformed_response', 0.15],
      ['challenge_expired', 0.15],
    ],
  },
};

export function failureProfile(type: 'registration' | 'authentication', quirk: DeviceQuirk): FailureProfile {
  return type === 'registration' ? REGISTRATION_PROFILES[quirk] : AUTHENTICATION_PROFILES[quirk];
}

export const RP_ID = 'acme.example';
export const ORIGIN = 'https://acme.example';
/** The origin a misconfigured Android app's WebView claims (an origin_mismatch). */
export const ANDROID_APP_ORIGIN = 'android:apk-key-hash:Zm9vYmFyLXNpZ25pbmcta2V5LWhhc2g';
