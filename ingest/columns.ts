/**
 * The columns of `ceremony_events`, declared once: name, ClickHouse type, the attribute or OTLP field
 * each comes from, and its derivation. Everything else follows from this list — the insert's column
 * order and row mapping (`eventValues`, used by ingest/to-rows.ts), the object form the tests read
 * (`storedEvent`), and the column reference in docs/semantic-conventions.md (`columnReference`,
 * written by `npm run docs:columns`). Unit tests check the list against
 * sql/migrations/0001_ceremony_events.sql and the doc against `columnReference()`.
 *
 * A column that copies a record attribute names it in `attribute`: the value is the attribute as the
 * column's type needs it ('' or NULL when absent). Any other column gives `from` (the docs' wording)
 * and `derive`. A new column: add it here, in the migration, and regenerate the doc.
 */
import { classifyClientError } from '@passkey-rollout/telemetry';
import type { CeremonyType, CredentialKind, EventName, ProviderKind } from '@/lib/vocabulary';
import type { AttributeValue, DecodedLogRecord } from './decode';
import type { DeviceInfo } from './derive';

/** What a column's value is computed from: one validated record and the derivations several columns share. */
export interface RowInput {
  readonly record: DecodedLogRecord;
  readonly eventName: EventName;
  /** The event time ingest settled on (record time, else observed, else receipt). */
  readonly timeMs: number;
  readonly receivedMs: number;
  /** The name of the ingest token that sent the record (lib/security/tokens.ts); '' when unknown. */
  readonly tokenName: string;
  /** Values replaced because they held an e-mail address or phone number (ingest/derive/contact-details.ts). */
  readonly contactDetailsDropped: number;
  /** A validated attribute as text; '' when absent. */
  str(key: string): string;
  /** A validated boolean attribute; null when absent. */
  flag(key: string): boolean | null;
  /** A validated array attribute as text; [] when absent. */
  list(key: string): string[];
  /** A validated number attribute; null when absent. */
  num(key: string): number | null;
  readonly device: DeviceInfo;
  readonly credential: { credentialKind: CredentialKind; backedUp: boolean | null };
  readonly provider: { providerName: string; providerKind: ProviderKind; aaguid: string };
  /** The resource attributes as text. */
  readonly resource: Record<string, string>;
  /** The record's attributes that land in no column (see ingest/to-rows.ts). */
  readonly otherAttributes: Record<string, string>;
}

/** The JavaScript value a ClickHouse type takes in a row (written as TabSeparated text by ingest/tsv.ts). */
export type ValueOf<T extends string> = T extends `Nullable(${infer Inner})`
  ? ValueOf<Inner> | null
  : T extends `LowCardinality(${infer Inner})`
    ? ValueOf<Inner>
    : T extends `Array(${infer Inner})`
      ? ValueOf<Inner>[]
      : T extends `Map(${string})`
        ? Record<string, string>
        : T extends 'Bool'
          ? boolean
          : T extends 'UInt8' | 'Float64'
            ? number
            : string; // String, and DateTime64 as fractional unix seconds

interface CopiedColumn {
  readonly column: string;
  readonly type: string;
  readonly attribute: string;
}
interface DerivedColumn {
  readonly column: string;
  readonly type: string;
  /** Where the value comes from, as the column reference says it (Markdown). */
  readonly from: string;
  readonly derive: (input: RowInput) => unknown;
}
export type ColumnDeclaration = CopiedColumn | DerivedColumn;

const STRING = 'String';
const LC = 'LowCardinality(String)';
const BOOL = 'Nullable(Bool)';
const TIME = "DateTime64(3, 'UTC')";
const LIST = 'Array(LowCardinality(String))';
const MAP = 'Map(LowCardinality(String), String)';

/** ClickHouse DateTime64(3) accepts fractional unix seconds as text. */
function toDateTime64(ms: number): string {
  return (ms / 1000).toFixed(3);
}

const EARLIEST_OBSERVED_MS = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;
/**
 * The observed time when it is a plausible one, else the event time. Why: only the event time is
 * validated (ingest/to-rows.ts), and ClickHouse refuses a DateTime64 past 2299 — one record with
 * observedTimeUnixNano near 2^64 made the whole insert fail, answered 503 and retried forever.
 */
function observedOrEventTime(r: RowInput): number {
  const observed = r.record.observedMs;
  return observed >= EARLIEST_OBSERVED_MS && observed <= r.receivedMs + DAY_MS ? observed : r.timeMs;
}

