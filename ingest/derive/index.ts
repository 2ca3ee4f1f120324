export {
  clearUserAgentCache,
  deriveDevice,
  USER_AGENT_CACHE_CAPACITY,
  userAgentCacheSize,
  type DeviceInfo,
  type DeviceInput,
} from './device-class';
export { deriveProvider, KNOWN_AUTHENTICATORS, normalizeAaguid, ZERO_AAGUID, type KnownAuthenticator } from './providers';
export { deriveCredentialKind, looksLikeEmailOrPhone } from './credential';
