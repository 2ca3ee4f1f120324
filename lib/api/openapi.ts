/**
 * The OpenAPI 3.1 description of /api/v1, served at GET /api/v1/openapi.json. Nothing in it is
 * written twice: every operation comes from the `operation` a route handler carries (defineRoute,
 * lib/api/operation.ts) — its path, method, summary and the very zod schemas the route parses its
 * query and body with and validates its answer with, turned into JSON Schema by zod 4
 * (`io: 'input'` for what a client sends, `io: 'output'` for what it gets back). The error answers
 * are the shared body of lib/api/errors.ts. tests/unit/openapi.test.ts checks the document against
 * the route files on disk; tests/integration/openapi.ch.test.ts calls every operation it lists.
 */
import { z } from 'zod';
import { zApiError } from './errors';
import { operationOf, queryFields, type ApiOperation, type ErrorStatus, type HttpMethod } from './operation';
import { DEFAULT_WINDOW_DAYS, MAX_WINDOW_DAYS } from './params';

export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'POST'];

/** A route module as Next.js loads it: its method exports. */
export type RouteModule = Partial<Record<HttpMethod, unknown>>;

type Json = Record<string, unknown>;

/** What the document promises about itself (the served document is checked against it). */
export const zOpenApiDocument = z.looseObject({
  openapi: z.literal('3.1.0'),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.looseObject({ schemas: z.record(z.string(), z.unknown()) }),
});
export type OpenApiDocument = z.infer<typeof zOpenApiDocument>;

/** GET /api/v1/openapi.json itself (app/api/v1/openapi.json/route.ts). */
export const OPENAPI_OPERATION: ApiOperation = {
  path: '/api/v1/openapi.json',
  method: 'GET',
  operationId: 'openapi',
  summary: 'This OpenAPI 3.1 description of /api/v1, generated from the zod contracts the routes validate with.',
  access: 'read',
  response: zOpenApiDocument,
  status: 200,
  errors: [401, 500],
};

/** Parameters most routes share (the window, the global filters, pages, CSV exports). A route's own text wins. */
const SHARED_PARAMETERS: Record<string, string> = {
  from:
    `Start of the window [from, to): an ISO-8601 date-time (e.g. \`2026-11-01T00:00:00Z\`) or a date (midnight UTC). ` +
    `Default: ${DEFAULT_WINDOW_DAYS} days before \`to\`; the window may span at most ${MAX_WINDOW_DAYS} days.`,
  to: 'End of the window (exclusive): an ISO-8601 date-time or a date (midnight UTC). Default: now.',
  tz:
    'The time zone of day buckets, an IANA name (e.g. `Europe/Berlin`): a day runs from local midnight to local midnight, so ' +
    'the buckets move, not only their labels. Default `UTC`. Endpoints without day buckets accept and echo it.',
  deviceClass: 'Global filter: only these device classes (empty = all).',
  os: 'Global filter: only these operating systems (empty = all).',
  browser: 'Global filter: only these browsers (empty = all).',
  provider: 'Global filter: only passkeys of these providers (empty = all).',
  credentialKind: 'Global filter: only these credential kinds (synced / device-bound; empty = all).',
  riskTier: 'Global filter: only users of these risk tiers (empty = all).',
  variant: 'Global filter: only users in these rollout flag variants (empty = all).',
  environment:
    'Global filter: only these deployment environments (`deployment.environment.name`), or `*` for every one. ' +
    'Absent: the DEFAULT_ENVIRONMENT the server is configured with, else every environment.',
  service: 'Global filter: only these services (`service.name`; empty = all).',
  serviceVersion: 'Global filter: only these service versions (`service.version`; empty = all).',
  osVersion: 'Global filter: only these OS versions (empty = all).',
  browserVersion: 'Global filter: only these browser versions (empty = all).',
  format: '`json` (default) or `csv`: the same rows as a CSV export (`text/csv`, an attachment).',
  raw:
    "CSV only: `1` exports the exact text; by default a `'` goes before any cell a spreadsheet would run as a formula " +
    '(starting with `=`, `+`, `-`, `@`, tab or carriage return).',
  page: '1-based page number.',
  pageSize: 'Rows per page.',
  limit: 'At most this many rows.',
};

