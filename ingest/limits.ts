/**
 * Per-request ingest limits (DESIGN.md section 10: no input crashes the process or grows its memory
 * without bound).
 *
 * Why these four: the body cap alone does not bound memory. 16 MiB of protobuf holds 8 M empty
 * LogRecords (two bytes each) or millions of attributes, and every one becomes several JS objects
 * once decoded. So the decoders count records before building any of them (a request over the cap
 * is refused whole), and bound what one record may carry (attribute values, string length, nesting
 * depth). A record over those limits is rejected alone, in partial_success, and quarantined in a
 * truncated form: one bad record never sinks its batch.
 */

export interface IngestLimits {
  /** Log records per request; beyond it the whole request is refused (413). */
  maxRecords: number;
  /** Attribute values per record: every attribute, and every element of an array or map value, at any depth (body included). */
  maxAttributes: number;
  /** Characters per string value (and attribute key); bytes per bytes value. */
  maxValueLength: number;
  /** Nesting of AnyValue: a scalar attribute is depth 1, each array or map level adds one. */
  maxDepth: number;
}

/** The OpenTelemetry JS SDK exports batches of 512 records by default; the demo sends 5,000. */
export const DEFAULT_LIMITS: IngestLimits = {
  maxRecords: 10_000,
  maxAttributes: 256,
  maxValueLength: 16 * 1024,
  maxDepth: 8,
};

/** The environment variable behind each limit, named in every message about it. */
export const LIMIT_VARIABLES: Record<keyof IngestLimits, string> = {
  maxRecords: 'INGEST_MAX_RECORDS',
  maxAttributes: 'INGEST_MAX_ATTRIBUTES',
  maxValueLength: 'INGEST_MAX_VALUE_LENGTH',
  maxDepth: 'INGEST_MAX_DEPTH',
};

export function resolveLimits(limits: Partial<IngestLimits> | undefined): IngestLimits {
  return { ...DEFAULT_LIMITS, ...limits };
}

/** The request holds more records than `maxRecords`: refused whole, detected before decoding them. */
export class TooManyRecordsError extends Error {
  override name = 'TooManyRecordsError';
  constructor(readonly limit: number) {
    super(
      `The request holds more than ${limit.toLocaleString('en-US')} log records (${LIMIT_VARIABLES.maxRecords}); nothing was stored. Send smaller batches (e.g. BatchLogRecordProcessor maxExportBatchSize).`,
    );
  }
}

/**
 * Tracks one record's (or resource's) use of the per-record limits while it is decoded. The first
 * problem found is kept as the rejection detail; decoding goes on, truncated, so the quarantined
 * copy still shows what was sent.
 */
export class RecordBudget {
  values = 0;
  violation: string | undefined;

  constructor(readonly limits: IngestLimits) {}

  /** Counts one value; false once the record is over `maxAttributes` (the value is then dropped). */
  takeValue(): boolean {
    this.values += 1;
    if (this.values <= this.limits.maxAttributes) return true;
    this.flag(
      `more than ${this.limits.maxAttributes} attribute values (${LIMIT_VARIABLES.maxAttributes}; array and map elements count too)`,
    );
    return false;
  }

  /** false when a value at `depth` is nested too deep (it is then dropped). */
  allowDepth(depth: number, where: string): boolean {
    if (depth <= this.limits.maxDepth) return true;
    this.flag(`${where}: nested deeper than ${this.limits.maxDepth} levels (${LIMIT_VARIABLES.maxDepth})`);
    return false;
  }

  /** The string, cut to `maxValueLength` characters if longer (and the record flagged). */
  clip(value: string, where: string): string {
    if (value.length <= this.limits.maxValueLength) return value;
    this.flag(`${where}: longer than ${this.limits.maxValueLength.toLocaleString('en-US')} characters (${LIMIT_VARIABLES.maxValueLength})`);
    return value.slice(0, this.limits.maxValueLength);
  }

  flag(problem: string): void {
    this.violation ??= problem;
  }
}

/** An attribute key as shown in a rejection detail. */
export function keyLabel(key: string): string {
  return key.length > 80 ? `${key.slice(0, 80)}…` : key;
}
