import { describe, expect, it } from 'vitest';
import { deriveProvider, KNOWN_AUTHENTICATORS, normalizeAaguid, ZERO_AAGUID } from '@/ingest/derive/providers';
import { PROVIDER_KINDS } from '@/lib/vocabulary';

const ICLOUD = 'fbfc3007-154e-4ecc-8c0b-6e020557d7bd';

/** The 16 raw bytes of a canonical AAGUID, for building the encoded forms independently. */
const bytesOf = (canonical: string) => Buffer.from(canonical.replaceAll('-', ''), 'hex');

describe('normalizeAaguid', () => {
  it.each([
    ['canonical', ICLOUD],
    ['upper case', ICLOUD.toUpperCase()],
    ['mixed case', 'FBFC3007-154e-4ECC-8c0b-6E020557D7BD'],
    ['no dashes', ICLOUD.replaceAll('-', '')],
    ['no dashes, upper case', ICLOUD.replaceAll('-', '').toUpperCase()],
    ['surrounding whitespace', `  ${ICLOUD}\n`],
    ['base64, padded', bytesOf(ICLOUD).toString('base64')],
    ['base64, unpadded', bytesOf(ICLOUD).toString('base64').replace(/=+$/, '')],
    ['base64url', bytesOf(ICLOUD).toString('base64url')],
  ])('accepts %s', (_label, input) => {
    expect(normalizeAaguid(input)).toBe(ICLOUD);
  });

  it('decodes both base64 alphabets for bytes that differ between them', () => {
    // 0xfb 0xff… encodes to "+/" in base64 and "-_" in base64url.
    const canonical = 'fbffbfff-fbff-bfff-fbff-bffffbffbfff';
    const b64 = bytesOf(canonical).toString('base64');
    const b64url = bytesOf(canonical).toString('base64url');
    expect(b64).toMatch(/[+/]/);
    expect(b64url).toMatch(/[-_]/);
    expect(normalizeAaguid(b64)).toBe(canonical);
    expect(normalizeAaguid(b64url)).toBe(canonical);
  });

  it('keeps the all-zero AAGUID in canonical form', () => {
    expect(normalizeAaguid('00000000000000000000000000000000')).toBe(ZERO_AAGUID);
    expect(normalizeAaguid('AAAAAAAAAAAAAAAAAAAAAA==')).toBe(ZERO_AAGUID);
  });

  it.each([
    ['undefined', undefined],
    ['empty', ''],
    ['blank', '   '],
    ['too short hex', 'fbfc3007154e4ecc8c0b6e020557d7b'],
    ['too long hex', 'fbfc3007154e4ecc8c0b6e020557d7bd0'],
    ['non-hex character', 'fbfc3007-154e-4ecc-8c0b-6e020557d7bg'],
    ['dashes in the wrong places', 'fbfc300-7154e-4ecc-8c0b-6e020557d7bd'],
    ['braces', `{${ICLOUD}}`],
    ['base64 of 15 bytes', Buffer.alloc(15, 1).toString('base64')],
    ['base64 of 17 bytes', Buffer.alloc(17, 1).toString('base64')],
    ['base64 with an invalid character', 'AAAAAAAAAAAAAAAAAAAA*A=='],
    ['free text', 'iCloud Keychain'],
  ])('rejects %s', (_label, input) => {
    expect(normalizeAaguid(input)).toBe('');
  });
});

