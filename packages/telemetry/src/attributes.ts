/**
 * Attribute names of the event vocabulary (DESIGN.md section 3, semantic conventions v1).
 *
 * The names are the contract with ingest: never spell one inline, import it from here. Enum
 * values live in `./vocabulary.ts`.
 */

// Common: who, which journey, which ceremony, where.
export const ATTR_USER_ID = 'user.id';
export const ATTR_SESSION_ID = 'session.id';
export const ATTR_AUTH_FLOW_ID = 'auth.flow.id';
export const ATTR_CEREMONY_ID = 'webauthn.ceremony.id';
export const ATTR_SURFACE = 'passkey.surface';
export const ATTR_USER_RISK_TIER = 'user.risk_tier';
export const ATTR_DEPLOYMENT_ENVIRONMENT = 'deployment.environment.name';
export const ATTR_USER_AGENT = 'user_agent.original';
export const ATTR_BROWSER_NAME = 'browser.name';
export const ATTR_BROWSER_VERSION = 'browser.version';
export const ATTR_BROWSER_BRANDS = 'browser.brands';
export const ATTR_BROWSER_PLATFORM = 'browser.platform';
export const ATTR_BROWSER_MOBILE = 'browser.mobile';
export const ATTR_BROWSER_LANGUAGE = 'browser.language';
export const ATTR_OS_NAME = 'os.name';
export const ATTR_OS_VERSION = 'os.version';
export const ATTR_DEVICE_CLASS = 'device.class';

// passkey.prompt (browser, one per create()/get() call)
export const ATTR_CEREMONY_TYPE = 'webauthn.ceremony.type';
export const ATTR_MEDIATION = 'webauthn.mediation';
export const ATTR_PROMPT_OUTCOME = 'passkey.prompt.outcome';
export const ATTR_PROMPT_DURATION_MS = 'passkey.prompt.duration_ms';
export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_CLIENT_FAILURE_REASON = 'webauthn.client.failure_reason';

// passkey.client.capabilities
export const ATTR_CLIENT_API_AVAILABLE = 'webauthn.client.api_available';
export const ATTR_CLIENT_UVPAA = 'webauthn.client.uvpaa';
export const ATTR_CLIENT_CONDITIONAL_GET = 'webauthn.client.conditional_get';
/** Names of the capabilities `getClientCapabilities()` reported `true`. */
export const ATTR_CLIENT_CAPABILITIES = 'webauthn.client.capabilities';
/** Names of the capabilities `getClientCapabilities()` reported `false` (absent = in neither list). */
export const ATTR_CLIENT_CAPABILITIES_UNSUPPORTED = 'webauthn.client.capabilities_unsupported';
/** `get_client_capabilities` or `legacy` (only the pre-L3 static methods were available). */
export const ATTR_CLIENT_CAPABILITIES_SOURCE = 'webauthn.client.capabilities_source';

// passkey.upsell
export const ATTR_UPSELL_OUTCOME = 'passkey.upsell.outcome';

// passkey.registration / passkey.authentication (server, one per verification)
export const ATTR_PASSKEY_RESULT = 'passkey.result';
export const ATTR_FAILURE_REASON = 'webauthn.failure.reason';
export const ATTR_CREDENTIAL_ID = 'webauthn.credential.id';
export const ATTR_AAGUID = 'webauthn.aaguid';
export const ATTR_FLAG_UP = 'webauthn.flags.up';
export const ATTR_FLAG_UV = 'webauthn.flags.uv';
export const ATTR_FLAG_BE = 'webauthn.flags.be';
export const ATTR_FLAG_BS = 'webauthn.flags.bs';
export const ATTR_ATTESTATION_FORMAT = 'webauthn.attestation.format';
export const ATTR_AUTHENTICATOR_ATTACHMENT = 'webauthn.authenticator.attachment';
export const ATTR_TRANSPORTS = 'webauthn.transports';
export const ATTR_RP_ID = 'webauthn.rp.id';
export const ATTR_ORIGIN = 'webauthn.origin';
export const ATTR_SIGN_COUNT_ANOMALY = 'webauthn.sign_count.anomaly';
export const ATTR_FLAG_BS_PREVIOUS = 'webauthn.flags.bs.previous';

// passkey.credential.lifecycle
export const ATTR_CREDENTIAL_ACTION = 'passkey.credential.action';

// auth.sign_in / auth.fallback
export const ATTR_AUTH_METHOD = 'auth.method';
export const ATTR_AUTH_RESULT = 'auth.result';
export const ATTR_FALLBACK_FROM = 'auth.fallback.from';
export const ATTR_FALLBACK_REASON = 'auth.fallback.reason';

// account.recovery
export const ATTR_RECOVERY_STAGE = 'account.recovery.stage';
export const ATTR_RECOVERY_METHOD = 'account.recovery.method';

// support.ticket
export const ATTR_TICKET_ID = 'support.ticket.id';
export const ATTR_TICKET_CATEGORY = 'support.ticket.category';
export const ATTR_TICKET_CHANNEL = 'support.ticket.channel';
export const ATTR_TICKET_STAGE = 'support.ticket.stage';

// feature_flag.evaluation
export const ATTR_FEATURE_FLAG_KEY = 'feature_flag.key';
export const ATTR_FEATURE_FLAG_VARIANT = 'feature_flag.result.variant';

// Resource
export const ATTR_SERVICE_NAME = 'service.name';
