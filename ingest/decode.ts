/**
 * OTLP/HTTP logs decoding, protobuf and JSON, into one flat shape: a list of log records, each
 * carrying its own resource attributes and scope name.
 *
 * Why by hand around the libraries: the OTLP JSON encoding differs from the protobuf JSON mapping
 * (trace/span ids are hex, not base64; enums are integers; 64-bit integers may be strings or
 * numbers), so JSON goes through a zod schema of the OTLP JSON format rather than protobufjs'
 * fromObject. Unknown fields are ignored in both encodings, as the specification requires.
 *
 * Both decoders enforce the per-request limits of ./limits.ts: the records are counted before any
 * is built (TooManyRecordsError; for JSON by a scan of the text before JSON.parse, ./json-scan.ts), and a record over a per-record limit comes out truncated with
 * `limitViolation` set, so the row mapper rejects it alone.
 *
 * One entry point for both encodings: ./decode-protobuf.ts, ./decode-json.ts, and the shared record
 * and attribute model in ./decode-shared.ts.
 */
export { DecodeError, type AttributeValue, type Attributes, type DecodedLogRecord } from './decode-shared';
export { countProtobufRecords, decodeProtobuf } from './decode-protobuf';
export { decodeJson, zExportLogsServiceRequestJson } from './decode-json';
