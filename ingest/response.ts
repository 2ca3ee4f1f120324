/**
 * OTLP/HTTP responses, in the request's encoding: ExportLogsServiceResponse on success (with
 * partial_success when some records were rejected), google.rpc.Status on failure.
 */
import { ExportLogsServiceResponse, RpcStatus } from './otlp-proto';
import type { Rejection } from './to-rows';

export type WireFormat = 'protobuf' | 'json';

export const CONTENT_TYPES: Record<WireFormat, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/** google.rpc.Code values used here. */
export const RpcCode = {
  INVALID_ARGUMENT: 3,
  UNAUTHENTICATED: 16,
  RESOURCE_EXHAUSTED: 8,
  UNAVAILABLE: 14,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
} as const;

const MAX_PROBLEMS_IN_MESSAGE = 5;

export function partialSuccessMessage(rejections: Rejection[]): string {
  if (rejections.length === 0) return '';
  const shown = rejections
    .slice(0, MAX_PROBLEMS_IN_MESSAGE)
    .map((r) => `record ${r.index}${r.eventName ? ` (${r.eventName.slice(0, 60)})` : ''}: ${r.detail}`);
  const rest = rejections.length - shown.length;
  return `${rejections.length} record(s) rejected. ${shown.join(' | ')}${rest > 0 ? ` | …and ${rest} more` : ''}`;
}

export function exportResponse(format: WireFormat, rejections: Rejection[], headers: HeadersInit = {}): Response {
  const partial =
    rejections.length > 0 ? { rejectedLogRecords: rejections.length, errorMessage: partialSuccessMessage(rejections) } : undefined;
  const responseHeaders = new Headers(headers);
  responseHeaders.set('content-type', CONTENT_TYPES[format]);
  if (format === 'json') {
    // OTLP/JSON: int64 as a decimal string is always accepted by receivers of the response.
    const body = partial
      ? { partialSuccess: { rejectedLogRecords: String(partial.rejectedLogRecords), errorMessage: partial.errorMessage } }
      : {};
    return new Response(JSON.stringify(body), { status: 200, headers: responseHeaders });
  }
  const message = ExportLogsServiceResponse.create(partial ? { partialSuccess: partial } : {});
  return new Response(new Uint8Array(ExportLogsServiceResponse.encode(message).finish()), { status: 200, headers: responseHeaders });
}

export function statusResponse(format: WireFormat, httpStatus: number, code: number, message: string, headers: HeadersInit = {}): Response {
  const responseHeaders = new Headers(headers);
  responseHeaders.set('content-type', CONTENT_TYPES[format]);
  if (format === 'json') {
    return new Response(JSON.stringify({ code, message }), { status: httpStatus, headers: responseHeaders });
  }
  const body = RpcStatus.encode(RpcStatus.create({ code, message })).finish();
  return new Response(new Uint8Array(body), { status: httpStatus, headers: responseHeaders });
}
