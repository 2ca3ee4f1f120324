/**
 * What the OpenAPI document (lib/api/openapi.ts) knows of one /api/v1 route: its path and method, a
 * summary, the zod schemas the route itself parses and answers with, who may call it and which
 * error statuses it can answer. defineRoute attaches it to the handler it returns, so the document
 * is generated from the very objects the route runs; a route that does not go through defineRoute
 * (health) attaches one with `withOperation`.
 */
import type { z } from 'zod';
import type { Access } from './auth';

export type HttpMethod = 'GET' | 'POST';

/** The statuses an /api/v1 route answers with the shared error body (lib/api/errors.ts). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 415 | 421 | 500 | 503;

export interface ApiOperation {
  /** The URL path, e.g. `/api/v1/stages/blast-radius` (the test checks it against the file's folder). */
  path: string;
  method: HttpMethod;
  /** camelCase, unique across the API (derived from defineRoute's `name`). */
  operationId: string;
  summary: string;
  description?: string;
  /** `public`: no token needed even when API_TOKENS is set (load balancers probe health). */
  access: Access | 'public';
  query?: z.ZodType;
  body?: z.ZodType;
  /** The success body (JSON), validated by the route before it is sent. */
  response: z.ZodType;
  /** The success status (201 for a created decision). */
  status: 200 | 201;
  /** Descriptions of query parameters that no shared description covers (lib/api/openapi.ts). */
  parameters?: Readonly<Record<string, string>>;
  /** Identical reads asked together may be answered by one computation (lib/api/shared-answers.ts). */
  sharedAnswers?: boolean;
  /** Error statuses answered with the shared error body. */
  errors: readonly ErrorStatus[];
  /** Other documented answers, e.g. health's 503 with its own body. */
  otherResponses?: ReadonlyArray<{ status: number; description: string; schema: z.ZodType; headers?: Record<string, string> }>;
}

export type DocumentedHandler<H> = H & { readonly operation: ApiOperation };

/** `cohorts-fallback-users` → `cohortsFallbackUsers`. */
export function operationIdOf(name: string): string {
  return name.replace(/[-_/.]+([a-z0-9])/gi, (_, letter: string) => letter.toUpperCase());
}

/** Attaches the route's description to its handler (defineRoute does it for its routes). */
export function withOperation<H extends (...args: never[]) => Promise<Response>>(
  handler: H,
  operation: ApiOperation,
): DocumentedHandler<H> {
  return Object.assign(handler, { operation });
}

/** The description a handler carries, if any. */
export function operationOf(handler: unknown): ApiOperation | undefined {
  if (typeof handler !== 'function') return undefined;
  return (handler as { operation?: ApiOperation }).operation;
}

type ZodDef = {
  type: string;
  shape?: Record<string, z.ZodType>;
  left?: z.ZodType;
  right?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
};
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: ZodDef } })._zod.def;

/**
 * The top-level fields a query schema reads, by name: objects, intersections (`.and`), pipes
 * (transforms, `.pipe`) and unions. Each is one query parameter.
 */
export function queryFields(schema: z.ZodType | undefined): Record<string, z.ZodType> {
  if (!schema) return {};
  const def = defOf(schema);
  switch (def.type) {
    case 'object':
      return { ...def.shape };
    case 'intersection':
      return { ...queryFields(def.left), ...queryFields(def.right) };
    case 'pipe':
      return queryFields(def.in);
    case 'union':
      return Object.assign({}, ...(def.options ?? []).map(queryFields)) as Record<string, z.ZodType>;
    default:
      return {};
  }
}