const LIST_NOTE = 'A comma-separated list; the parameter may also be repeated (the values are joined).';

const ERROR_RESPONSES: Record<ErrorStatus, { name: string; description: string; headers?: Json }> = {
  400: {
    name: 'BadRequest',
    description:
      'Invalid input: `invalid_parameter` (`parameter` names the query parameter or body field), `invalid_body` ' +
      '(not a JSON document) or `invalid_decision`.',
  },
  401: {
    name: 'Unauthorized',
    description:
      '`sign_in_required`: sign-in is on (PUBLIC_URL) and the request carries neither a session nor a token; `unauthorized`: an unknown token, or API_TOKENS is set and a read ' +
      "carries none of its (or ADMIN_TOKENS') tokens, or API_TOKENS or ADMIN_TOKENS is set and a write carries no admin token, or an SSO proxy " +
      '(AUTH_PROXY_HEADER) signs people in and the request carries neither its header nor a token.',
    headers: { 'WWW-Authenticate': { description: '`Bearer`', schema: { type: 'string' } } },
  },
  403: {
    name: 'Forbidden',
    description:
      "`forbidden`: a valid read token or a viewer's session, but the action needs an admin token or an administrator; `cross_site_request`: a write " +
      'without a bearer token whose `Origin` or `Sec-Fetch-Site` names another site; `identity_header_refused`: the SSO identity header ' +
      '(AUTH_PROXY_HEADER) from an address not in AUTH_PROXY_ADDRESSES.',
  },
  404: { name: 'NotFound', description: '`not_found`: the member or invitation named does not exist.' },
  409: {
    name: 'Conflict',
    description:
      '`sign_in_not_configured`: member management needs PUBLIC_URL; `last_admin`: the last administrator cannot be removed or made a viewer.',
  },
  415: {
    name: 'UnsupportedMediaType',
    description: '`unsupported_media_type`: a write without a bearer token must be `application/json`.',
  },
  421: {
    name: 'MisdirectedRequest',
    description:
      "`host_not_allowed`: an open install answers loopback names only (localhost, 127.0.0.1, [::1]); a signed-in request only PUBLIC_URL's host.",
  },
  500: { name: 'InternalError', description: '`internal_error`: nothing internal is revealed; the server log has the details.' },
  503: {
    name: 'ServiceUnavailable',
    description:
      'Try again later: `storage_unavailable`, `busy` (too many stage-gate evaluations running and queued), `query_timeout` (QUERY_MAX_EXECUTION_TIME), `query_memory_limit` ' +
      '(QUERY_MAX_MEMORY_USAGE) or `config_invalid` (the rollout configuration, stage-gate routes).',
    headers: { 'Retry-After': { description: 'Seconds to wait (not sent with `config_invalid`).', schema: { type: 'integer' } } },
  },
};

const CSV_HEADERS: Json = {
  'Content-Disposition': { description: 'CSV only: `attachment; filename=…`.', schema: { type: 'string' } },
  'X-Total-Count': { description: 'CSV only: how many rows the whole selection holds.', schema: { type: 'integer' } },
};

type ZodInternals = { _zod: { def: { type: string; innerType?: z.ZodType; in?: z.ZodType; out?: z.ZodType }; optin?: string } };
const internals = (schema: z.ZodType) => (schema as unknown as ZodInternals)._zod;

