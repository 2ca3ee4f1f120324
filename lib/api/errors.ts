/**
 * One JSON error shape for the whole read API, and the one place errors become statuses:
 * invalid input → 400 naming the parameter, auth → 401/403, storage unreachable → 503 with advice,
 * a read over its time or memory limit (lib/query.ts) → 503 naming the limit, anything else → a
 * generic 500 with nothing internal leaked (the detail goes to the server log).
 */
import { z } from 'zod';

export const zApiError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    parameter: z.string().optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof zApiError>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly parameter?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function errorResponse(
  status: number,
  code: string,
  message: string,
  parameter?: string,
  headers: Record<string, string> = {},
): Response {
  const body: ApiErrorBody = { error: { code, message, ...(parameter ? { parameter } : {}) } };
  return Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

export function zodErrorResponse(error: z.ZodError, where: 'query' | 'body'): Response {
  const issue = error.issues[0];
  // The parameter is the top-level name the caller sent; the message keeps the full path
  // (e.g. the offending item of a comma-separated list).
  const parameter = issue && issue.path.length > 0 ? String(issue.path[0]) : undefined;
  const path = issue && issue.path.length > 1 ? ` (${issue.path.map(String).join('.')})` : '';
  const message = issue
    ? `${where === 'query' ? 'Query parameter' : 'Body field'}${parameter ? ` '${parameter}'` : ''}${path}: ${issue.message}`
    : `Invalid ${where}.`;
  return errorResponse(400, 'invalid_parameter', message, parameter);
}

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'UND_ERR_SOCKET']);

export function isStorageUnavailable(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string }; message?: string } | undefined;
  if (!e) return false;
  if (e.code && UNAVAILABLE_CODES.has(e.code)) return true;
  if (e.cause?.code && UNAVAILABLE_CODES.has(e.cause.code)) return true;
  return /timeout|socket hang up|connect/i.test(e.message ?? '') && !/Code: \d+/.test(e.message ?? '');
}

/** ClickHouse's answers to a read over its limits (lib/query.ts), by error name and number. */
const QUERY_LIMIT_ERRORS = new Map<string, 'time' | 'memory'>([
  ['TIMEOUT_EXCEEDED', 'time'],
  ['159', 'time'],
  ['TOO_SLOW', 'time'], // the engine's estimate says the read would exceed max_execution_time
  ['160', 'time'],
  ['MEMORY_LIMIT_EXCEEDED', 'memory'],
  ['241', 'memory'],
]);

/** Which limit a storage error reports exceeded, if any (the error or its cause). */
export function queryLimitExceeded(error: unknown): 'time' | 'memory' | undefined {
  let e = error as { code?: unknown; type?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 3; depth += 1) {
    const kind = QUERY_LIMIT_ERRORS.get(String(e.type)) ?? QUERY_LIMIT_ERRORS.get(String(e.code));
    if (kind) return kind;
    e = e.cause as typeof e;
  }
  return undefined;
}

/** What kind of storage trouble an error thrown by a handler is (self-telemetry); null for the API's own errors. */
export function storageErrorKind(error: unknown): 'query_timeout' | 'query_memory_limit' | 'unavailable' | 'other' | null {
  if (error instanceof ApiError) return null;
  const limit = queryLimitExceeded(error);
  if (limit) return limit === 'time' ? 'query_timeout' : 'query_memory_limit';
  return isStorageUnavailable(error) ? 'unavailable' : 'other';
}

export function unexpectedErrorResponse(error: unknown, where: string): Response {
  if (error instanceof ApiError) return errorResponse(error.status, error.code, error.message, error.parameter, error.headers);
  const limit = queryLimitExceeded(error);
  if (limit) {
    console.warn(`[api] ${where}: query limit exceeded: ${(error as Error).message}`);
    return limit === 'time'
      ? errorResponse(
          503,
          'query_timeout',
          'The query ran longer than its time limit (QUERY_MAX_EXECUTION_TIME). Narrow the time window or the filters, or retry when the server is less busy.',
          undefined,
          { 'retry-after': '10' },
        )
      : errorResponse(
          503,
          'query_memory_limit',
          'The query needed more memory than its limit (QUERY_MAX_MEMORY_USAGE). Narrow the time window or the filters, or retry when the server is less busy.',
          undefined,
          { 'retry-after': '10' },
        );
  }
  if (isStorageUnavailable(error)) {
    console.error(`[api] ${where}: storage unavailable: ${(error as Error).message}`);
    return errorResponse(503, 'storage_unavailable', 'Storage is unavailable right now; retry in a few seconds.', undefined, {
      'retry-after': '5',
    });
  }
  console.error(`[api] ${where}: ${(error as Error)?.stack ?? String(error)}`);
  return errorResponse(500, 'internal_error', 'The request failed unexpectedly; the server log has the details.');
}
