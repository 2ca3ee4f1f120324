/**
 * A linear pre-scan of an OTLP/JSON body, run before JSON.parse.
 *
 * Why: JSON.parse materializes the whole body before anything can be counted. 16 MiB
 * (INGEST_MAX_BODY_BYTES) of `{},{},…` under `logRecords` is 5 M empty objects, about 500 MiB of
 * heap, only to be refused afterwards by the record cap; 16 MiB of `[[[[…` nests 8 M levels and
 * costs over 400 MiB and ten seconds of CPU. This scan walks the text once, character by character,
 * allocating nothing per element (one small role stack, sized by the nesting bound), and refuses:
 *
 * - more log records than `maxRecords`: it counts the elements of every `logRecords` /
 *   `log_records` array found at `$.resourceLogs[*].scopeLogs[*]` (either spelling at each level,
 *   keys compared after JSON unescaping). Every occurrence of a key is counted, duplicates too, so
 *   the count is never below what the decoder would see: a request it lets through is one the
 *   record cap would accept. Same error (TooManyRecordsError, 413) as the record cap.
 * - more `resourceLogs` or `scopeLogs` groups than `maxRecords` (each, counted the same way): a
 *   group carries at least one record in any real request, so more groups than the record cap
 *   means empty groups, the same bomb one level up.
 * - nesting deeper than `jsonNestingLimit(maxDepth)` (JsonNestingError; the decoder answers 400).
 *
 * Everything else, syntax errors included, is left to JSON.parse: on malformed text the scan
 * still ends (it stops at an unbalanced closing bracket) and the parser reports the error.
 */
import { LIMIT_VARIABLES, resolveLimits, TooManyRecordsError, type IngestLimits } from './limits';

/**
 * The deepest JSON nesting a request within INGEST_MAX_DEPTH can need, plus room for the unknown.
 *
 * A record's attribute value of depth 1 sits at nesting 10: the request object, resourceLogs [ ,
 * its element { , scopeLogs [ , its element { , logRecords [ , the record { , attributes [ , the
 * KeyValue { and the AnyValue { . Each further level adds 4 (kvlistValue { , values [ , KeyValue { ,
 * AnyValue { ; an array adds 3), and the deepest value may itself be an empty list (+2): so
 * 4 × maxDepth + 8 levels, 40 for the default 8. The bound adds 24 levels for fields the decoder
 * ignores: 64 by default. Deeper, the request is refused whole — a record nested between
 * maxDepth and this bound is still rejected alone, in partial_success.
 */
export function jsonNestingLimit(maxDepth: number): number {
  return 4 * maxDepth + 32;
}

/** The JSON nests deeper than any request within the limits can: refused whole, before parsing. */
export class JsonNestingError extends Error {
  override name = 'JsonNestingError';
  constructor(readonly limit: number) {
    super(
      `The body nests JSON deeper than ${limit} levels; no OTLP/JSON request within ${LIMIT_VARIABLES.maxDepth} needs that many. Nothing was stored.`,
    );
  }
}

/** More resourceLogs or scopeLogs groups than the record cap: answered like the record cap (413). */
export class TooManyGroupsError extends TooManyRecordsError {
  override name = 'TooManyGroupsError';
  constructor(limit: number, group: 'resourceLogs' | 'scopeLogs') {
    super(limit);
    this.message = `The request holds more than ${limit.toLocaleString('en-US')} ${group} groups (${LIMIT_VARIABLES.maxRecords}; every group carries at least one log record); nothing was stored. Send smaller batches.`;
  }
}

export interface JsonScan {
  /** Elements of the logRecords arrays (an upper bound of the records the decoder will see). */
  records: number;
  resourceGroups: number;
  scopeGroups: number;
  /** Objects and arrays in the whole body. */
  containers: number;
  /** The deepest nesting reached (the top-level value is 1). */
  nesting: number;
}

// The role of an open container, by where it sits in an ExportLogsServiceRequest.
const OTHER = 0;
const ROOT = 1; // the top-level object
const RESOURCE_LOGS = 2; // the resourceLogs array
const RESOURCE_GROUP = 3; // one of its elements
const SCOPE_LOGS = 4; // a scopeLogs array
const SCOPE_GROUP = 5; // one of its elements
const LOG_RECORDS = 6; // a logRecords array

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** The index of the quote closing the string whose opening quote is at `open`; text.length if none. */
function stringEnd(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i;
    if (c === BACKSLASH) i += 1;
  }
  return text.length;
}

const SIMPLE_ESCAPES: Record<number, number> = {
  0x22: 0x22,
  0x5c: 0x5c,
  0x2f: 0x2f,
  0x62: 0x08,
  0x66: 0x0c,
  0x6e: 0x0a,
  0x72: 0x0d,
  0x74: 0x09,
};

