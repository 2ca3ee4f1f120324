/**
 * One zod schema per event of the vocabulary (DESIGN.md section 3), over the record's attributes.
 *
 * Strict where the metrics depend on the value (results, outcomes, stages, ceremony types,
 * surfaces, risk tiers): an unknown value there would silently change a rate, so the record is
 * rejected. Lenient on the open-ended enums (failure reasons, methods, actions): an unknown value
 * becomes `other` — the "other bucket" of the closed enum — and the original is kept in the
 * record's attribute map, so a newer SDK never loses data against an older receiver.
 */
import { z } from 'zod';
import {
  AUTH_METHODS,
  AUTH_RESULTS,
  AUTHENTICATOR_ATTACHMENTS,
  CEREMONY_TYPES,
  CLIENT_FAILURE_REASONS,
  CREDENTIAL_ACTIONS,
  EVENT_NAMES,
  FALLBACK_REASONS,
  MEDIATIONS,
  PASSKEY_RESULTS,
  PROMPT_OUTCOMES,
  RECOVERY_METHODS,
  RECOVERY_STAGES,
  RISK_TIERS,
  SERVER_FAILURE_REASONS,
  SURFACES,
  TICKET_STAGES,
  UPSELL_OUTCOMES,
  type EventName,
} from '@/lib/vocabulary';
import { looksLikeEmailOrPhone } from './derive/credential';

const MAX_ID = 2048;
const id = z.string().trim().min(1, 'must not be empty').max(MAX_ID, `must be at most ${MAX_ID} characters`);
const text = z.string().max(4096, 'must be at most 4096 characters');
const bool = z
  .union([z.boolean(), z.literal(0), z.literal(1)], { error: 'must be a boolean' })
  .transform((value) => value === true || value === 1);

/** A closed enum with an `other` bucket: unknown values are kept as `other`. */
function lenient<const T extends readonly string[]>(values: T) {
  const allowed = new Set<string>(values);
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(256)
    .transform((value) => (allowed.has(value) ? value : 'other'));
}

const strings = z.union([z.array(z.string().max(256)).max(64), z.string().max(2048)]).transform((value) =>
  Array.isArray(value)
    ? value
    : value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
);

export const zUserId = id.superRefine((value, ctx) => {
  const kind = looksLikeEmailOrPhone(value);
  if (kind) {
    ctx.addIssue({
      code: 'custom',
      message: `looks like ${kind === 'email' ? 'an e-mail address' : 'a phone number'}; send the relying party's opaque account id, never contact details`,
    });
  }
});

const common = {
  'user.id': zUserId.optional(),
  'session.id': id.optional(),
  'auth.flow.id': id.optional(),
  'webauthn.ceremony.id': id.optional(),
  'user_agent.original': text.optional(),
  'browser.name': text.optional(),
  'browser.version': text.optional(),
  'browser.platform': text.optional(),
  'browser.mobile': bool.optional(),
  'os.name': text.optional(),
  'os.version': text.optional(),
  'device.class': text.optional(),
  'device.model.identifier': text.optional(),
  'passkey.surface': z.enum(SURFACES).optional(),
  'user.risk_tier': z.enum(RISK_TIERS).optional(),
  'deployment.environment.name': text.optional(),
  'feature_flag.result.variant': text.optional(),
};

const credentialAttributes = {
  'webauthn.credential.id': id.optional(),
  'webauthn.aaguid': text.optional(),
  'webauthn.flags.up': bool.optional(),
  'webauthn.flags.uv': bool.optional(),
  'webauthn.flags.be': bool.optional(),
  'webauthn.flags.bs': bool.optional(),
  'webauthn.attestation.format': text.optional(),
  'webauthn.authenticator.attachment': lenient(AUTHENTICATOR_ATTACHMENTS).optional(),
  'webauthn.transports': strings.optional(),
  'webauthn.rp.id': text.optional(),
  'webauthn.origin': text.optional(),
  'passkey.result': z.enum(PASSKEY_RESULTS),
  'webauthn.failure.reason': lenient(SERVER_FAILURE_REASONS).optional(),
};

function requireWhen<T extends Record<string, unknown>>(condition: (value: T) => boolean, key: keyof T & string, message: string) {
  return (value: T, ctx: z.RefinementCtx) => {
    if (condition(value) && (value[key] === undefined || value[key] === '')) {
      ctx.addIssue({ code: 'custom', path: [key], message });
    }
  };
}

