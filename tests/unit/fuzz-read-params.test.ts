/**
 * Fuzz: every /api/v1 parameter schema (the zod schemas the routes pass to defineRoute, read from
 * the routes as tests/helpers/api-routes.ts does, so a new route is covered without editing this
 * file) on random query strings — and the body schemas on random JSON.
 * A parse either succeeds with a well-typed value (the schema's output JSON Schema where zod can
 * express it; finite numbers, valid dates, a from/to window the route can run) or fails with a
 * ZodError — it never throws anything else. Seeded: a failure prints FUZZ_SEED=<seed>.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiOperations, parameterNames } from '../helpers/api-routes';
import { fuzzSeed, randomString, replayable, Rng } from '../helpers/fuzz';
import { validate } from '../helpers/json-schema';

const SEED = fuzzSeed();
const CASES_PER_SCHEMA = Number(process.env.FUZZ_PARAM_CASES ?? 300);
interface Target {
  route: string;
  role: 'query' | 'body';
  /** `<operationId>.<role>`: names the target in a failure. */
  name: string;
  schema: z.ZodType;
  parameters: string[];
  /** Parameters without a default: drawn more often, so that some inputs carry them all. */
  required: Set<string>;
}

/** The parameters an empty query is refused for. */
function requiredParameters(schema: z.ZodType): Set<string> {
  const result = schema.safeParse({});
  return new Set(result.success ? [] : result.error.issues.map((issue) => String(issue.path[0] ?? '')).filter(Boolean));
}

/** Every route's query and body schema (tests/helpers/api-routes.ts), each schema once. */
function discoverTargets(): Target[] {
  const seen = new Set<z.ZodType>();
  const targets: Target[] = [];
  for (const operation of apiOperations()) {
    for (const role of ['query', 'body'] as const) {
      const schema = operation[role];
      if (!schema || seen.has(schema)) continue;
      seen.add(schema);
      targets.push({
        route: `${operation.method} ${operation.path}`,
        role,
        name: `${operation.operationId}.${role}`,
        schema,
        parameters: parameterNames(schema),
        required: requiredParameters(schema),
      });
    }
  }
  return targets;
}

/** Values a parameter plausibly takes (so that some parses succeed), and values that break parsers. */
const PLAUSIBLE = [
  '',
  '2026-01-01',
  '2026-11-01T00:00:00Z',
  '2026-11-25T12:30:00+01:00',
  '2026-11-25T12:30:00',
  '2025-01-01',
  '1',
  '0',
  '28',
  '1000',
  '1001',
  'true',
  'false',
  'csv',
  'json',
  '*',
  'production',
  'production,staging',
  'UTC',
  'Europe/Berlin',
  'America/Los_Angeles',
  'desktop_windows',
  'phone_ios,phone_android',
  'synced',
  'high',
  'registration',
  'passkey.prompt,auth.sign_in',
  'environment',
  'service',
  'serviceVersion',
  'deviceClass',
  'advance',
  'u_1',
  '0',
  '-1',
  '1e309',
  'NaN',
  '99999999999999999999999',
  '2026-13-45',
  '9999-12-31',
  '0000-01-01',
  ',,,',
  ' , * ,',
];

function randomValue(rng: Rng): string {
  const kind = rng.int(10);
  if (kind < 5) return rng.pick(PLAUSIBLE);
  if (kind < 7) return Array.from({ length: rng.between(1, 25) }, () => rng.pick(PLAUSIBLE)).join(rng.pick([',', ', ', ',,']));
  return randomString(rng, 60, 0.02);
}

/** Well-formed values of the parameters whose shape a random value rarely hits. */
const REQUIRED_VALUES: Record<string, readonly string[]> = {
  tz: ['UTC', 'Europe/Berlin', 'Asia/Kolkata'],
  driver: ['no_preceding_failure', 'authentication:user_not_verified', 'recovery:failed'],
  id: ['0b6f3c2e-4a51-4c1e-9d0b-3f1b2a7c9e11', 'no-such-decision'],
};

function randomQuery(rng: Rng, parameters: readonly string[], required: ReadonlySet<string>): Record<string, string> {
  const query: Record<string, string> = {};
  for (const name of parameters) {
    // Routes with many optional parameters get fewer of them at once, so some queries still parse whole.
    if (!rng.chance(required.has(name) ? 0.9 : Math.min(0.4, 6 / parameters.length))) continue;
    const known = REQUIRED_VALUES[name];
    query[name] = known && rng.chance(0.5) ? rng.pick(known) : randomValue(rng);
  }
  if (rng.chance(0.1)) query[randomString(rng, 10, 0)] = randomValue(rng);
  return query;
}

