/**
 * GET /api/v1/openapi.json on the running app, and the app answering as it says: every GET
 * operation that needs no parameter is called and its body checked against the response schema in
 * the served document (tests/helpers/json-schema.ts) and against the route's zod contract, whose
 * JSON Schema must be what the document holds; every CSV export answers text/csv with the headers
 * documented. The document's structure and its match with the route files: tests/unit/openapi.test.ts.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import * as openapiRoute from '@/app/api/v1/openapi.json/route';
import { API_ROUTES } from '@/app/api/v1/registry';
import { jsonSchemaOf, operationsOf, type OpenApiDocument } from '@/lib/api/openapi';
import { otlpJson, postLogs, uid } from '../helpers/otlp';
import { resolvePointer, validate } from '../helpers/json-schema';

const baseUrl = inject('baseUrl');
const token = inject('ingestToken');

type Operation = {
  parameters?: Array<{ name: string; required: boolean }>;
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }>; headers?: Record<string, unknown> }>;
};

const operations = operationsOf([...API_ROUTES, openapiRoute]);
const gets = operations.filter((operation) => operation.method === 'GET');
let doc: OpenApiDocument;

const documented = (path: string, method: string) => (doc.paths[path] as Record<string, Operation>)[method.toLowerCase()]!;

beforeAll(async () => {
  // a little data, so the bodies hold rows and not only empty lists
  const user = uid('openapi');
  const body = JSON.stringify(
    otlpJson([
      {
        eventName: 'auth.sign_in',
        attributes: { 'user.id': user, 'auth.method': 'password', 'auth.result': 'success', 'device.class': 'desktop-macos' },
      },
      {
        eventName: 'passkey.registration',
        attributes: { 'user.id': user, 'passkey.result': 'success', 'webauthn.credential.id': uid('cred') },
      },
    ]),
  );
  const ingest = await postLogs(baseUrl, body, { 'content-type': 'application/json', authorization: `Bearer ${token}` });
  expect(ingest.status).toBe(200);
  await ingest.body?.cancel();

  const response = await fetch(`${baseUrl}/api/v1/openapi.json`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  doc = (await response.json()) as OpenApiDocument;
});

/** A value for each parameter a route requires (a new required parameter must be named here). */
const REQUIRED_EXAMPLES: Record<string, string> = {
  source: 'autofill',
  target: 'autofill_ok',
  driver: 'no_preceding_failure',
  // GET /api/v1/stages/decisions?id=…: an unknown decision answers 200 with no snapshot.
  id: 'no-such-decision',
};

function requiredQuery(described: ReturnType<typeof documented>): string {
  const required = (described.parameters ?? []).filter((parameter) => parameter.required).map((parameter) => parameter.name);
  for (const name of required) expect(REQUIRED_EXAMPLES, `an example for the required parameter ${name}`).toHaveProperty(name);
  return required.length === 0 ? '' : `?${new URLSearchParams(required.map((name) => [name, REQUIRED_EXAMPLES[name]!])).toString()}`;
}

describe('GET /api/v1/openapi.json', () => {
  it('serves the OpenAPI 3.1 document of every route', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([...new Set(operations.map((operation) => operation.path))].sort());
  });

  it.each(gets.map((operation) => [operation.path, operation] as const))('GET %s answers as documented', async (path, operation) => {
    const described = documented(path, 'GET');
    const response = await fetch(`${baseUrl}${path}${requiredQuery(described)}`);
    const text = await response.text();
    expect(response.status, `${path}: ${text.slice(0, 300)}`).toBe(operation.status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = JSON.parse(text) as unknown;

    const ref = described.responses[String(operation.status)]!.content!['application/json']!.schema.$ref!;
    const schema = resolvePointer(doc, ref) as Record<string, unknown>;
    expect(validate(schema, body, doc), `${path}: the body breaks the documented schema`).toEqual([]);
    // the document's schema is the route's own contract, and the body passes that contract too
    expect(schema).toEqual(jsonSchemaOf(operation.response, 'output'));
    const parsed = operation.response.safeParse(body);
    expect(parsed.success, `${path}: ${parsed.error?.message.slice(0, 300)}`).toBe(true);
  });

  it('every documented CSV export answers text/csv with the documented headers', async () => {
    const csv = gets.filter((operation) => documented(operation.path, 'GET').responses[String(operation.status)]!.content!['text/csv']);
    expect(csv.length).toBeGreaterThanOrEqual(2);
    for (const operation of csv) {
      const required = requiredQuery(documented(operation.path, 'GET'));
      const response = await fetch(`${baseUrl}${operation.path}${required || '?'}${required ? '&' : ''}format=csv`);
      expect(response.status, operation.path).toBe(200);
      expect(response.headers.get('content-type'), operation.path).toMatch(/^text\/csv/);
      // the CSV headers (the shared-answer headers are there only when an answer was shared)
      const headers = Object.entries(documented(operation.path, 'GET').responses['200']!.headers ?? {});
      const csvHeaders = headers.filter(([, header]) => (header as { description?: string }).description?.startsWith('CSV only'));
      expect(csvHeaders.length, operation.path).toBeGreaterThanOrEqual(2);
      for (const [header] of csvHeaders) {
        expect(response.headers.get(header), `${operation.path} ${header}`).not.toBeNull();
      }
      await response.body?.cancel();
    }
  });

  it('an invalid parameter gets the documented 400 with the shared error body', async () => {
    const response = await fetch(`${baseUrl}/api/v1/overview?deviceClass=toaster`);
    expect(response.status).toBe(400);
    const problems = validate({ $ref: '#/components/schemas/ApiError' }, await response.json(), doc);
    expect(problems).toEqual([]);
  });
});