const schemas = {
  'passkey.client.capabilities': z.object({
    ...common,
    'webauthn.client.api_available': bool.optional(),
    'webauthn.client.uvpaa': bool.optional(),
    'webauthn.client.conditional_get': bool.optional(),
    'webauthn.client.capabilities': strings.optional(),
  }),
  'passkey.upsell': z.object({ ...common, 'passkey.upsell.outcome': z.enum(UPSELL_OUTCOMES) }),
  'passkey.prompt': z
    .object({
      ...common,
      'webauthn.ceremony.type': z.enum(CEREMONY_TYPES),
      'webauthn.mediation': z.enum(MEDIATIONS).optional(),
      'passkey.prompt.outcome': z.enum(PROMPT_OUTCOMES),
      'passkey.prompt.duration_ms': z.number().nonnegative().max(86_400_000).optional(),
      'error.type': text.optional(),
      'webauthn.client.failure_reason': lenient(CLIENT_FAILURE_REASONS).optional(),
    })
    .superRefine((value, ctx) => {
      if (value['passkey.prompt.outcome'] === 'error' && !value['error.type'] && !value['webauthn.client.failure_reason']) {
        ctx.addIssue({
          code: 'custom',
          path: ['error.type'],
          message: 'an errored prompt needs error.type (the DOMException name) or webauthn.client.failure_reason',
        });
      }
    }),
  'passkey.registration': z
    .object({ ...common, ...credentialAttributes })
    .superRefine(
      requireWhen((v) => v['passkey.result'] === 'success', 'webauthn.credential.id', 'is required on a successful registration'),
    )
    .superRefine(requireWhen((v) => v['passkey.result'] === 'success', 'user.id', 'is required on a successful registration')),
  'passkey.authentication': z
    .object({
      ...common,
      ...credentialAttributes,
      'webauthn.sign_count.anomaly': bool.optional(),
      'webauthn.flags.bs.previous': bool.optional(),
    })
    .superRefine(
      requireWhen((v) => v['passkey.result'] === 'success', 'webauthn.credential.id', 'is required on a successful authentication'),
    ),
  'passkey.credential.lifecycle': z.object({
    ...common,
    'user.id': zUserId,
    'webauthn.credential.id': id,
    'passkey.credential.action': lenient(CREDENTIAL_ACTIONS),
    'webauthn.flags.be': bool.optional(),
    'webauthn.flags.bs': bool.optional(),
  }),
  'auth.sign_in': z
    .object({ ...common, 'auth.method': lenient(AUTH_METHODS), 'auth.result': z.enum(AUTH_RESULTS) })
    .superRefine(requireWhen((v) => v['auth.result'] === 'success', 'user.id', 'is required on a successful sign-in')),
  'auth.fallback': z.object({
    ...common,
    'auth.fallback.from': lenient(AUTH_METHODS).optional(),
    'auth.method': lenient(AUTH_METHODS).optional(),
    'auth.fallback.reason': lenient(FALLBACK_REASONS),
  }),
  'auth.password.removed': z.object({ ...common, 'user.id': zUserId }),
  'account.recovery': z.object({
    ...common,
    'user.id': zUserId,
    'account.recovery.stage': z.enum(RECOVERY_STAGES),
    'account.recovery.method': lenient(RECOVERY_METHODS),
  }),
  'support.ticket': z.object({
    ...common,
    'user.id': zUserId,
    'support.ticket.id': id,
    'support.ticket.stage': z.enum(TICKET_STAGES),
    'support.ticket.category': text.optional(),
    'support.ticket.channel': text.optional(),
  }),
  'feature_flag.evaluation': z.object({
    ...common,
    'feature_flag.key': id,
    'feature_flag.result.variant': id,
  }),
} satisfies Record<EventName, z.ZodType>;

export type EventAttributes<E extends EventName> = z.output<(typeof schemas)[E]>;
/** The union of every event's validated attributes (all keys optional), for the row mapper. */
export type ValidatedAttributes = Partial<
  {
    [E in EventName]: EventAttributes<E>;
  }[EventName]
> &
  Record<string, unknown>;

const EVENT_NAME_SET = new Set<string>(EVENT_NAMES);
export function isEventName(name: string): name is EventName {
  return EVENT_NAME_SET.has(name);
}

export function schemaFor(eventName: EventName): z.ZodType<ValidatedAttributes> {
  return schemas[eventName] as unknown as z.ZodType<ValidatedAttributes>;
}

function shapeKeys(schema: z.ZodType): string[] {
  return Object.keys((schema as unknown as { shape?: Record<string, unknown> }).shape ?? {});
}

/** Per event, the attribute keys its schema maps to columns; the rest go to the attribute map. */
const KEYS_BY_EVENT = new Map<string, ReadonlySet<string>>(
  Object.entries(schemas).map(([event, schema]) => [event, new Set(shapeKeys(schema))]),
);
export function columnKeysOf(eventName: EventName): ReadonlySet<string> {
  return KEYS_BY_EVENT.get(eventName) ?? new Set();
}

/** Every attribute key some event maps to a column. */
export const KNOWN_ATTRIBUTE_KEYS: ReadonlySet<string> = new Set([...KEYS_BY_EVENT.values()].flatMap((keys) => [...keys]));

/** The keys whose values are mapped to `other` when unknown (originals kept in the map). */
export const LENIENT_KEYS: ReadonlySet<string> = new Set([
  'webauthn.failure.reason',
  'webauthn.client.failure_reason',
  'webauthn.authenticator.attachment',
  'passkey.credential.action',
  'auth.method',
  'auth.fallback.from',
  'auth.fallback.reason',
  'account.recovery.method',
]);
