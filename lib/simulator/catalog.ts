/**
 * What the simulated population is made of: devices with real user agents per device class
 * (./device-models.ts), the passkey providers each platform offers (here; AAGUIDs from the
 * ingest's curated table, so the dashboard names them), and each platform's failure profile
 * (./failure-profiles.ts).
 */
import { KNOWN_AUTHENTICATORS } from '@/ingest/derive/providers';
import type { AuthenticatorAttachment } from '@passkey-rollout/telemetry';
import type { DeviceModel } from './device-models';
import type { Weighted } from './random';

export {
  DEVICE_MODELS,
  deviceModel,
  MODELS_BY_CLASS,
  type BrowserFamily,
  type DeviceModel,
  type DeviceQuirk,
  type OsFamily,
  type SimDeviceClass,
} from './device-models';
export { ERROR_TYPE_OF_REASON, failureProfile, type FailureProfile } from './failure-profiles';

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
        ? [
            ['icloud', 0.7],
            ['googlePasswordManager', 0.18],
            ['onePassword', 0.08],
            ['bitwarden', 0.04],
          ]
        : [
            ['icloud', 0.88],
            ['onePassword', 0.08],
            ['bitwarden', 0.04],
          ];
    case 'macos':
      if (model.browser === 'chrome') {
        return [
          ['googlePasswordManager', 0.5],
          ['icloud', 0.27],
          ['chromeOnMac', 0.05],
          ['onePassword', 0.12],
          ['bitwarden', 0.06],
        ];
      }
      return [
        ['icloud', 0.86],
        ['onePassword', 0.1],
        ['bitwarden', 0.04],
      ];
    case 'android':
      if (model.samsung && model.browser === 'samsung')
        return [
          ['samsungPass', 0.55],
          ['googlePasswordManager', 0.4],
          ['onePassword', 0.05],
        ];
      if (model.samsung)
        return [
          ['googlePasswordManager', 0.72],
          ['samsungPass', 0.22],
          ['bitwarden', 0.06],
        ];
      return [
        ['googlePasswordManager', 0.9],
        ['onePassword', 0.05],
        ['bitwarden', 0.05],
      ];
    case 'windows':
      if (model.browser === 'edge') {
        return [
          ['windowsHello', 0.62],
          ['microsoftPasswordManager', 0.14],
          ['onePassword', 0.1],
          ['bitwarden', 0.06],
          ['yubikey5Nfc', 0.08],
        ];
      }
      if (model.browser === 'firefox')
        return [
          ['windowsHello', 0.78],
          ['onePassword', 0.1],
          ['bitwarden', 0.05],
          ['yubikey5Nfc', 0.07],
        ];
      return [
        ['googlePasswordManager', 0.45],
        ['windowsHello', 0.36],
        ['onePassword', 0.08],
        ['bitwarden', 0.05],
        ['yubikey5Nfc', 0.06],
      ];
    case 'linux':
      return model.browser === 'chrome'
        ? [
            ['googlePasswordManager', 0.6],
            ['bitwarden', 0.18],
            ['onePassword', 0.08],
            ['yubikey5Nfc', 0.14],
          ]
        : [
            ['yubikey5Nfc', 0.3],
            ['yubikey5', 0.1],
            ['bitwarden', 0.38],
            ['onePassword', 0.22],
          ];
    case 'chromeos':
      return [
        ['googlePasswordManager', 0.9],
        ['yubikey5Nfc', 0.1],
      ];
  }
}

export const RP_ID = 'acme.example';
export const ORIGIN = 'https://acme.example';
/** The origin a misconfigured Android app's WebView claims (an origin_mismatch). */
export const ANDROID_APP_ORIGIN = 'android:apk-key-hash:Zm9vYmFyLXNpZ25pbmcta2V5LWhhc2g';
