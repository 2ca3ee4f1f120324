import { describe, expect, it } from 'vitest';
import {
  generateBackupCode,
  generateEmailCode,
  hashSecret,
  normalizeBackupCode,
  opaqueId,
  verifySecret,
} from '@/examples/relying-party/secrets';

describe('reference RP secrets', () => {
  it('hashes with a random salt and verifies only the right secret', async () => {
    const first = await hashSecret('correct horse battery');
    const second = await hashSecret('correct horse battery');
    expect(first).toMatch(/^scrypt\$[\w-]+\$[\w-]+$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain('correct');
    await expect(verifySecret('correct horse battery', first)).resolves.toBe(true);
    await expect(verifySecret('correct horse batterY', first)).resolves.toBe(false);
    await expect(verifySecret('x', 'plain$text')).resolves.toBe(false);
  });

  it('backup codes are unambiguous and read back whatever the case, spaces or dashes', () => {
    const code = generateBackupCode();
    expect(code).toMatch(/^[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}$/);
    expect(normalizeBackupCode(code.toUpperCase().replace('-', ' '))).toBe(code);
    expect(normalizeBackupCode(` ${code.replace('-', '')} `)).toBe(code);
    expect(new Set(Array.from({ length: 50 }, generateBackupCode)).size).toBe(50);
  });

  it('e-mail codes are six digits; ids are opaque and prefixed', () => {
    for (let i = 0; i < 20; i++) expect(generateEmailCode()).toMatch(/^\d{6}$/);
    expect(opaqueId('usr')).toMatch(/^usr_[\w-]{16}$/);
  });
});