describe('deriveProvider', () => {
  it.each([
    ['ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4', 'Google Password Manager', 'os_platform'],
    [ICLOUD, 'iCloud Keychain', 'os_platform'],
    ['dd4ec289-e01d-41c9-bb89-70fa845d4bf2', 'iCloud Keychain (Managed)', 'os_platform'],
    ['08987058-cadc-4b81-b6e1-30de50dcbe96', 'Windows Hello', 'os_platform'],
    ['9ddd1817-af5a-4672-a2b9-3e3dd95000a9', 'Windows Hello', 'os_platform'],
    ['6028b017-b1d4-4c02-b4b3-afcdafc96bb2', 'Windows Hello', 'os_platform'],
    ['adce0002-35bc-c60a-648b-0b25f1f05503', 'Chrome on Mac', 'os_platform'],
    ['53414d53-554e-4700-0000-000000000000', 'Samsung Pass', 'os_platform'],
    ['bada5566-a7aa-401f-bd96-45619a55120d', '1Password', 'third_party_manager'],
    ['d548826e-79b4-db40-a3d8-11116f7e8349', 'Bitwarden', 'third_party_manager'],
    ['531126d6-e717-415c-9320-3d9aa6981239', 'Dashlane', 'third_party_manager'],
    ['50726f74-6f6e-5061-7373-50726f746f6e', 'Proton Pass', 'third_party_manager'],
    ['fdb141b2-5d84-443e-8a35-4698c205a502', 'KeePassXC', 'third_party_manager'],
    ['b84e4048-15dc-4dd0-8640-f4f60813c8af', 'NordPass', 'third_party_manager'],
    ['f3809540-7f14-49c1-a8b3-8f813b225541', 'Enpass', 'third_party_manager'],
    ['cb69481e-8ff7-4039-93ec-0a2729a154a8', 'YubiKey 5 Series', 'security_key'],
    ['ee882879-721c-4913-9775-3dfcce97072a', 'YubiKey 5 Series', 'security_key'],
    ['d8522d9f-575b-4866-88a9-ba99fa02f35b', 'YubiKey Bio Series', 'security_key'],
    ['149a2021-8ef6-4133-96b8-81f8d5b7f1f5', 'Security Key by Yubico with NFC', 'security_key'],
    ['42b4fb4a-2866-43b2-9bf7-6c6669c2e5d3', 'Google Titan Security Key v2', 'security_key'],
    ['12ded745-4bed-47d4-abaa-e713f51d6393', 'Feitian AllinOne FIDO2 Authenticator', 'security_key'],
    ['8876631b-d4a0-427f-5773-0ec71c9e0279', 'SoloKeys Solo', 'security_key'],
    ['2cd2f727-f6ca-44da-8f48-5c2e5da000a2', 'Nitrokey 3', 'security_key'],
  ])('%s → %s (%s)', (aaguid, providerName, providerKind) => {
    expect(deriveProvider(aaguid)).toEqual({ providerName, providerKind, aaguid });
  });

  it('looks up every accepted encoding to the same provider', () => {
    const expected = { providerName: 'iCloud Keychain', providerKind: 'os_platform', aaguid: ICLOUD };
    expect(deriveProvider(ICLOUD.toUpperCase())).toEqual(expected);
    expect(deriveProvider(ICLOUD.replaceAll('-', ''))).toEqual(expected);
    expect(deriveProvider(bytesOf(ICLOUD).toString('base64'))).toEqual(expected);
    expect(deriveProvider(bytesOf(ICLOUD).toString('base64url'))).toEqual(expected);
  });

  it('treats the all-zero AAGUID as unknown but keeps it', () => {
    expect(deriveProvider(ZERO_AAGUID)).toEqual({ providerName: 'unknown', providerKind: 'unknown', aaguid: ZERO_AAGUID });
  });

  it('treats an unlisted AAGUID as unknown but keeps it', () => {
    const unlisted = '11111111-2222-4333-8444-555555555555';
    expect(deriveProvider(unlisted.toUpperCase())).toEqual({ providerName: 'unknown', providerKind: 'unknown', aaguid: unlisted });
  });

  it('gives unknown with an empty AAGUID when absent or invalid', () => {
    const none = { providerName: 'unknown', providerKind: 'unknown', aaguid: '' };
    expect(deriveProvider(undefined)).toEqual(none);
    expect(deriveProvider('')).toEqual(none);
    expect(deriveProvider('not-an-aaguid')).toEqual(none);
  });

  it('is not fooled by Object prototype keys', () => {
    expect(deriveProvider('constructor').providerKind).toBe('unknown');
    expect(deriveProvider('__proto__').providerKind).toBe('unknown');
  });

  it('does not list NordPass under the Chromium Browser AAGUID (a common mix-up)', () => {
    expect(deriveProvider('b5397666-4885-aa6b-cebf-e52262a439a2').providerName).toBe('Chromium Browser');
  });
});

describe('KNOWN_AUTHENTICATORS', () => {
  const entries = Object.entries(KNOWN_AUTHENTICATORS);

  it('is keyed by canonical lowercase AAGUIDs', () => {
    for (const [aaguid] of entries) expect(normalizeAaguid(aaguid)).toBe(aaguid);
  });

  it('uses only vocabulary kinds other than unknown, and non-empty names', () => {
    for (const [, { name, kind }] of entries) {
      expect(PROVIDER_KINDS).toContain(kind);
      expect(kind).not.toBe('unknown');
      expect(name.trim()).not.toBe('');
    }
  });

  it('does not list the all-zero AAGUID', () => {
    expect(KNOWN_AUTHENTICATORS[ZERO_AAGUID]).toBeUndefined();
  });

  it('covers each kind', () => {
    const kinds = new Set(entries.map(([, v]) => v.kind));
    expect([...kinds].sort()).toEqual(['os_platform', 'security_key', 'third_party_manager']);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(KNOWN_AUTHENTICATORS)).toBe(true);
  });
});