/** An attribute value as text: strings as they are, arrays and maps as JSON, absent as ''. */
export function attributeText(value: AttributeValue | undefined): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * An errored prompt sent with only its DOMException name gets the reason the SDK would have given
 * (DESIGN.md section 3), so older or third-party senders still separate cancels from failures.
 * An AbortError without the reason counts as the browser's: only the sender knows its own signal.
 */
function clientFailureReason({ str }: RowInput): string {
  const given = str('webauthn.client.failure_reason');
  if (given || str('passkey.prompt.outcome') !== 'error' || !str('error.type')) return given;
  return classifyClientError(
    { name: str('error.type') },
    { ceremonyType: str('webauthn.ceremony.type') as CeremonyType, abortedByUs: false },
  ).reason;
}

/** In insert order, which is the table's column order. */
export const CEREMONY_EVENT_COLUMNS = [
  { column: 'timestamp', type: TIME, from: '`timeUnixNano` (see [section 1](#1-overview))', derive: (r) => toDateTime64(r.timeMs) },
  {
    column: 'observed_timestamp',
    type: TIME,
    from: '`observedTimeUnixNano`, else `timestamp` (also when it lies before 2000 or more than 24 h after receipt)',
    derive: (r) => toDateTime64(observedOrEventTime(r)),
  },
  { column: 'received_at', type: TIME, from: 'receipt time', derive: (r) => toDateTime64(r.receivedMs) },
  { column: 'ingest_token', type: LC, from: 'the name of the ingest token that sent it', derive: (r) => r.tokenName },
  { column: 'event_name', type: LC, from: '`eventName` / `event.name`', derive: (r) => r.eventName },
  { column: 'severity_number', type: 'UInt8', from: '`severityNumber`', derive: (r) => Math.max(0, Math.min(24, r.record.severityNumber)) },
  { column: 'severity_text', type: LC, from: '`severityText`', derive: (r) => r.record.severityText },
  { column: 'trace_id', type: STRING, from: '`traceId`, hex', derive: (r) => r.record.traceId },
  { column: 'span_id', type: STRING, from: '`spanId`, hex', derive: (r) => r.record.spanId },
  { column: 'service_name', type: LC, from: 'resource `service.name`', derive: (r) => r.resource['service.name'] ?? '' },
  {
    column: 'environment',
    type: LC,
    from: '`deployment.environment.name` (record, else resource; else resource `deployment.environment`)',
    derive: (r) =>
      r.str('deployment.environment.name') || (r.resource['deployment.environment.name'] ?? r.resource['deployment.environment'] ?? ''),
  },
  {
    column: 'service_version',
    type: LC,
    from: 'resource `service.version` (the release)',
    derive: (r) => r.resource['service.version'] ?? '',
  },
  { column: 'user_id', type: STRING, attribute: 'user.id' },
  { column: 'session_id', type: STRING, attribute: 'session.id' },
  { column: 'flow_id', type: STRING, attribute: 'auth.flow.id' },
  { column: 'ceremony_id', type: STRING, attribute: 'webauthn.ceremony.id' },
  { column: 'risk_tier', type: LC, from: '`user.risk_tier`, default `standard`', derive: (r) => r.str('user.risk_tier') || 'standard' },
  { column: 'surface', type: LC, attribute: 'passkey.surface' },
  { column: 'rollout_variant', type: LC, attribute: 'feature_flag.result.variant' },
  { column: 'user_agent', type: STRING, attribute: 'user_agent.original' },
  { column: 'browser_name', type: LC, from: 'derived ([section 6](#browser-and-os-names))', derive: (r) => r.device.browserName },
  { column: 'browser_version', type: LC, from: 'derived', derive: (r) => r.device.browserVersion },
  { column: 'os_name', type: LC, from: 'derived', derive: (r) => r.device.osName },
  { column: 'os_version', type: LC, from: 'derived', derive: (r) => r.device.osVersion },
  { column: 'device_class', type: LC, from: 'derived ([section 6](#device_class))', derive: (r) => r.device.deviceClass },
  { column: 'device_class_source', type: LC, from: '`attribute`, `client_hints`, `user_agent` or `none`', derive: (r) => r.device.source },
  { column: 'ceremony_type', type: LC, attribute: 'webauthn.ceremony.type' },
  { column: 'mediation', type: LC, attribute: 'webauthn.mediation' },
  { column: 'prompt_outcome', type: LC, attribute: 'passkey.prompt.outcome' },
  { column: 'prompt_duration_ms', type: 'Nullable(Float64)', attribute: 'passkey.prompt.duration_ms' },
  { column: 'error_type', type: LC, attribute: 'error.type' },
  {
    column: 'client_failure_reason',
    type: LC,
    from: '`webauthn.client.failure_reason`, else classified from `error.type` on an errored prompt',
    derive: clientFailureReason,
  },
  {
    column: 'result',
    type: LC,
    from: '`passkey.result`, else `auth.result`',
    derive: (r) => r.str('passkey.result') || r.str('auth.result'),
  },
  {
    column: 'failure_reason',
    type: LC,
    from: '`webauthn.failure.reason`; `other` on a `passkey.result` = `failure` without one',
    derive: (r) => r.str('webauthn.failure.reason') || (r.str('passkey.result') === 'failure' ? 'other' : ''),
  },
  { column: 'credential_id', type: STRING, attribute: 'webauthn.credential.id' },
  { column: 'aaguid', type: LC, from: '`webauthn.aaguid`, canonical', derive: (r) => r.provider.aaguid },
  { column: 'flag_up', type: BOOL, attribute: 'webauthn.flags.up' },
  { column: 'flag_uv', type: BOOL, attribute: 'webauthn.flags.uv' },
  { column: 'flag_be', type: BOOL, attribute: 'webauthn.flags.be' },
  { column: 'flag_bs', type: BOOL, attribute: 'webauthn.flags.bs' },
  { column: 'flag_bs_previous', type: BOOL, attribute: 'webauthn.flags.bs.previous' },
  { column: 'sign_count_anomaly', type: BOOL, attribute: 'webauthn.sign_count.anomaly' },
  { column: 'attestation_format', type: LC, attribute: 'webauthn.attestation.format' },
  { column: 'authenticator_attachment', type: LC, attribute: 'webauthn.authenticator.attachment' },
  { column: 'transports', type: LIST, attribute: 'webauthn.transports' },
  { column: 'rp_id', type: LC, attribute: 'webauthn.rp.id' },
  { column: 'origin', type: LC, attribute: 'webauthn.origin' },
  { column: 'credential_kind', type: LC, from: 'derived from BE', derive: (r) => r.credential.credentialKind },
  { column: 'backed_up', type: BOOL, from: 'derived from BS', derive: (r) => r.credential.backedUp },
  { column: 'provider_name', type: LC, from: 'derived from the AAGUID', derive: (r) => r.provider.providerName },
  { column: 'provider_kind', type: LC, from: 'derived from the AAGUID', derive: (r) => r.provider.providerKind },
  { column: 'credential_action', type: LC, attribute: 'passkey.credential.action' },
  { column: 'auth_method', type: LC, attribute: 'auth.method' },
  { column: 'fallback_from', type: LC, attribute: 'auth.fallback.from' },
  { column: 'fallback_reason', type: LC, attribute: 'auth.fallback.reason' },
  { column: 'recovery_stage', type: LC, attribute: 'account.recovery.stage' },
  { column: 'recovery_method', type: LC, attribute: 'account.recovery.method' },
  { column: 'ticket_id', type: STRING, attribute: 'support.ticket.id' },
  { column: 'ticket_category', type: LC, attribute: 'support.ticket.category' },
  { column: 'ticket_channel', type: LC, attribute: 'support.ticket.channel' },
  { column: 'ticket_stage', type: LC, attribute: 'support.ticket.stage' },
  { column: 'upsell_outcome', type: LC, attribute: 'passkey.upsell.outcome' },
  { column: 'feature_flag_key', type: LC, attribute: 'feature_flag.key' },
  { column: 'feature_flag_variant', type: LC, attribute: 'feature_flag.result.variant' },
  { column: 'client_api_available', type: BOOL, attribute: 'webauthn.client.api_available' },
  { column: 'client_uvpaa', type: BOOL, attribute: 'webauthn.client.uvpaa' },
  { column: 'client_conditional_get', type: BOOL, attribute: 'webauthn.client.conditional_get' },
  { column: 'client_capabilities', type: LIST, attribute: 'webauthn.client.capabilities' },
  { column: 'body', type: STRING, from: '`body`', derive: (r) => attributeText(r.record.body) },
  {
    column: 'attributes',
    type: MAP,
    from: 'attributes outside the vocabulary, and the originals of lenient values stored as `other`',
    derive: (r) => r.otherAttributes,
  },
  { column: 'resource_attributes', type: MAP, from: 'all resource attributes', derive: (r) => r.resource },
  { column: 'scope_name', type: LC, from: 'instrumentation scope name', derive: (r) => r.record.scopeName },
  {
    column: 'contact_details_dropped',
    type: 'UInt8',
    from: 'how many attribute, body and resource values (up to 255) were replaced because they held an e-mail address or phone number ([section 8](#8-privacy-rules))',
    derive: (r) => Math.min(r.contactDetailsDropped, 255),
  },
  {
    column: 'ingest_request',
    type: STRING,
    from: "the ingest request that stored it: `c` (a coalesced insert) or `r` (an insert of its own) and 32 hex digits of the request's deduplication token (set by the insert, ingest/coalesced-sink.ts)",
    derive: () => '',
  },
] as const satisfies readonly ColumnDeclaration[];

