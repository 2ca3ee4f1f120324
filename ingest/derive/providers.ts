/**
 * provider_name / provider_kind from the authenticator's AAGUID (DESIGN.md section 3).
 *
 * A curated table, not a live feed: every entry was checked against the community
 * passkey-authenticator-aaguids list (github.com/passkeydeveloper/passkey-authenticator-aaguids)
 * or the FIDO MDS-derived security-key list Microsoft publishes. A wrong entry is worse than a
 * missing one — a missing one is just `unknown`. Several AAGUIDs of one product share its name so
 * the dashboard groups them.
 *
 * Kinds: `os_platform` = the store that ships with the OS or browser (not user-installed);
 * `third_party_manager` = an installed password manager; `security_key` = a roaming hardware
 * authenticator. Some providers, and some clients when attestation is `none`, send the all-zero
 * AAGUID, which therefore says nothing: `unknown`.
 */
import type { ProviderKind } from '@/lib/vocabulary';

export interface KnownAuthenticator {
  readonly name: string;
  readonly kind: ProviderKind;
}

const platform = (name: string): KnownAuthenticator => ({ name, kind: 'os_platform' });
const manager = (name: string): KnownAuthenticator => ({ name, kind: 'third_party_manager' });
const key = (name: string): KnownAuthenticator => ({ name, kind: 'security_key' });

export const KNOWN_AUTHENTICATORS: Readonly<Record<string, KnownAuthenticator>> = Object.freeze({
  // OS and browser platform stores
  'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4': platform('Google Password Manager'),
  'adce0002-35bc-c60a-648b-0b25f1f05503': platform('Chrome on Mac'),
  'b5397666-4885-aa6b-cebf-e52262a439a2': platform('Chromium Browser'),
  'fbfc3007-154e-4ecc-8c0b-6e020557d7bd': platform('iCloud Keychain'),
  'dd4ec289-e01d-41c9-bb89-70fa845d4bf2': platform('iCloud Keychain (Managed)'),
  '08987058-cadc-4b81-b6e1-30de50dcbe96': platform('Windows Hello'),
  '9ddd1817-af5a-4672-a2b9-3e3dd95000a9': platform('Windows Hello'),
  '6028b017-b1d4-4c02-b4b3-afcdafc96bb2': platform('Windows Hello'),
  'd3452668-01fd-4c12-926c-83a4204853aa': platform('Microsoft Password Manager'),
  '771b48fd-d3d4-4f74-9232-fc157ab0507a': platform('Edge on Mac'),
  // Preinstalled by the device maker, so it counts as the platform's own store.
  '53414d53-554e-4700-0000-000000000000': platform('Samsung Pass'),

  // Installed password managers
  'bada5566-a7aa-401f-bd96-45619a55120d': manager('1Password'),
  'd548826e-79b4-db40-a3d8-11116f7e8349': manager('Bitwarden'),
  '531126d6-e717-415c-9320-3d9aa6981239': manager('Dashlane'),
  '50726f74-6f6e-5061-7373-50726f746f6e': manager('Proton Pass'),
  'fdb141b2-5d84-443e-8a35-4698c205a502': manager('KeePassXC'),
  'b84e4048-15dc-4dd0-8640-f4f60813c8af': manager('NordPass'),
  'f3809540-7f14-49c1-a8b3-8f813b225541': manager('Enpass'),
  '0ea242b4-43c4-4a1b-8b17-dd6d0b6baec6': manager('Keeper'),

  // Yubico
  'cb69481e-8ff7-4039-93ec-0a2729a154a8': key('YubiKey 5 Series'),
  'ee882879-721c-4913-9775-3dfcce97072a': key('YubiKey 5 Series'),
  'fa2b99dc-9e39-4257-8f92-4a30d23c4118': key('YubiKey 5 Series with NFC'),
  '2fc0579f-8113-47ea-b116-bb5a8db9202a': key('YubiKey 5 Series with NFC'),
  'c5ef55ff-ad9a-4b9f-b580-adebafe026d0': key('YubiKey 5 Series with Lightning'),
  '73bb0cd4-e502-49b8-9c6f-b59445bf720b': key('YubiKey 5 FIPS Series'),
  'c1f9a0bc-1dd2-404a-b27f-8e29047a43fd': key('YubiKey 5 FIPS Series with NFC'),
  '85203421-48f9-4355-9bc8-8a53846e5083': key('YubiKey 5 FIPS Series with Lightning'),
  'd8522d9f-575b-4866-88a9-ba99fa02f35b': key('YubiKey Bio Series'),
  '83c47309-aabb-4108-8470-8be838b573cb': key('YubiKey Bio Series'),
  'b92c3f9a-c014-4056-887f-140a2501163b': key('Security Key by Yubico'),
  'f8a011f3-8c0a-4d15-8006-17111f9edc7d': key('Security Key by Yubico'),
  '149a2021-8ef6-4133-96b8-81f8d5b7f1f5': key('Security Key by Yubico with NFC'),
  '6d44ba9b-f6ec-2e49-b930-0c8fe920cb73': key('Security Key by Yubico with NFC'),
  'a4e9fc6d-4cbe-4758-b8ba-37598bb5bbaa': key('Security Key NFC by Yubico'),
  '0bb43545-fd2c-4185-87dd-feb0b2916ace': key('Security Key NFC by Yubico'),

  // Google
  '42b4fb4a-2866-43b2-9bf7-6c6669c2e5d3': key('Google Titan Security Key v2'),

  // Feitian
  '12ded745-4bed-47d4-abaa-e713f51d6393': key('Feitian AllinOne FIDO2 Authenticator'),
  '77010bd7-212a-4fc9-b236-d2ca5e9d4084': key('Feitian BioPass FIDO2 Authenticator'),
  'b6ede29c-3772-412c-8a78-539c1f4c62d2': key('Feitian BioPass FIDO2 Plus Authenticator'),
  '833b721a-ff5f-4d00-bb2e-bdda3ec01e29': key('Feitian ePass FIDO2 Authenticator'),
  'ee041bce-25e5-4cdb-8f86-897fd6418464': key('Feitian ePass FIDO2-NFC Authenticator'),
  '3e22415d-7fdf-4ea4-8a0c-dd60c4249b9d': key('Feitian iePass FIDO Authenticator'),

  // SoloKeys, Nitrokey, Token2, OnlyKey, HID
  '8876631b-d4a0-427f-5773-0ec71c9e0279': key('SoloKeys Solo'),
  '8976631b-d4a0-427f-5773-0ec71c9e0279': key('SoloKeys Solo Tap'),
  '9876631b-d4a0-427f-5773-0ec71c9e0279': key('SoloKeys Somu'),
  '2cd2f727-f6ca-44da-8f48-5c2e5da000a2': key('Nitrokey 3'),
  'ab32f0c6-2239-afbb-c470-d2ef4e254db7': key('TOKEN2 FIDO2 Security Key'),
  'eabb46cc-e241-80bf-ae9e-96fa6d2975cf': key('TOKEN2 PIN Plus Security Key'),
  '998f358b-2dd2-4cbe-a43a-e8107438dfb3': key('OnlyKey'),
  '692db549-7ae5-44d5-a1e5-dd20a493b723': key('HID Crescendo Key'),
  '2d3bec26-15ee-4f5d-88b2-53622490270b': key('HID Crescendo Key V2'),
});

