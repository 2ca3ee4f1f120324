/**
 * The dashboard's one way to call the read API: builds the URL, validates the response with the
 * contract's zod schema (the same one the route uses) and turns the API's JSON error shape into an
 * Error whose message is the server's (already user-facing) text.
 */
import type { z } from 'zod';
import { zApiError } from '@/lib/api/errors';

export type ApiParams = Record<string, string | number | readonly string[] | null | undefined>;

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

/** `path?query` with empty values and empty lists left out; lists are comma-joined. */
export function apiUrl(path: string, params: ApiParams = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined) continue;
    const text = Array.isArray(value) ? value.join(',') : String(value);
    if (text !== '') query.set(key, text);
  }
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

export async function fetchApi<S extends z.ZodType>(
  path: string,
  params: ApiParams,
  responseSchema: S,
  init: { signal?: AbortSignal } = {},
): Promise<z.output<S>> {
  return request(apiUrl(path, params), path, responseSchema, { signal: init.signal, headers: { accept: 'application/json' } });
}

/** A JSON `POST` (the dashboard's writes), answered and validated like a read. */
export async function postApi<S extends z.ZodType>(path: string, body: unknown, responseSchema: S): Promise<z.output<S>> {
  return request(path, path, responseSchema, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
}

async function request<S extends z.ZodType>(url: string, path: string, responseSchema: S, init: RequestInit): Promise<z.output<S>> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    if ((error as Error)?.name === 'AbortError') throw error;
    throw new ApiRequestError(0, 'network_error', 'The server could not be reached; check your connection and retry.');
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const parsed = zApiError.safeParse(body);
    if (parsed.success) {
      const { code, message, parameter } = parsed.data.error;
      // The session ended (expired, signed out elsewhere, removed): sign in again and come back here.
      if (code === 'sign_in_required' && typeof window !== 'undefined') {
        const next = `${window.location.pathname}${window.location.search}`;
        window.location.replace(new URL(`/login?next=${encodeURIComponent(next)}`, window.location.origin).href);
      }
      throw new ApiRequestError(response.status, code, message, parameter);
    }
    throw new ApiRequestError(response.status, 'http_error', `The server answered ${response.status} ${response.statusText}`.trim() + '.');
  }
  const parsed = responseSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.map(String).join('.')}` : '';
    throw new ApiRequestError(
      response.status,
      'contract_mismatch',
      `The response of ${path} does not match its contract${where}: ${issue?.message ?? 'invalid'}.`,
    );
  }
  return parsed.data;
}

/** Retry once on network errors and storage outages; a 4xx or an invalid configuration will not fix itself. */
export function shouldRetry(failureCount: number, error: Error): boolean {
  // The evaluation queue is full (503 busy): it empties in seconds, so wait longer for it (1, 2, 4, 8 s).
  if (error instanceof ApiRequestError && error.code === 'busy') return failureCount < 4;
  if (failureCount >= 1) return false;
  if (error instanceof ApiRequestError) return error.code !== 'config_invalid' && (error.status === 0 || error.status >= 500);
  return true;
}