type Declared = (typeof CEREMONY_EVENT_COLUMNS)[number];
export type EventColumn = Declared['column'];

/** Column names in insert order (the insert's column list). */
export const EVENT_COLUMNS: readonly EventColumn[] = CEREMONY_EVENT_COLUMNS.map((c) => c.column);

/** One `ceremony_events` row as the insert sends it: the values in `EVENT_COLUMNS` order. */
export type EventValues = unknown[];

/** One `ceremony_events` row as an object keyed by column, each value typed by its column's type. */
export type StoredEvent = { [C in Declared as C['column']]: ValueOf<C['type']> };

/** Compile-time check: a derivation returns what its column's type takes (a mismatch names the column). */
type Mismatch = {
  [C in Declared as C['column']]: C extends { derive: (r: RowInput) => infer V }
    ? [V] extends [ValueOf<C['type']>]
      ? never
      : C['column']
    : never;
}[EventColumn];
const derivationsFitTheirTypes: [Mismatch] extends [never] ? true : Mismatch = true;
void derivationsFitTheirTypes;

function copier(type: string, attribute: string): (input: RowInput) => unknown {
  if (type === BOOL) return (r) => r.flag(attribute);
  if (type.startsWith('Array(')) return (r) => r.list(attribute);
  if (type === 'Nullable(Float64)') return (r) => r.num(attribute);
  if (type === STRING || type === LC) return (r) => r.str(attribute);
  throw new Error(`no copy rule for a ${type} column (${attribute}): give the column a derive`);
}