function randomJson(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth > 3 ? 5 : 7)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick([0, -1, 1.5, 1e308, Number.MAX_SAFE_INTEGER + 2]);
    case 3:
    case 4:
      return rng.chance(0.5) ? rng.pick(PLAUSIBLE) : randomString(rng, 40, 0.02);
    case 5:
      return Array.from({ length: rng.int(4) }, () => randomJson(rng, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: rng.int(5) }, () => [
          rng.pick(['userId', 'action', 'stage', 'reason', 'fromStage', 'toStage', randomString(rng, 8, 0)]),
          randomJson(rng, depth + 1),
        ]),
      );
  }
}

/** Plain data all the way down: strings, finite numbers, booleans, valid dates, arrays, plain objects. */
function checkWellTyped(value: unknown, where: string): void {
  if (value === undefined || value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${where}: a non-finite number ${value}`);
    return;
  }
  if (value instanceof Date) {
    if (!Number.isFinite(value.getTime())) throw new Error(`${where}: an invalid Date`);
    return;
  }
  if (Array.isArray(value)) return value.forEach((v, i) => checkWellTyped(v, `${where}[${i}]`));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, v] of Object.entries(value)) checkWellTyped(v, `${where}.${key}`);
    return;
  }
  throw new Error(`${where}: an unexpected ${Object.prototype.toString.call(value)}`);
}

/** Drops `additionalProperties: false`: the two sides of an intersection (`.and`) each forbid the other's keys. */
function openObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(openObjects);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'additionalProperties' && value === false))
      .map(([key, value]) => [key, openObjects(value)]),
  );
}

/** The schema's output as JSON Schema, where zod can express it (a transform's output is "any"). */
function outputSchema(schema: z.ZodType): Record<string, unknown> {
  return openObjects(z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' })) as Record<string, unknown>;
}

const targets = discoverTargets();
const fuzzTotals = { cases: 0, parsed: 0 };

describe(`fuzz: /api/v1 parameter schemas (seed ${SEED})`, () => {
  it('finds every route schema', () => {
    expect(targets.filter((t) => t.role === 'query').length).toBeGreaterThanOrEqual(10);
    // a route without parameters declares an empty object (a POST whose input is its body)
    for (const target of targets.filter((t) => t.role === 'query' && t.parameters.length === 0)) {
      expect(target.schema.safeParse({}).success, target.name).toBe(true);
    }
  });

  it.each(targets.map((t) => [`${t.route} ${t.role} (${t.name})`, t] as const))(
    `%s: ${CASES_PER_SCHEMA} random inputs parse to a well-typed value or a ZodError`,
    (_label, target) => {
      const rng = new Rng(SEED ^ [...target.name].reduce((h, c) => Math.imul(h, 31) + c.charCodeAt(0), 7));
      const jsonSchema = outputSchema(target.schema);
      let succeeded = 0;
      for (let i = 0; i < CASES_PER_SCHEMA; i++) {
        const input = target.role === 'query' ? randomQuery(rng, target.parameters, target.required) : randomJson(rng);
        replayable(SEED, target.name, i, () => {
          let parsed: unknown;
          let thrown: unknown;
          try {
            parsed = target.schema.parse(input);
          } catch (error) {
            thrown = error;
          }
          const safe = target.schema.safeParse(input);
          if (thrown !== undefined) {
            if (!(thrown instanceof z.ZodError))
              throw new Error(
                `threw ${Object.prototype.toString.call(thrown)}: ${String(thrown)} for ${JSON.stringify(input).slice(0, 300)}`,
              );
            if (safe.success) throw new Error('parse threw but safeParse succeeded');
            if (!(safe.error instanceof z.ZodError) || safe.error.issues.length === 0) throw new Error('safeParse failed without issues');
            return;
          }
          if (!safe.success) throw new Error('parse succeeded but safeParse failed');
          succeeded += 1;
          checkWellTyped(parsed, 'output');
          const output = parsed as Record<string, unknown>;
          if (output.from instanceof Date && output.to instanceof Date) {
            const span = output.to.getTime() - output.from.getTime();
            if (!(span > 0 && span <= 400 * 86_400_000)) throw new Error(`from/to window of ${span} ms`);
          }
          const problems = validate(jsonSchema as never, JSON.parse(JSON.stringify(parsed)), jsonSchema);
          if (problems.length > 0)
            throw new Error(`output breaks its schema: ${problems.slice(0, 3).join('; ')} for ${JSON.stringify(input).slice(0, 300)}`);
        });
      }
      // Both outcomes are exercised: the schema is not rejecting (or accepting) everything.
      if (target.role === 'query') expect(succeeded, `${target.name}: no input parsed`).toBeGreaterThan(0);
      fuzzTotals.cases += CASES_PER_SCHEMA;
      fuzzTotals.parsed += succeeded;
    },
  );

  it(`ran ${'≥'} 4,000 parameter cases in all`, () => {
    expect(fuzzTotals.cases).toBeGreaterThanOrEqual(4000);
    console.log(
      `[fuzz] seed ${SEED}: ${fuzzTotals.cases} parameter cases over ${targets.length} schemas, ${fuzzTotals.parsed} parsed, the rest ZodErrors`,
    );
  });
});
