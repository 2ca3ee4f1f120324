/**
 * Decoded log records → validated, derived `ceremony_events` rows, or a rejection with its reason.
 * Pure: no I/O, so every rule is unit-testable and the hot path stays allocation-light.
 */
import type { z } from 'zod';
import { classifyClientError } from '@/lib/telemetry/classify';
import type { CeremonyType, EventName } from '@/lib/vocabulary';
import { deriveCredentialKind, deriveDevice, deriveProvider } from './derive';
import type { AttributeValue, Attributes, DecodedLogRecord } from './decode';
import { columnKeysOf, isEventName, LENIENT_KEYS, schemaFor, type ValidatedAttributes } from './schemas';

/** Column order of the JSONCompactEachRow insert; must match sql/migrations/0001 (a test checks). */
export const EVENT_COLUMNS = [
  'timestamp',
  'observed_timestamp',
  'received_at',
  'event_name',
  'severity_number',
  'severity_text',
  'trace_id',
  'span_id',
  'service_name',
  'environment',
  'user_id',
  'session_id',
  'flow_id',
  'ceremony_id',
  'risk_tier',
  'surface',
  'rollout_variant',
  'user_agent',
  'browser_name',
  'browser_version',
  'os_name',
  'os_version',
  'device_class',
  'device_class_source',
  'ceremony_type',
  'mediation',
  'prompt_outcome',
  'prompt_duration_ms',
  'error_type',
  'client_failure_reason',
  'result',
  'failure_reason',
  'credential_id',
  'aaguid',
  'flag_up',
  'flag_uv',
  'flag_be',
  'flag_bs',
  'flag_bs_previous',
  'sign_count_anomaly',
  'attestation_format',
  'authenticator_attachment',
  'transports',
  'rp_id',
  'origin',
  'credential_kind',
  'backed_up',
  'provider_name',
  'provider_kind',
  'credential_action',
  'auth_method',
  'fallback_from',
  'fallback_reason',
  'recovery_stage',
  'recovery_method',
  'ticket_id',
  'ticket_category',
  'ticket_channel',
  'ticket_stage',
  'upsell_outcome',
  'feature_flag_key',
  'feature_flag_variant',
  'client_api_available',
  'client_uvpaa',
  'client_conditional_get',
  'client_capabilities',
  'body',
  'attributes',
  'resource_attributes',
  'scope_name',
] as const;

export type EventRow = unknown[];

export interface Rejection {
  index: number;
  eventName: string;
  reason: 'limit_exceeded' | 'unknown_event' | 'invalid_attributes' | 'invalid_timestamp';
  detail: string;
  record: DecodedLogRecord;
}

export interface MappedBatch {
  rows: EventRow[];
  rejections: Rejection[];
}

const DAY_MS = 86_400_000;
const EARLIEST_MS = Date.UTC(2000, 0, 1);
const MAX_ISSUES_PER_RECORD = 3;

function asString(value: AttributeValue | undefined): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function stringMap(attributes: Attributes, skip?: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key in attributes) {
    if (skip?.has(key)) continue;
    out[key] = asString(attributes[key]);
  }
  return out;
}

const resourceMaps = new WeakMap<Attributes, Record<string, string>>();
/** Resource attributes are shared by every record of a ResourceLogs: convert them once. */
function resourceMap(resource: Attributes): Record<string, string> {
  let map = resourceMaps.get(resource);
  if (!map) {
    map = stringMap(resource);
    resourceMaps.set(resource, map);
  }
  return map;
}

function formatIssues(issues: z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, MAX_ISSUES_PER_RECORD).map((issue) => {
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : '(record)';
    return `${key}: ${issue.message}`;
  });
  const more = issues.length > MAX_ISSUES_PER_RECORD ? ` (+${issues.length - MAX_ISSUES_PER_RECORD} more)` : '';
  return shown.join('; ') + more;
}

/** ClickHouse DateTime64(3) accepts fractional unix seconds as text. */
function toDateTime64(ms: number): string {
  return (ms / 1000).toFixed(3);
}