/** zod 4 → JSON Schema 2020-12 (OpenAPI 3.1's dialect); a Date, never sent by these routes, becomes a date-time string. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _, ...json } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema._zod.def.type === 'date') Object.assign(jsonSchema, { type: 'string', format: 'date-time' });
    },
  }) as Json;
  return json;
}

/** A comma-separated list parameter (lib/api/params.ts): a string split and piped into an array; its array schema. */
function listArray(field: z.ZodType): z.ZodType | undefined {
  let current: z.ZodType | undefined = field;
  while (current) {
    const def: ZodInternals['_zod']['def'] = internals(current).def;
    if (def.type === 'default' || def.type === 'optional' || def.type === 'prefault') current = def.innerType;
    else if (def.type === 'pipe') {
      let out = def.out;
      while (out && internals(out).def.type === 'optional') out = internals(out).def.innerType;
      return out && internals(out).def.type === 'array' ? out : undefined;
    } else return undefined;
  }
  return undefined;
}

function parameterOf(name: string, field: z.ZodType, operation: ApiOperation): Json {
  const own = z.globalRegistry.get(field)?.description;
  const description = own ?? operation.parameters?.[name] ?? SHARED_PARAMETERS[name];
  const parameter: Json = { name, in: 'query', required: internals(field).optin === undefined };
  const array = listArray(field);
  if (array) {
    const schema = jsonSchemaOf(array, 'output');
    const absent = field.safeParse(undefined);
    if (absent.success && absent.data !== undefined) schema.default = absent.data;
    return { ...parameter, ...(description ? { description: `${description} ${LIST_NOTE}` } : {}), style: 'form', explode: false, schema };
  }
  return { ...parameter, ...(description ? { description } : {}), schema: jsonSchemaOf(field, 'input') };
}

/** `cohortsFallbackUsers` → `CohortsFallbackUsers`. */
const pascal = (id: string) => id.charAt(0).toUpperCase() + id.slice(1);

/** components.schemas being built, and the name each zod schema (per io) got there. */
interface Components {
  schemas: Json;
  names: Map<z.ZodType, Partial<Record<'input' | 'output', string>>>;
}

/**
 * The zod schema as JSON Schema under components.schemas (hoisting zod's `$defs` beside it) and a
 * reference to it; a schema placed before (health's 200 and 503) is referenced again.
 */
function place(components: Components, name: string, zodSchema: z.ZodType, io: 'input' | 'output'): Json {
  const known = components.names.get(zodSchema)?.[io];
  if (known) return { $ref: `#/components/schemas/${known}` };
  components.names.set(zodSchema, { ...components.names.get(zodSchema), [io]: name });
  const { schemas } = components;
  const { $defs, ...root } = jsonSchemaOf(zodSchema, io) as Json & { $defs?: Record<string, Json> };
  const target = (key: string) => `#/components/schemas/${key === '' ? name : `${name}_${key}`}`;
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => {
        if (key === '$ref' && typeof inner === 'string' && (inner === '#' || inner.startsWith('#/$defs/'))) {
          return [key, target(inner === '#' ? '' : inner.slice('#/$defs/'.length))];
        }
        return [key, rewrite(inner)];
      }),
    );
  };
  schemas[name] = rewrite(root);
  for (const [key, def] of Object.entries($defs ?? {})) schemas[`${name}_${key}`] = rewrite(def);
  return { $ref: `#/components/schemas/${name}` };
}

/**
 * The headers of an answer shared with an identical read asked together (lib/api/shared-answers.ts):
 * it holds every event and write this server acknowledged before the request, as a fresh one would.
 */
const SHARED_ANSWER_HEADERS: Json = {
  'X-Served-From': {
    description:
      '`shared-answer` when an identical read under way (or begun at most 5 s before, with no event or write acknowledged since) answered this one; send `Cache-Control: no-cache` for a read of your own.',
    schema: { type: 'string' },
  },
  'X-Answer-Began': { description: 'With `shared-answer`: when the shared read began (ISO 8601).', schema: { type: 'string' } },
};

function hasCsvFormat(operation: ApiOperation): boolean {
  const format = queryFields(operation.query).format;
  return !!format && format.safeParse('csv').success;
}

