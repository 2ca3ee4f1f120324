/**
 * The decoders' common output (./decode.ts): one flat log record carrying its own resource
 * attributes and scope name, the attribute value model both encodings decode into, and the error
 * for an undecodable body.
 */

export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };
export type Attributes = Record<string, AttributeValue>;

export interface DecodedLogRecord {
  /** Position in the request, 0-based, for partial-success messages. */
  index: number;
  /** Milliseconds since the epoch; 0 when the sender left the field unset. */
  timeMs: number;
  observedMs: number;
  severityNumber: number;
  severityText: string;
  body: AttributeValue;
  attributes: Attributes;
  /** Lowercase hex, '' when absent. */
  traceId: string;
  spanId: string;
  eventName: string;
  resource: Attributes;
  scopeName: string;
  /** Set when the record broke a per-record limit (ingest/limits.ts): it is then rejected, and its fields are truncated. */
  limitViolation?: string;
}

export class DecodeError extends Error {
  override name = 'DecodeError';
}

/** `out[key] = value`, except that a key named `__proto__` stays an own property. */
export function setAttribute(out: Attributes, key: string, value: AttributeValue): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}
