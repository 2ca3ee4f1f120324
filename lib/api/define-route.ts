/**
 * defineRoute: the one wrapper every /api/v1 route goes through. It authorizes, validates the
 * query (and body) with the route's zod schema, waits for storage readiness, runs the handler,
 * validates the response with the schema the client also uses, and maps every error in one place.
 */
import type { z } from 'zod';
import { ensureReady } from '../startup';
import { authorize, type Access } from './auth';
import { errorResponse, unexpectedErrorResponse, zodErrorResponse } from './errors';

export interface RouteContext {
  request: Request;
}

interface RouteDefinition<Q extends z.ZodType, B extends z.ZodType | undefined, R extends z.ZodType> {
  name: string;
  access?: Access;
  query: Q;
  body?: B;
  response: R;
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
  return async function route(request: Request): Promise<Response> {
    try {
      authorize(request, definition.access ?? 'read');
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
      const result = await definition.handler(
        { query: query.data, body: body as B extends z.ZodType ? z.output<B> : undefined },
        { request },
      );
      if (result instanceof Response) return result;
      const checked = definition.response.parse(result);
      return Response.json(checked, { headers: { 'cache-control': 'no-store' } });
    } catch (error) {
      return unexpectedErrorResponse(error, definition.name);
    }
  };
}