export const ZERO_AAGUID = '00000000-0000-0000-0000-000000000000';

const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BARE_HEX = /^[0-9a-f]{32}$/;
// 16 bytes = 22 base64 characters, plus "==" when padded; base64url swaps +/ for -_.
const BASE64_16_BYTES = /^[A-Za-z0-9+/_-]{22}(?:==)?$/;

/**
 * Canonical lowercase dashed AAGUID from 32 hex digits (dashed or not, any case) or the base64 /
 * base64url encoding of the 16 raw bytes; '' when absent or not one of those.
 */
export function normalizeAaguid(value: string | undefined): string {
  const raw = value?.trim();
  if (!raw) return '';
  const lower = raw.toLowerCase();
  if (CANONICAL.test(lower)) return lower;
  const hex = BARE_HEX.test(lower) ? lower : base64ToHex(raw);
  if (!hex) return '';
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function base64ToHex(value: string): string {
  if (!BASE64_16_BYTES.test(value)) return '';
  // Node's decoder accepts both alphabets.
  const bytes = Buffer.from(value, 'base64');
  return bytes.length === 16 ? bytes.toString('hex') : '';
}

export function deriveProvider(aaguid: string | undefined): { providerName: string; providerKind: ProviderKind; aaguid: string } {
  const canonical = normalizeAaguid(aaguid);
  const known = canonical ? KNOWN_AUTHENTICATORS[canonical] : undefined;
  return known
    ? { providerName: known.name, providerKind: known.kind, aaguid: canonical }
    : { providerName: 'unknown', providerKind: 'unknown', aaguid: canonical };
}
