/**
 * Every /api/v1 operation with its zod schemas, for tests that throw input at all of them (query
 * safety, the parameter fuzz): read from the route modules themselves — defineRoute attaches each
 * route's description (lib/api/operation.ts) — through app/api/v1/registry.ts, which
 * tests/unit/openapi.test.ts keeps equal to the route files on disk. A new route or parameter is
 * covered without editing a test.
 */
import type { z } from 'zod';
import { operationsOf } from '@/lib/api/openapi';
import type { ApiOperation } from '@/lib/api/operation';
import * as openApiRoute from '@/app/api/v1/openapi.json/route';
import { API_ROUTES } from '@/app/api/v1/registry';

/** Every operation, GET /api/v1/openapi.json included (the registry leaves out the document's own route). */
export function apiOperations(): ApiOperation[] {
  return operationsOf([...API_ROUTES, openApiRoute]);
}

/** The top-level keys a query schema reads: objects, intersections (`.and`), pipes and unions. */
export function parameterNames(schema: z.ZodType | undefined): string[] {
  if (!schema) return [];
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  switch (def.type) {
    case 'object':
      return Object.keys(def.shape as Record<string, unknown>);
    case 'intersection':
      return [...new Set([...parameterNames(def.left as z.ZodType), ...parameterNames(def.right as z.ZodType)])];
    case 'pipe':
      return parameterNames(def.in as z.ZodType);
    case 'union':
      return [...new Set((def.options as z.ZodType[]).flatMap(parameterNames))];
    default:
      return [];
  }
}
