/** Whether to offer the post-sign-in passkey upsell on this device. Pure: unit-tested. */
import type { CapabilitiesEvent } from '@passkey-rollout/telemetry';

/** A capable device: WebAuthn available and a user-verifying platform authenticator to hold the passkey. */
export function upsellEligible(capabilities: CapabilitiesEvent): boolean {
  if (!capabilities.apiAvailable) return false;
  return capabilities.uvpaa === true || capabilities.supported?.includes('passkeyPlatformAuthenticator') === true;
}