export function eventNameOf(record: DecodedLogRecord): string {
  if (record.eventName) return record.eventName;
  const legacy = record.attributes['event.name'];
  return typeof legacy === 'string' ? legacy : '';
}

export function mapRecords(records: DecodedLogRecord[], receivedMs: number = Date.now()): MappedBatch {
  const rows: EventRow[] = [];
  const rejections: Rejection[] = [];
  for (const record of records) {
    const outcome = mapRecord(record, receivedMs);
    if (Array.isArray(outcome)) rows.push(outcome);
    else rejections.push(outcome);
  }
  return { rows, rejections };
}

export function mapRecord(record: DecodedLogRecord, receivedMs: number): EventRow | Rejection {
  const eventName = eventNameOf(record);
  // Checked first: the record was truncated while decoding (ingest/limits.ts), so nothing else about it is reliable.
  if (record.limitViolation) return { index: record.index, eventName, reason: 'limit_exceeded', detail: record.limitViolation, record };
  if (!isEventName(eventName)) {
    return {
      index: record.index,
      eventName,
      reason: 'unknown_event',
      detail: eventName
        ? `unknown event name '${eventName.slice(0, 100)}'`
        : 'no event name (set LogRecord.eventName, or the deprecated event.name attribute)',
      record,
    };
  }
  const timeMs = record.timeMs || record.observedMs || receivedMs;
  if (timeMs < EARLIEST_MS || timeMs > receivedMs + DAY_MS) {
    return {
      index: record.index,
      eventName,
      reason: 'invalid_timestamp',
      detail: `timeUnixNano ${new Date(timeMs).toISOString()} is ${timeMs < EARLIEST_MS ? 'before 2000-01-01 (seconds or milliseconds sent as nanoseconds?)' : 'more than 24 h in the future'}`,
      record,
    };
  }
  const parsed = schemaFor(eventName).safeParse(record.attributes);
  if (!parsed.success) {
    return { index: record.index, eventName, reason: 'invalid_attributes', detail: formatIssues(parsed.error.issues), record };
  }
  return toRow(record, eventName, parsed.data, timeMs, receivedMs);
}

/**
 * Attributes that land in no column of this event go to the attribute map, as sent — including
 * vocabulary attributes the event does not use, and the originals of values a derivation could not
 * use (an unknown device.class, an unparseable AAGUID) or a lenient enum mapped to `other`.
 */
function extraAttributes(record: DecodedLogRecord, eventName: EventName, a: ValidatedAttributes, derived: { deviceClassUsed: boolean; aaguidUsed: boolean }): Record<string, string> {
  const extra = stringMap(record.attributes, columnKeysOf(eventName));
  delete extra['event.name'];
  for (const key of LENIENT_KEYS) {
    const original = record.attributes[key];
    if (original !== undefined && a[key] === 'other' && original !== 'other') extra[key] = asString(original);
  }
  if (!derived.deviceClassUsed && record.attributes['device.class'] !== undefined) extra['device.class'] = asString(record.attributes['device.class']);
  if (!derived.aaguidUsed && record.attributes['webauthn.aaguid'] !== undefined) extra['webauthn.aaguid'] = asString(record.attributes['webauthn.aaguid']);
  return extra;
}

/**
 * An errored prompt sent with only its DOMException name gets the reason the SDK would have given
 * (DESIGN.md section 3), so older or third-party senders still separate cancels from failures.
 * An AbortError without the reason counts as the browser's: only the sender knows its own signal.
 */
function clientFailureReason(a: ValidatedAttributes, str: (key: string) => string): string {
  const given = str('webauthn.client.failure_reason');
  if (given || str('passkey.prompt.outcome') !== 'error' || !str('error.type')) return given;
  return classifyClientError(
    { name: str('error.type') },
    { ceremonyType: str('webauthn.ceremony.type') as CeremonyType, abortedByUs: false },
  ).reason;
}