/** The code unit of the 4 hex digits at `at` (a \\u escape); -1 if they are not hex. */
function hex4(text: string, at: number): number {
  let value = 0;
  for (let i = at; i < at + 4; i++) {
    const c = text.charCodeAt(i) | 0x20; // lowercase
    const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/** Whether the raw JSON string between `start` and `end` (quotes excluded) decodes to `name`; no allocation. */
export function keyEquals(text: string, start: number, end: number, name: string): boolean {
  let n = 0;
  for (let i = start; i < end; i++, n++) {
    if (n >= name.length) return false;
    let c = text.charCodeAt(i);
    if (c === BACKSLASH) {
      const e = text.charCodeAt(i + 1);
      if (e === 0x75) {
        c = hex4(text, i + 2);
        i += 5;
      } else {
        c = SIMPLE_ESCAPES[e] ?? -1;
        i += 1;
      }
    }
    if (c !== name.charCodeAt(n)) return false;
  }
  return n === name.length;
}

/** The role of the array a key opens inside an object of role `parent`, OTHER when it is not one the scan follows. */
function childRole(parent: number, text: string, start: number, end: number): number {
  switch (parent) {
    case ROOT:
      return keyEquals(text, start, end, 'resourceLogs') || keyEquals(text, start, end, 'resource_logs') ? RESOURCE_LOGS : OTHER;
    case RESOURCE_GROUP:
      return keyEquals(text, start, end, 'scopeLogs') || keyEquals(text, start, end, 'scope_logs') ? SCOPE_LOGS : OTHER;
    case SCOPE_GROUP:
      return keyEquals(text, start, end, 'logRecords') || keyEquals(text, start, end, 'log_records') ? LOG_RECORDS : OTHER;
    default:
      return OTHER;
  }
}

/**
 * Scans `text` once; throws TooManyRecordsError (or its TooManyGroupsError) past `maxRecords`, and
 * JsonNestingError past `jsonNestingLimit(maxDepth)`, as soon as the bound is crossed.
 */
export function scanOtlpJson(text: string, limits: Partial<IngestLimits> = {}): JsonScan {
  const { maxRecords, maxDepth } = resolveLimits(limits);
  const nestingLimit = jsonNestingLimit(maxDepth);
  const roles = new Uint8Array(nestingLimit + 1);
  const isObject = new Uint8Array(nestingLimit + 1);
  const result: JsonScan = { records: 0, resourceGroups: 0, scopeGroups: 0, containers: 0, nesting: 0 };
  let depth = 0; // open containers; roles[depth - 1] is the innermost
  /** A value may start here: after `[`, `,` in an array, or `:`. Elements are counted when one starts. */
  let expectingValue = true;
  /** In an object: the next string is a key. */
  let expectingKey = false;
  /** The role the value after the current key will take if it is an array. */
  let pendingRole = OTHER;

  /** Counts a value starting in the innermost container; returns the role an array starting here takes. */
  const valueStarts = (): number => {
    if (depth === 0) return OTHER;
    if (isObject[depth - 1]) {
      const role = pendingRole;
      pendingRole = OTHER;
      return role;
    }
    switch (roles[depth - 1]) {
      case RESOURCE_LOGS:
        if (++result.resourceGroups > maxRecords) throw new TooManyGroupsError(maxRecords, 'resourceLogs');
        return RESOURCE_GROUP;
      case SCOPE_LOGS:
        if (++result.scopeGroups > maxRecords) throw new TooManyGroupsError(maxRecords, 'scopeLogs');
        return SCOPE_GROUP;
      case LOG_RECORDS:
        if (++result.records > maxRecords) throw new TooManyRecordsError(maxRecords);
        return OTHER;
      default:
        return OTHER;
    }
  };

  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) continue;
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (expectingKey) {
        pendingRole = childRole(roles[depth - 1]!, text, i + 1, end);
        expectingKey = false;
      } else if (expectingValue) {
        valueStarts();
        expectingValue = false;
      }
      i = end;
      continue;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      const opens = expectingValue ? valueStarts() : OTHER;
      // Groups are objects and the followed fields arrays; anything else in their place is just counted.
      const isGroup = opens === RESOURCE_GROUP || opens === SCOPE_GROUP;
      const role = depth === 0 ? (c === OPEN_OBJECT ? ROOT : OTHER) : isGroup === (c === OPEN_OBJECT) ? opens : OTHER;
      if (depth >= nestingLimit) throw new JsonNestingError(nestingLimit);
      roles[depth] = role;
      isObject[depth] = c === OPEN_OBJECT ? 1 : 0;
      depth += 1;
      result.containers += 1;
      if (depth > result.nesting) result.nesting = depth;
      expectingValue = c === OPEN_ARRAY;
      expectingKey = c === OPEN_OBJECT;
      pendingRole = OTHER;
      continue;
    }
    if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (depth === 0) return result; // unbalanced: JSON.parse will say so
      depth -= 1;
      expectingValue = false;
      expectingKey = false;
      continue;
    }
    if (c === COMMA) {
      if (depth === 0) return result;
      expectingKey = isObject[depth - 1] === 1;
      expectingValue = !expectingKey;
      continue;
    }
    if (c === COLON) {
      expectingValue = true;
      continue;
    }
    // A number or a literal (true, false, null): one value, however many characters it spans.
    if (expectingValue) {
      valueStarts();
      expectingValue = false;
    }
  }
  return result;
}
