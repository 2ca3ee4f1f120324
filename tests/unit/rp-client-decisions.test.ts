import { describe, expect, it } from 'vitest';
import { fallbackReasonFor } from '@/examples/relying-party/client/fallback';
import { upsellEligible } from '@/examples/relying-party/client/upsell';

describe('fallbackReasonFor', () => {
  it('a password sign-in without a passkey attempt is not a fallback', () => {
    expect(fallbackReasonFor(undefined)).toBeUndefined();
  });

  it.each([
    ['user_cancelled_or_timed_out', 'prompt_abandoned'],
    ['aborted_by_browser', 'prompt_abandoned'],
    ['aborted_by_rp', 'prompt_abandoned'],
    ['no_response', 'prompt_abandoned'],
    ['credential_excluded', 'prompt_error'],
    ['unknown_authenticator_error', 'prompt_error'],
    ['rp_id_invalid', 'prompt_error'],
  ])('a prompt that ended with %s → %s', (reason, expected) => {
    expect(fallbackReasonFor({ stage: 'prompt', reason })).toBe(expected);
  });

  it('a response the server refused → verification_failed', () => {
    expect(fallbackReasonFor({ stage: 'verification', reason: 'unknown_credential' })).toBe('verification_failed');
  });
});

describe('upsellEligible', () => {
  it('needs WebAuthn and a user-verifying platform authenticator', () => {
    expect(upsellEligible({ apiAvailable: true, uvpaa: true })).toBe(true);
    expect(upsellEligible({ apiAvailable: true, uvpaa: false, supported: ['passkeyPlatformAuthenticator'] })).toBe(true);
    expect(upsellEligible({ apiAvailable: true, uvpaa: false, supported: ['hybridTransport'] })).toBe(false);
    expect(upsellEligible({ apiAvailable: true })).toBe(false);
    expect(upsellEligible({ apiAvailable: false, uvpaa: true })).toBe(false);
  });
});
