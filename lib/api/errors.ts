/**
 * One JSON error shape for the whole read API, and the one place errors become statuses:
 * invalid input → 400 naming the parameter, auth → 401/403, storage unreachable → 503 with advice,
 * anything else → a generic 500 with nothing internal leaked (the detail goes to the server log).
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

export function errorResponse(status: number, code: string, message: string, parameter?: string, headers: Record<string, string> = {}): Response {
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

export function unexpectedErrorResponse(error: unknown, where: string): Response {
  if (error instanceof ApiError) return errorResponse(error.status, error.code, error.message, error.parameter, error.headers);
  if (isStorageUnavailable(error)) {
    console.error(`[api] ${where}: storage unavailable: ${(error as Error).message}`);
    return errorResponse(503, 'storage_unavailable', 'Storage is unavailable right now; retry in a few seconds.', undefined, { 'retry-after': '5' });
  }
  console.error(`[api] ${where}: ${(error as Error)?.stack ?? String(error)}`);
  return errorResponse(500, 'internal_error', 'The request failed unexpectedly; the server log has the details.');
}
