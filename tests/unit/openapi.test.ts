/**
 * The OpenAPI document (lib/api/openapi.ts) as GET /api/v1/openapi.json serves it: valid OpenAPI
 * 3.1 in structure, listing exactly the routes under app/api/v1 (walked on disk) with the methods
 * each route.ts exports, its schemas generated from the zod contracts those routes run, and the
 * error answers each route can give. The running app answers as documented in
 * tests/integration/openapi.ch.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as openapiRoute from '@/app/api/v1/openapi.json/route';
import { API_ROUTES } from '@/app/api/v1/registry';
import { zApiError } from '@/lib/api/errors';
import { jsonSchemaOf, operationsOf, type OpenApiDocument, type RouteModule } from '@/lib/api/openapi';
import { operationOf, queryFields, type ApiOperation } from '@/lib/api/operation';
import { resolvePointer, validate } from '../helpers/json-schema';

const API_DIR = path.resolve(import.meta.dirname, '../../app/api/v1');
const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === 'route.ts' ? [full] : [];
  });
}

const urlPathOf = (file: string) => `/api/v1/${path.relative(API_DIR, path.dirname(file)).split(path.sep).join('/')}`;

interface DiskRoute {
  path: string;
  module: Record<string, unknown>;
  methods: string[];
}

type Operation = {
  operationId: string;
  responses: Record<string, unknown>;
  parameters?: Array<{
    name: string;
    in: string;
    required: boolean;
    description?: string;
    style?: string;
    explode?: boolean;
    schema: Record<string, unknown>;
  }>;
  requestBody?: { content: Record<string, { schema: { $ref: string } }> };
};

let doc: OpenApiDocument;
let disk: DiskRoute[];
const operations: ApiOperation[] = operationsOf([...API_ROUTES, openapiRoute]);

const operationIn = (route: string, method: string) => (doc.paths[route] as Record<string, Operation>)[method.toLowerCase()]!;
const schemaAt = (ref: { $ref: string }) => resolvePointer(doc, ref.$ref) as Record<string, unknown>;
function responseSchema(operation: ApiOperation): Record<string, unknown> {
  const success = operationIn(operation.path, operation.method).responses[String(operation.status)] as {
    content: Record<string, { schema: { $ref: string } }>;
  };
  return schemaAt(success.content['application/json']!.schema);
}

beforeAll(async () => {
  const response = await openapiRoute.GET(new Request('http://localhost/api/v1/openapi.json'));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  doc = (await response.json()) as OpenApiDocument;
  disk = await Promise.all(
    routeFiles(API_DIR).map(async (file) => {
      const exports = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
      return { path: urlPathOf(file), module: exports, methods: ALL_METHODS.filter((method) => method in exports) };
    }),
  );
});

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 in structure: info, paths, unique operation ids, responses everywhere', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toBeTruthy();
    const ids: string[] = [];
    for (const [route, item] of Object.entries(doc.paths)) {
      expect(route).toMatch(/^\/api\/v1\/[a-z0-9/.-]+$/);
      for (const [method, operation] of Object.entries(item as Record<string, Operation>)) {
        expect(['get', 'post'], `${route} ${method}`).toContain(method);
        ids.push(operation.operationId);
        const statuses = Object.keys(operation.responses);
        expect(statuses.length, `${route} ${method}`).toBeGreaterThan(0);
        expect(
          statuses.some((status) => /^2\d\d$/.test(status)),
          `${route} ${method}: no success`,
        ).toBe(true);
        for (const parameter of operation.parameters ?? []) {
          expect(parameter.in).toBe('query');
          expect(parameter.schema, `${route} ${parameter.name}`).toBeTypeOf('object');
          expect(parameter.description, `${route} ${parameter.name}: no description`).toBeTruthy();
        }
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('every $ref resolves', () => {
    const refs: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref') refs.push(value as string);
          else walk(value);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) expect(resolvePointer(doc, ref), ref).toBeDefined();
  });

  it('lists exactly the routes under app/api/v1, each with the methods its route.ts exports', () => {
    expect(disk.length).toBeGreaterThanOrEqual(15);
    expect(Object.keys(doc.paths).sort()).toEqual(disk.map((route) => route.path).sort());
    for (const route of disk) {
      expect(route.methods.length, `${route.path} exports no method`).toBeGreaterThan(0);
      expect(Object.keys(doc.paths[route.path]!).sort(), route.path).toEqual(route.methods.map((m) => m.toLowerCase()).sort());
    }
  });

  it('each handler carries its own path and method, and app/api/v1/registry.ts holds exactly these modules', () => {
    const onDisk = new Set<unknown>();
    for (const route of disk) {
      for (const method of route.methods) {
        const operation = operationOf(route.module[method]);
        expect(operation, `${method} ${route.path}: no operation (defineRoute or withOperation)`).toBeDefined();
        expect(operation!.path, `${route.path}: its path`).toBe(route.path);
        expect(operation!.method).toBe(method);
        onDisk.add(route.module[method]);
      }
    }
    const modules: RouteModule[] = [...API_ROUTES, openapiRoute];
    const registered = new Set(modules.flatMap((module) => [module.GET, module.POST].filter(Boolean)));
    expect(registered).toEqual(onDisk);
  });

  it('schemas are generated from the routes’ own zod contracts: query → parameters, body → request, response → response', () => {
    for (const operation of operations) {
      const documented = operationIn(operation.path, operation.method);
      expect(responseSchema(operation), `${operation.path} response`).toEqual(jsonSchemaOf(operation.response, 'output'));
      expect((documented.parameters ?? []).map((p) => p.name).sort(), `${operation.path} parameters`).toEqual(
        Object.keys(queryFields(operation.query)).sort(),
      );
      if (operation.body) {
        expect(schemaAt(documented.requestBody!.content['application/json']!.schema)).toEqual(jsonSchemaOf(operation.body, 'input'));
      } else expect(documented.requestBody).toBeUndefined();
    }
  });

  it('the window, list filters and defaults are described the way the routes parse them', () => {
    const overview = operationIn('/api/v1/overview', 'GET').parameters!;
    const byName = Object.fromEntries(overview.map((p) => [p.name, p]));
    for (const name of ['from', 'to']) {
      expect(byName[name]!.required).toBe(false);
      expect(JSON.stringify(byName[name]!.schema)).toContain('"format":"date"');
      expect(byName[name]!.description).toMatch(/ISO-8601/);
    }
    expect(byName.deviceClass).toMatchObject({ required: false, style: 'form', explode: false, schema: { type: 'array', default: [] } });
    expect(byName.deviceClass!.description).toMatch(/comma-separated.*repeated/i);
    expect((byName.deviceClass!.schema.items as { enum: string[] }).enum).toContain('mobile-ios');
    const failures = Object.fromEntries(operationIn('/api/v1/failures', 'GET').parameters!.map((p) => [p.name, p]));
    expect(failures.groupBy!.schema).toMatchObject({ type: 'array', default: ['reason'] });
    expect(failures.pageSize!.schema).toMatchObject({ type: 'integer', default: 50, maximum: 500 });
    // a parameter's documented schema accepts its own default
    for (const operation of operations) {
      for (const parameter of operationIn(operation.path, operation.method).parameters ?? []) {
        if ('default' in parameter.schema)
          expect(validate(parameter.schema, parameter.schema.default, doc), `${operation.path} ${parameter.name}`).toEqual([]);
      }
    }
  });

  it('error answers: the shared body wherever a route can give them', () => {
    expect(schemaAt({ $ref: '#/components/schemas/ApiError' })).toEqual(jsonSchemaOf(zApiError, 'output'));
    for (const operation of operations) {
      const statuses = Object.keys(operationIn(operation.path, operation.method).responses);
      const takesInput = Object.keys(queryFields(operation.query)).length > 0 || operation.body !== undefined;
      expect(statuses.includes('400'), `${operation.path} 400`).toBe(takesInput);
      expect(statuses.includes('401'), `${operation.path} 401`).toBe(operation.access !== 'public');
      expect(statuses.includes('403'), `${operation.path} 403`).toBe(operation.access === 'admin');
    }
    expect(operationIn('/api/v1/overview', 'GET').responses['503']).toEqual({ $ref: '#/components/responses/ServiceUnavailable' });
    expect(operationIn('/api/v1/stages/decisions', 'POST').responses).toHaveProperty('201');
    const health = operationIn('/api/v1/health', 'GET') as Operation & { security: unknown[] };
    expect(health.security).toEqual([]);
    expect(Object.keys(health.responses).sort()).toEqual(['200', '503']);
  });

  it('CSV exports are documented as text/csv where a route takes format=csv', () => {
    const csv = operations.filter((operation) => {
      const success = operationIn(operation.path, operation.method).responses[String(operation.status)] as {
        content: Record<string, unknown>;
      };
      return 'text/csv' in success.content;
    });
    const takesCsv = operations.filter((operation) => queryFields(operation.query).format?.safeParse('csv').success);
    expect(csv).toEqual(takesCsv);
    expect(csv.map((operation) => operation.path)).toEqual(
      expect.arrayContaining(['/api/v1/cohorts/fallback/users', '/api/v1/stages/blast-radius']),
    );
  });

  it('shared answers: only reads of the stored data say they may be shared, and document the headers that tell', () => {
    const shared = operations.filter((operation) => operation.sharedAnswers);
    expect(shared.every((operation) => operation.method === 'GET')).toBe(true);
    expect(shared.map((operation) => operation.path)).toEqual(
      expect.arrayContaining(['/api/v1/overview', '/api/v1/signin', '/api/v1/journeys', '/api/v1/events', '/api/v1/stages/blast-radius']),
    );
    // answers that read a configuration file (the stage gates keep their own evaluations, alerts
    // their rules), depend on who asks, or report the server's own state are computed per request
    const perRequest = [
      '/api/v1/stages',
      '/api/v1/stages/history',
      '/api/v1/stages/experiment',
      '/api/v1/alerts',
      '/api/v1/members',
      '/api/v1/audit',
      '/api/v1/health',
      '/api/v1/openapi.json',
    ];
    expect(shared.map((operation) => operation.path).filter((route) => perRequest.includes(route))).toEqual([]);
    for (const operation of operations) {
      const success = operationIn(operation.path, operation.method).responses[String(operation.status)] as {
        headers?: Record<string, unknown>;
      };
      expect(Object.keys(success.headers ?? {}).includes('X-Served-From'), operation.path).toBe(operation.sharedAnswers === true);
    }
  });
});