function toRow(record: DecodedLogRecord, eventName: EventName, a: ValidatedAttributes, timeMs: number, receivedMs: number): EventRow {
  const str = (key: string): string => {
    const value = a[key];
    return value === undefined || value === null ? '' : String(value);
  };
  const flag = (key: string): boolean | null => {
    const value = a[key];
    return typeof value === 'boolean' ? value : null;
  };
  const list = (key: string): string[] => {
    const value = a[key];
    return Array.isArray(value) ? value.map(String) : [];
  };
  const device = deriveDevice({
    deviceClassAttr: str('device.class') || undefined,
    userAgent: str('user_agent.original') || undefined,
    clientHints:
      a['browser.platform'] !== undefined || a['browser.mobile'] !== undefined || a['device.model.identifier'] !== undefined
        ? {
            platform: str('browser.platform') || undefined,
            mobile: flag('browser.mobile') ?? undefined,
            model: str('device.model.identifier') || undefined,
          }
        : undefined,
    browserName: str('browser.name') || undefined,
    browserVersion: str('browser.version') || undefined,
    osName: str('os.name') || undefined,
    osVersion: str('os.version') || undefined,
  });
  const be = flag('webauthn.flags.be');
  const bs = flag('webauthn.flags.bs');
  const credential = deriveCredentialKind(be ?? undefined, bs ?? undefined);
  const provider = deriveProvider(str('webauthn.aaguid') || undefined);
  const passkeyResult = str('passkey.result');
  const failureReason = str('webauthn.failure.reason') || (passkeyResult === 'failure' ? 'other' : '');
  const resource = resourceMap(record.resource);
  const duration = a['passkey.prompt.duration_ms'];
  const clientReason = clientFailureReason(a, str);

  return [
    toDateTime64(timeMs),
    toDateTime64(record.observedMs || timeMs),
    toDateTime64(receivedMs),
    eventName,
    Math.max(0, Math.min(24, record.severityNumber)),
    record.severityText,
    record.traceId,
    record.spanId,
    resource['service.name'] ?? '',
    str('deployment.environment.name') || (resource['deployment.environment.name'] ?? resource['deployment.environment'] ?? ''),
    str('user.id'),
    str('session.id'),
    str('auth.flow.id'),
    str('webauthn.ceremony.id'),
    str('user.risk_tier') || 'standard',
    str('passkey.surface'),
    str('feature_flag.result.variant'),
    str('user_agent.original'),
    device.browserName,
    device.browserVersion,
    device.osName,
    device.osVersion,
    device.deviceClass,
    device.source,
    str('webauthn.ceremony.type'),
    str('webauthn.mediation'),
    str('passkey.prompt.outcome'),
    typeof duration === 'number' ? duration : null,
    str('error.type'),
    clientReason,
    passkeyResult || str('auth.result'),
    failureReason,
    str('webauthn.credential.id'),
    provider.aaguid,
    flag('webauthn.flags.up'),
    flag('webauthn.flags.uv'),
    be,
    bs,
    flag('webauthn.flags.bs.previous'),
    flag('webauthn.sign_count.anomaly'),
    str('webauthn.attestation.format'),
    str('webauthn.authenticator.attachment'),
    list('webauthn.transports'),
    str('webauthn.rp.id'),
    str('webauthn.origin'),
    credential.credentialKind,
    credential.backedUp,
    provider.providerName,
    provider.providerKind,
    str('passkey.credential.action'),
    str('auth.method'),
    str('auth.fallback.from'),
    str('auth.fallback.reason'),
    str('account.recovery.stage'),
    str('account.recovery.method'),
    str('support.ticket.id'),
    str('support.ticket.category'),
    str('support.ticket.channel'),
    str('support.ticket.stage'),
    str('passkey.upsell.outcome'),
    str('feature_flag.key'),
    str('feature_flag.result.variant'),
    flag('webauthn.client.api_available'),
    flag('webauthn.client.uvpaa'),
    flag('webauthn.client.conditional_get'),
    list('webauthn.client.capabilities'),
    asString(record.body),
    extraAttributes(record, eventName, a, { deviceClassUsed: device.source === 'attribute', aaguidUsed: provider.aaguid !== '' }),
    resource,
    record.scopeName,
  ];
}
