/**
 * defineRoute: the one wrapper every /api/v1 route goes through. It authorizes, validates the
 * query (and body) with the route's zod schema, waits for storage readiness, runs the handler,
 * validates the response with the schema the client also uses, and maps every error in one place.
 * The handler it returns carries the route's OpenAPI description (`operation`, lib/api/operation.ts),
 * built from the same definition, so GET /api/v1/openapi.json cannot drift from the routes.
 */
import 'server-only';
import type { z } from 'zod';
import { dataChanged } from '../data-changes';
import { beginForeground } from '../foreground';
import { recordRequest, recordStorageError } from '../self-telemetry';
import { ensureReady } from '../startup';
import { audit } from '../auth/audit';
import { authorize, type Access, type Principal } from './auth';
import { EARLY_READ_HEADER, startEarlyRead, takeEarlyRead } from './early-reads';
import { errorResponse, storageErrorKind, unexpectedErrorResponse, zodErrorResponse } from './errors';
import { asksFresh, questionOf, sharedAnswer } from './shared-answers';
import { operationIdOf, queryFields, withOperation, type ErrorStatus, type HttpMethod } from './operation';

export interface RouteContext {
  request: Request;
  /** Who called: a token's name, or the open local install (lib/api/auth.ts). */
  principal: Principal;
}

interface RouteDefinition<Q extends z.ZodType, B extends z.ZodType | undefined, R extends z.ZodType> {
  /** Names the route in logs; its camelCase form is the OpenAPI operationId. */
  name: string;
  /** The URL path, e.g. `/api/v1/stages/blast-radius` (checked against the folder by a test). */
  path: `/api/v1/${string}`;
  /** Default GET, POST when the route takes a body. */
  method?: HttpMethod;
  /** One line for the OpenAPI document; `description` may say more. */
  summary: string;
  description?: string;
  /** Descriptions of the query parameters lib/api/openapi.ts has no shared description for. */
  parameters?: Partial<Record<keyof z.input<Q> & string, string>>;
  access?: Access;
  /** Statuses this route answers besides the shared ones (e.g. 404 for an unknown id). */
  errors?: readonly ErrorStatus[];
  query: Q;
  body?: B;
  response: R;
  /**
   * GET only: an identical read asked while this one is under way (or just after, with the data
   * unchanged) is answered by it (lib/api/shared-answers.ts). Only for an answer that depends on
   * nothing but the stored data and the API's writes — not on who asks, nor on a configuration file.
   */
  shared?: boolean;
  /** The status of a JSON success (default 200). */
  status?: 200 | 201;
  handler: (
    input: { query: z.output<Q>; body: B extends z.ZodType ? z.output<B> : undefined },
    context: RouteContext,
  ) => Promise<z.input<R> | Response>;
}

/** Query parameters as an object; a repeated parameter becomes a comma-joined list. */
export function searchParamsObject(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of new Set(url.searchParams.keys())) out[key] = url.searchParams.getAll(key).join(',');
  return out;
}

export function defineRoute<Q extends z.ZodType, R extends z.ZodType, B extends z.ZodType | undefined = undefined>(
  definition: RouteDefinition<Q, B, R>,
) {
  const access = definition.access ?? 'read';
  const errors: ErrorStatus[] = [
    ...(definition.body || Object.keys(queryFields(definition.query)).length > 0 ? [400 as const] : []),
    401,
    ...(access === 'admin' ? [403 as const, 415 as const] : []),
    ...(definition.errors ?? []),
    421,
    500,
    503,
  ];
  const method = definition.method ?? (definition.body ? 'POST' : 'GET');
  const shared = method === 'GET' && definition.shared === true;
  const handler = withOperation(route, {
    path: definition.path,
    method,
    operationId: operationIdOf(definition.name),
    summary: definition.summary,
    description: definition.description,
    access,
    query: definition.query,
    body: definition.body,
    response: definition.response,
    status: definition.status ?? 200,
    parameters: definition.parameters as Record<string, string> | undefined,
    sharedAnswers: shared,
    errors,
  });
  // Only a read can be started before it is asked (app/(product)/first-reads.ts).
  return method === 'GET' ? Object.assign(handler, { startEarly }) : handler;

  async function route(request: Request): Promise<Response> {
    const started = performance.now();
    const done = beginForeground();
    const response = await answer(request, true).finally(done);
    // A write is seen by every read after it, so no read begun before it is shared after it (even a
    // failed write may have written part).
    if (method !== 'GET') dataChanged();
    recordRequest(definition.path, request.method, response.status, performance.now() - started);
    return response;
  }

  /**
   * Starts this GET for `request` (the browser's own headers, the URL it will ask) as an early read
   * (lib/api/early-reads.ts), for the page that renders it; nothing when the caller may not read.
   */
  function startEarly(request: Request): void {
    let principal: Principal;
    try {
      principal = authorize(request, access);
    } catch {
      return;
    }
    startEarlyRead(principal, request.url, async () => {
      const done = beginForeground();
      return answer(request, false).finally(done);
    });
  }

  async function answer(request: Request, collect: boolean): Promise<Response> {
    try {
      const principal = authorize(request, access);
      if (collect && request.method === 'GET') {
        const early = await takeEarlyRead(principal, request.url)?.catch(() => undefined);
        // A failed early read is asked again: its failure may have passed.
        if (early?.ok) {
          early.headers.set(EARLY_READ_HEADER, 'early-read');
          return early;
        }
      }
      const query = definition.query.safeParse(searchParamsObject(new URL(request.url)));
      if (!query.success) return zodErrorResponse(query.error, 'query');
      let body: unknown = undefined;
      if (definition.body) {
        let raw: unknown;
        try {
          raw = await request.json();
        } catch {
          return errorResponse(400, 'invalid_body', 'The request body must be a JSON document.');
        }
        const parsed = definition.body.safeParse(raw);
        if (!parsed.success) return zodErrorResponse(parsed.error, 'body');
        body = parsed.data;
      }
      await ensureReady();
      const respond = async (): Promise<Response> => {
        const result = await definition.handler(
          { query: query.data, body: body as B extends z.ZodType ? z.output<B> : undefined },
          { request, principal },
        );
        if (result instanceof Response) return result;
        const checked = definition.response.parse(result);
        return Response.json(checked, { status: definition.status ?? 200, headers: { 'cache-control': 'no-store' } });
      };
      const response = shared && !asksFresh(request) ? await sharedAnswer(questionOf(request.url), respond) : await respond();
      // A file leaving the product (CSV of users, tickets, evaluations) is an export: recorded, once per request.
      if ((response.headers.get('content-type') ?? '').startsWith('text/csv'))
        audit(principal, 'export', definition.path, {
          query: searchParamsObject(new URL(request.url)),
          rows: Number(response.headers.get('x-total-count') ?? 0),
        });
      return response;
    } catch (error) {
      const kind = storageErrorKind(error);
      if (kind) recordStorageError(kind, definition.name);
      return unexpectedErrorResponse(error, definition.name);
    }
  }
}
