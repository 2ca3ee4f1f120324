/**
 * Decoded log records → validated, derived `ceremony_events` rows, or a rejection with its reason.
 * Pure: no I/O, so every rule is unit-testable and the hot path stays allocation-light. The columns,
 * and how each value is derived, are declared in ingest/columns.ts.
 */
import type { z } from 'zod';
import type { EventName } from '@/lib/vocabulary';
import { attributeText, eventValues, type EventValues } from './columns';
import { deriveCredentialKind, deriveDevice, deriveProvider } from './derive';
import { redactRecord } from './derive/contact-details';
import type { Attributes, DecodedLogRecord } from './decode';
import { columnKeysOf, isEventName, LENIENT_KEYS, schemaFor, type ValidatedAttributes } from './schemas';

export interface Rejection {
  index: number;
  eventName: string;
  /** `erased_user`: the record's user was erased after it was made (lib/privacy/erasure.ts); never quarantined. */
  /** `storage_rejected`: ClickHouse refused the row itself (ingest/sink.ts, insertEventsIsolating); the rest of the batch was stored. */
  reason:
    | 'limit_exceeded'
    | 'unknown_event'
    | 'event_not_allowed'
    | 'invalid_attributes'
    | 'invalid_timestamp'
    | 'erased_user'
    | 'storage_rejected';
  detail: string;
  record: DecodedLogRecord;
}

export interface MappedBatch {
  rows: EventValues[];
  /** The record each row came from (`rows[i]` from `sources[i]`). */
  sources: DecodedLogRecord[];
  rejections: Rejection[];
}

const DAY_MS = 86_400_000;
const EARLIEST_MS = Date.UTC(2000, 0, 1);
const MAX_ISSUES_PER_RECORD = 3;

function stringMap(attributes: Attributes, skip?: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key in attributes) {
    if (skip?.has(key)) continue;
    out[key] = attributeText(attributes[key]);
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

/** A time for a message: ISO-8601 when a Date can hold it (±8.64e15 ms), else the raw milliseconds. */
function isoOrMs(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : `${ms} ms since the epoch`;
}

export function eventNameOf(record: DecodedLogRecord): string {
  if (record.eventName) return record.eventName;
  const legacy = record.attributes['event.name'];
  return typeof legacy === 'string' ? legacy : '';
}

/** Who sent a batch: the ingest token's name, and the events its scope allows (all when absent). */
export interface BatchSource {
  tokenName: string;
  allowedEvents?: ReadonlySet<string>;
  /** Whether a record of this user at this time falls under an erasure (then it is not stored). */
  erased?: (userId: string, timeMs: number) => boolean;
}

const UNKNOWN_SOURCE: BatchSource = { tokenName: '' };

export function mapRecords(
  records: DecodedLogRecord[],
  receivedMs: number = Date.now(),
  source: BatchSource = UNKNOWN_SOURCE,
): MappedBatch {
  const rows: EventValues[] = [];
  const sources: DecodedLogRecord[] = [];
  const rejections: Rejection[] = [];
  for (const record of records) {
    const outcome = mapRecord(record, receivedMs, source);
    if (Array.isArray(outcome)) {
      rows.push(outcome);
      sources.push(record);
    } else rejections.push(outcome);
  }
  return { rows, sources, rejections };
}

export function mapRecord(sent: DecodedLogRecord, receivedMs: number, source: BatchSource = UNKNOWN_SOURCE): EventValues | Rejection {
  // Contact details outside user.id are replaced and counted first (ingest/derive/contact-details.ts),
  // so neither a row nor a quarantined rejection keeps them.
  const { record, dropped } = redactRecord(sent);
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
  if (source.allowedEvents && !source.allowedEvents.has(eventName)) {
    return {
      index: record.index,
      eventName,
      reason: 'event_not_allowed',
      detail: `'${eventName}' is not a browser event; the token '${source.tokenName}' (ingest:browser) may send only ${[...source.allowedEvents].join(', ')}`,
      record,
    };
  }
  const timeMs = record.timeMs || record.observedMs || receivedMs;
  if (timeMs < EARLIEST_MS || timeMs > receivedMs + DAY_MS) {
    return {
      index: record.index,
      eventName,
      reason: 'invalid_timestamp',
      detail: `timeUnixNano ${isoOrMs(timeMs)} is ${timeMs < EARLIEST_MS ? 'before 2000-01-01 (seconds or milliseconds sent as nanoseconds?)' : 'more than 24 h in the future'}`,
      record,
    };
  }
  const parsed = schemaFor(eventName).safeParse(record.attributes);
  if (!parsed.success) {
    return { index: record.index, eventName, reason: 'invalid_attributes', detail: formatIssues(parsed.error.issues), record };
  }
  const userId = parsed.data['user.id'];
  if (source.erased && typeof userId === 'string' && source.erased(userId, timeMs)) {
    return {
      index: record.index,
      eventName,
      reason: 'erased_user',
      detail: 'its user was erased after this record was made; not stored',
      record,
    };
  }
  return toRow(record, eventName, parsed.data, timeMs, receivedMs, source.tokenName, dropped);
}

/**
 * Attributes that land in no column of this event go to the attribute map, as sent — including
 * vocabulary attributes the event does not use, and the originals of values a derivation could not
 * use (an unknown device.class, an unparseable AAGUID) or a lenient enum mapped to `other`.
 */
function extraAttributes(
  record: DecodedLogRecord,
  eventName: EventName,
  a: ValidatedAttributes,
  derived: { deviceClassUsed: boolean; aaguidUsed: boolean },
): Record<string, string> {
  const extra = stringMap(record.attributes, columnKeysOf(eventName));
  delete extra['event.name'];
  for (const key of LENIENT_KEYS) {
    const original = record.attributes[key];
    if (original !== undefined && a[key] === 'other' && original !== 'other') extra[key] = attributeText(original);
  }
  if (!derived.deviceClassUsed && record.attributes['device.class'] !== undefined)
    extra['device.class'] = attributeText(record.attributes['device.class']);
  if (!derived.aaguidUsed && record.attributes['webauthn.aaguid'] !== undefined)
    extra['webauthn.aaguid'] = attributeText(record.attributes['webauthn.aaguid']);
  return extra;
}

/** The values of the record's row (the derivations several columns share are made once, here). */
function toRow(
  record: DecodedLogRecord,
  eventName: EventName,
  a: ValidatedAttributes,
  timeMs: number,
  receivedMs: number,
  tokenName: string,
  contactDetailsDropped: number,
): EventValues {
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
  const num = (key: string): number | null => {
    const value = a[key];
    return typeof value === 'number' ? value : null;
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
  const credential = deriveCredentialKind(flag('webauthn.flags.be') ?? undefined, flag('webauthn.flags.bs') ?? undefined);
  const provider = deriveProvider(str('webauthn.aaguid') || undefined);
  return eventValues({
    record,
    eventName,
    timeMs,
    receivedMs,
    tokenName,
    contactDetailsDropped,
    str,
    flag,
    list,
    num,
    device,
    credential,
    provider,
    resource: resourceMap(record.resource),
    otherAttributes: extraAttributes(record, eventName, a, {
      deviceClassUsed: device.source === 'attribute',
      aaguidUsed: provider.aaguid !== '',
    }),
  });
}

/** A record whose row ClickHouse refused (the reason is the engine's); quarantined like the others. */
export function storageRejection(record: DecodedLogRecord, reason: string): Rejection {
  return {
    index: record.index,
    eventName: eventNameOf(record),
    reason: 'storage_rejected',
    detail: `the storage refused this record: ${reason.slice(0, 300)}`,
    record,
  };
}
