/**
 * credential_kind / backed_up from the WebAuthn BE and BS flags (DESIGN.md section 3). The guard that
 * keeps contact details out of `user.id` is the SDK's (`looksLikeEmailOrPhone`), so both apply one rule.
 */
import type { CredentialKind } from '@/lib/vocabulary';

/**
 * BE (backup eligible) fixes the kind for the credential's life: synced when set, device-bound when
 * clear. BS (backup state) can change over time and is reported as-is, even in the invalid
 * BE=0/BS=1 combination, so the stored row shows what the authenticator said.
 */
export function deriveCredentialKind(
  be: boolean | undefined,
  bs: boolean | undefined,
): { credentialKind: CredentialKind; backedUp: boolean | null } {
  const credentialKind: CredentialKind = be === undefined ? 'unknown' : be ? 'synced' : 'device_bound';
  return { credentialKind, backedUp: bs ?? null };
}

export { looksLikeEmailOrPhone } from '@passkey-rollout/telemetry';