const VALUE_OF: readonly ((input: RowInput) => unknown)[] = CEREMONY_EVENT_COLUMNS.map((c: ColumnDeclaration) =>
  'derive' in c ? c.derive : copier(c.type, c.attribute),
);

/** The row mapping: every column's value for one record, in insert order. */
export function eventValues(input: RowInput): EventValues {
  const values = new Array<unknown>(VALUE_OF.length);
  for (let i = 0; i < VALUE_OF.length; i++) values[i] = wellFormedValue(VALUE_OF[i]!(input));
  return values;
}

const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The text with each lone UTF-16 surrogate replaced by U+FFFD, as a UTF-8 decoder (the protobuf
 * path) does. Why: OTLP/JSON can carry `"\ud800"`, and ClickHouse refuses it in a JSON insert
 * ("missing second part of surrogate pair"), failing the whole request with 503 on every retry.
 */
export function wellFormed(text: string): string {
  return SURROGATE.test(text) ? text.replace(LONE_SURROGATE, '\uFFFD') : text;
}

/** A row value with every string in it well-formed: text, lists, and map keys and values. */
function wellFormedValue(value: unknown): unknown {
  if (typeof value === 'string') return wellFormed(value);
  if (Array.isArray(value)) return value.some((v) => typeof v === 'string' && SURROGATE.test(v)) ? value.map(wellFormedValue) : value;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (!entries.some(([k, v]) => SURROGATE.test(k) || (typeof v === 'string' && SURROGATE.test(v)))) return value;
    return Object.fromEntries(entries.map(([k, v]) => [wellFormed(k), wellFormedValue(v)]));
  }
  return value;
}

/** The object form of a row (what tests and the docs talk about): column → value. */
export function storedEvent(values: EventValues): StoredEvent {
  const event: Record<string, unknown> = {};
  for (let i = 0; i < EVENT_COLUMNS.length; i++) event[EVENT_COLUMNS[i]!] = values[i];
  return event as StoredEvent;
}

/** The column reference table of docs/semantic-conventions.md section 11 (Markdown, one line per column). */
export function columnReference(): string {
  const lines = ['| column | type | from |', '|---|---|---|'];
  for (const c of CEREMONY_EVENT_COLUMNS as readonly ColumnDeclaration[]) {
    lines.push(`| \`${c.column}\` | ${c.type} | ${'from' in c ? c.from : `\`${c.attribute}\``} |`);
  }
  return lines.join('\n');
}
