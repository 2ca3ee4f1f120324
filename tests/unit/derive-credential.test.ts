import { describe, expect, it } from 'vitest';
import { deriveCredentialKind, looksLikeEmailOrPhone } from '@/ingest/derive/credential';

describe('deriveCredentialKind', () => {
  it.each([
    [true, true, 'synced', true],
    [true, false, 'synced', false],
    [true, undefined, 'synced', null],
    [false, false, 'device_bound', false],
    [false, undefined, 'device_bound', null],
    // BS without BE is invalid per WebAuthn; reported as sent rather than silently corrected.
    [false, true, 'device_bound', true],
    [undefined, true, 'unknown', true],
    [undefined, false, 'unknown', false],
    [undefined, undefined, 'unknown', null],
  ] as const)('BE=%s BS=%s → %s, backedUp %s', (be, bs, credentialKind, backedUp) => {
    expect(deriveCredentialKind(be, bs)).toEqual({ credentialKind, backedUp });
  });
});

describe('looksLikeEmailOrPhone', () => {
  describe('e-mail addresses', () => {
    it.each([
      'alice@example.com',
      'Alice.Smith+passkeys@mail.example.co.uk',
      'first_last-99@sub-domain.example.org',
      '  alice@example.com  ',
      '\talice@example.com\n',
      '<alice@example.com>',
      ' <alice@example.com> ',
      'Alice Smith <alice@example.com>',
      'alice%40example.com',
      'alice%40EXAMPLE.COM',
      'ALICE@EXAMPLE.COM',
      'alice＠example.com', // full-width @
      'jürgen@bücher.de',
      'user@xn--bcher-kva.de',
      'user:alice@example.com', // an id that embeds an address still leaks it
    ])('%j → email', (userId) => {
      expect(looksLikeEmailOrPhone(userId)).toBe('email');
    });
  });

  describe('phone numbers', () => {
    it.each([
      '+14155550123',
      '+44 20 7946 0958',
      '+1 (415) 555-0123',
      '+33.1.23.45.67.89',
      '+4915112345', // short E.164 still has its +
      '(415) 555-0123',
      '415-555-0123',
      '415.555.0123',
      '415 555 0123',
      '555-0123', // 7 digits written with a separator
      '4155550123', // 10 bare digits
      '14155550123', // 11 bare digits
      '004915112345678', // 15 bare digits
      ' 4155550123 ',
      'tel:+14155550123',
      '４１５５５５０１２３', // full-width digits
    ])('%j → phone', (userId) => {
      expect(looksLikeEmailOrPhone(userId)).toBe('phone');
    });
  });

  describe('opaque ids', () => {
    it.each([
      'u_12345',
      'user-8f3a9c2e4b1d',
      'usr_01HZX3Y4K5M6N7P8Q9R0S1T2U3',
      '3f2504e0-4f89-41d3-9a0c-0305e82c3301', // UUID
      '3F2504E04F8941D39A0C0305E82C3301', // hex id
      'dGhpcyBpcyBhbiBvcGFxdWUgaWQ', // base64url id
      'a1b2c3d4e5f6a7b8c9d0',
      '12345', // short numeric id
      '1234567', // 7 bare digits: numeric account id
      '123456789', // 9 bare digits: numeric account id
      '1234567890123456', // 16 bare digits
      '1234567890123456789', // snowflake-style id
      '+123456', // too few digits for E.164
      '+1234567890123456', // too many digits for E.164
      '123-456', // 6 digits
      'github|12345678',
      'auth0|5f7c8ec7c33c6c004bbafe82',
      'alice', // a username is not contact details
      'alice@localhost', // no domain.tld
      'alice@', // nothing after the @
      '@alice', // handle, nothing before the @
      'team@@example', // no tld
      'name@example.c0m', // tld must be letters
      '',
      '   ',
    ])('%j → null', (userId) => {
      expect(looksLikeEmailOrPhone(userId)).toBeNull();
    });
  });

  it('stays fast on long hostile input', () => {
    const hostile = [
      `${'a'.repeat(2000)}@${'b-'.repeat(1000)}`,
      `${'a@'.repeat(1000)}`,
      `${'1 '.repeat(1000)}x`,
      `a@${'b.'.repeat(1000)}1`,
    ];
    const started = performance.now();
    for (let i = 0; i < 100; i++) for (const value of hostile) looksLikeEmailOrPhone(value);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