function operationObject(operation: ApiOperation, components: Components): Json {
  const id = pascal(operation.operationId);
  const parameters = Object.entries(queryFields(operation.query)).map(([name, field]) => parameterOf(name, field, operation));
  const csv = hasCsvFormat(operation);
  const success: Json = {
    description: operation.status === 201 ? 'Created.' : csv ? 'JSON, or with `format=csv` a CSV export.' : 'OK.',
    content: {
      'application/json': { schema: place(components, `${id}Response`, operation.response, 'output') },
      ...(csv ? { 'text/csv': { schema: { type: 'string' } } } : {}),
    },
    ...(csv || operation.sharedAnswers
      ? { headers: { ...(csv ? CSV_HEADERS : {}), ...(operation.sharedAnswers ? SHARED_ANSWER_HEADERS : {}) } }
      : {}),
  };
  const responses: Json = { [String(operation.status)]: success };
  for (const status of operation.errors) responses[String(status)] = { $ref: `#/components/responses/${ERROR_RESPONSES[status].name}` };
  for (const other of operation.otherResponses ?? []) {
    responses[String(other.status)] = {
      description: other.description,
      content: { 'application/json': { schema: place(components, `${id}Response${other.status}`, other.schema, 'output') } },
      ...(other.headers
        ? {
            headers: Object.fromEntries(
              Object.entries(other.headers).map(([name, text]) => [name, { description: text, schema: { type: 'string' } }]),
            ),
          }
        : {}),
    };
  }
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    tags: [operation.path.split('/')[3] ?? 'api'],
    security: operation.access === 'public' ? [] : [{ apiToken: [] }, {}],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(operation.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: place(components, `${id}Request`, operation.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

/** Every operation the modules' method exports carry, in path order. */
export function operationsOf(modules: readonly RouteModule[]): ApiOperation[] {
  const operations = modules.flatMap((module) =>
    HTTP_METHODS.flatMap((method) => {
      if (module[method] === undefined) return [];
      const operation = operationOf(module[method]);
      if (!operation) throw new Error(`a ${method} handler without an OpenAPI operation (use defineRoute or withOperation)`);
      if (operation.method !== method) throw new Error(`${operation.path}: exported as ${method} but described as ${operation.method}`);
      return [operation];
    }),
  );
  return operations.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.method < b.method ? -1 : 1));
}

/** The whole document for these route modules (app/api/v1/registry.ts lists them). */
export function openApiDocument(modules: readonly RouteModule[], version = process.env.npm_package_version ?? '0.1.0'): OpenApiDocument {
  const components: Components = { schemas: {}, names: new Map() };
  place(components, 'ApiError', zApiError, 'output');
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operationsOf(modules)) {
    const item = (paths[operation.path] ??= {});
    const method = operation.method.toLowerCase();
    if (item[method]) throw new Error(`${operation.method} ${operation.path} is described twice`);
    item[method] = operationObject(operation, components);
  }
  const responses = Object.fromEntries(
    Object.values(ERROR_RESPONSES).map(({ name, description, headers }) => [
      name,
      {
        description,
        ...(headers ? { headers } : {}),
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
      },
    ]),
  );
  return zOpenApiDocument.parse({
    openapi: '3.1.0',
    info: {
      title: 'Passkey rollout analytics API',
      version,
      description:
        'The read API behind every dashboard number, the stage gates and the event lookup (JSON, camelCase). ' +
        'Without API_TOKENS reads are open (a local install, loopback names only); with it, send one of its tokens as ' +
        '`Authorization: Bearer <token>`. With API_TOKENS or ADMIN_TOKENS set, writes (stage decisions) need one of ' +
        'ADMIN_TOKENS; a write without a bearer token must be JSON and same-origin. Errors share one body: ' +
        '`{ error: { code, message, parameter? } }`.',
    },
    paths,
    components: {
      schemas: components.schemas,
      responses,
      securitySchemes: {
        apiToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The secret of one of API_TOKENS or ADMIN_TOKENS (entries `name:secret`); needed when they are set.',
        },
      },
    },
  });
}
