/**
 * Query safety: hostile values in every parameter of every /api/v1 endpoint must come back as a 400
 * or a 200 with a valid (usually empty) result — never a 500, never ClickHouse's error text — and the
 * tables must still exist and hold their data afterwards.
 *
 * Endpoints and their parameters come from the route modules' own descriptions
 * (tests/helpers/api-routes.ts), so a new endpoint or parameter is covered without editing this file.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { z } from 'zod';
import { zFilterParams } from '@/lib/api/params';
import { apiOperations, parameterNames } from '../helpers/api-routes';
import { otlpJson, uid } from '../helpers/otlp';

const baseUrl = inject('baseUrl');
const token = inject('ingestToken');

interface Endpoint {
  path: string;
  parameters: string[];
  response?: z.ZodType;
}

/** Every GET of the API (tests/helpers/api-routes.ts); one without a query schema (health) still gets the common parameters. */
function discoverEndpoints(): Endpoint[] {
  return apiOperations()
    .filter((operation) => operation.method === 'GET')
    .sort((a, b) => (a.path < b.path ? -1 : 1))
    .map((operation) => {
      const parameters = parameterNames(operation.query);
      return {
        path: operation.path,
        parameters: parameters.length > 0 ? parameters : ['from', 'to', 'deviceClass', 'limit'],
        response: operation.response,
      };
    });
}

/**
 * One value per kind of attack or edge. Each costs a full request (values that pass validation run
 * real ClickHouse queries), so near-duplicates are merged.
 */
const HOSTILE: Array<[label: string, value: string]> = [
  ['single quote', "'"],
  ['double quote', '"'],
  ['backslash', '\\'],
  ['escaped quote', "\\'"],
  ['sql injection', "x'; DROP TABLE ceremony_events; --"],
  ['placeholder', '{from:String}'],
  ['unicode: right-to-left override and emoji', '\u202Eevil\u202C 🔑💥👩‍💻'],
  ['NUL and line breaks', 'a\u0000b\r\n'],
  ['15 KB string (fits in a request line)', 'x'.repeat(15_000)],
  ['100 KB string', 'x'.repeat(100_000)],
  ['10,000 commas', ','.repeat(10_000)],
  ['invalid date', '2026-13-45'],
  ['far future date', '9999-12-31'],
  ['negative number', '-1'],
  ['huge number', '99999999999999999999999'],
  ['overflowing float', '1e309'],
  ['empty', ''],
];

/**
 * The values that reach a query as text. A parameter's parsing is shared by every endpoint that
 * takes it (lib/api/params.ts, lib/contracts), so the whole HOSTILE list runs against each parameter
 * on the first endpoint that has it; on the others, where only the query around the bound value
 * differs, these do (the suite's time is bounded: every accepted value runs the endpoint's queries).
 */
const BOUND_AS_TEXT = new Set([
  'single quote',
  'backslash',
  'sql injection',
  'placeholder',
  'NUL and line breaks',
  '15 KB string (fits in a request line)',
  '10,000 commas',
]);

/**
 * The global filters (lib/api/params.ts `zFilterParams`) are parsed by one schema and bound into one
 * shared predicate (sql/queries/shared.ts) on every metric endpoint: beyond the first endpoint that
 * takes one, two values — quotes and statement breaks, control characters — show that the SQL around
 * it is sound, without re-running the whole list on every endpoint (the suite's time is bounded).
 */
const GLOBAL_FILTERS = new Set(Object.keys(zFilterParams.shape));
const BOUND_FILTER_VALUES = new Set(['sql injection', 'NUL and line breaks']);

/** ClickHouse or driver error text that must never reach a client. */
const LEAK = /DB::Exception|Code: \d{2,3}|Syntax error|Cannot parse|chdb|clickhouse/i;
/** ClickHouse's error names are upper case (UNKNOWN_IDENTIFIER); data may say `unknown_event`. */
const LEAK_ERROR_NAME = /\bUNKNOWN_[A-Z_]+/;

async function request(url: string): Promise<{ status: number; text: string; contentType: string }> {
  const response = await fetch(url);
  return { status: response.status, text: await response.text(), contentType: response.headers.get('content-type') ?? '' };
}

function expectSafe(result: { status: number; text: string; contentType: string }, endpoint: Endpoint, label: string) {
  // Node's HTTP parser refuses a request line over 16 KB (431) before the app sees it: that is a
  // refusal too, and no query runs.
  expect([200, 400, 431], `${label}: status ${result.status}: ${result.text.slice(0, 300)}`).toContain(result.status);
  expect(result.text, label).not.toMatch(LEAK);
  expect(result.text, label).not.toMatch(LEAK_ERROR_NAME);
  if (result.status === 400) {
    const body = JSON.parse(result.text) as { error?: { code?: string; message?: string } };
    expect(body.error?.code, label).toBe('invalid_parameter');
    expect(body.error?.message, label).toBeTruthy();
  }
  if (result.status === 200 && result.contentType.includes('application/json') && endpoint.response) {
    const parsed = endpoint.response.safeParse(JSON.parse(result.text));
    expect(parsed.success, `${label}: response breaks its contract: ${parsed.error?.message.slice(0, 300)}`).toBe(true);
  }
}

/** A small population of our own, read back before and after the hostile requests. */
const seedUser = uid('safety');
const seedCredential = uid('cred');
const seedCeremony = uid('cer');
const seedTicket = uid('ticket');

async function seedSnapshot() {
  const events = (await (await fetch(`${baseUrl}/api/v1/events?userId=${seedUser}&limit=100`)).json()) as {
    events: Array<{ eventName: string }>;
    credentials: Array<{ credentialId?: string }>;
  };
  const failures = (await (await fetch(`${baseUrl}/api/v1/failures?reason=user_not_verified&deviceClass=tablet-android`)).json()) as {
    ceremonyList: { items: Array<{ ceremonyId: string }> };
  };
  return {
    events: events.events.map((event) => event.eventName).sort(),
    credentials: events.credentials.length,
    failedCeremonies: failures.ceremonyList.items.map((item) => item.ceremonyId).filter((id) => id === seedCeremony),
  };
}

const endpoints = discoverEndpoints();
/** Where each parameter gets the whole HOSTILE list: the first endpoint (in path order) that takes it. */
const fullListAt = new Map<string, string>();
for (const endpoint of endpoints)
  for (const parameter of endpoint.parameters) if (!fullListAt.has(parameter)) fullListAt.set(parameter, endpoint.path);
let before: Awaited<ReturnType<typeof seedSnapshot>>;

beforeAll(async () => {
  const now = Date.now() - 60_000;
  const device = { 'device.class': 'tablet-android', 'os.name': 'Android', 'browser.name': 'Chrome' };
  const response = await fetch(`${baseUrl}/v1/logs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(
      otlpJson([
        {
          eventName: 'auth.sign_in',
          timeMs: now,
          attributes: { 'user.id': seedUser, 'auth.method': 'password', 'auth.result': 'success', ...device },
        },
        {
          eventName: 'passkey.registration',
          timeMs: now + 1000,
          attributes: { 'user.id': seedUser, 'passkey.result': 'success', 'webauthn.credential.id': seedCredential, ...device },
        },
        {
          eventName: 'passkey.authentication',
          timeMs: now + 2000,
          attributes: {
            'user.id': seedUser,
            'passkey.result': 'failure',
            'webauthn.failure.reason': 'user_not_verified',
            'webauthn.ceremony.id': seedCeremony,
            ...device,
          },
        },
        {
          eventName: 'account.recovery',
          timeMs: now + 3000,
          attributes: { 'user.id': seedUser, 'account.recovery.stage': 'started', 'account.recovery.method': 'sms_code', ...device },
        },
        {
          eventName: 'support.ticket',
          timeMs: now + 4000,
          attributes: { 'user.id': seedUser, 'support.ticket.id': seedTicket, 'support.ticket.stage': 'opened' },
        },
      ]),
    ),
  });
  expect(response.status).toBe(200);
  const deadline = Date.now() + 5000;
  do {
    before = await seedSnapshot();
    if (before.events.length === 5) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  } while (Date.now() < deadline);
  expect(before.events).toHaveLength(5);
  expect(before.credentials).toBe(1);
  expect(before.failedCeremonies).toEqual([seedCeremony]);
}, 60_000);

describe('query safety', () => {
  it('discovers the read API: events, health and the recovery / support / failures / security endpoints at least', () => {
    const paths = endpoints.map((endpoint) => endpoint.path);
    for (const required of [
      '/api/v1/events',
      '/api/v1/health',
      '/api/v1/recovery',
      '/api/v1/support/drivers',
      '/api/v1/failures',
      '/api/v1/security',
    ]) {
      expect(paths).toContain(required);
    }
    const failures = endpoints.find((endpoint) => endpoint.path === '/api/v1/failures')!;
    expect(failures.parameters).toEqual(expect.arrayContaining(['groupBy', 'reason', 'page', 'from', 'to', 'deviceClass', 'variant']));
  });

  describe.each(endpoints.map((endpoint) => [endpoint.path, endpoint] as const))('%s', (_path, endpoint) => {
    it.each(endpoint.parameters.map((parameter) => [parameter]))(
      'hostile values in %s are refused or answered safely',
      async (parameter) => {
        const values =
          fullListAt.get(parameter) === endpoint.path
            ? HOSTILE
            : HOSTILE.filter(([label]) => (GLOBAL_FILTERS.has(parameter) ? BOUND_FILTER_VALUES : BOUND_AS_TEXT).has(label));
        for (const [label, value] of values) {
          const url = `${baseUrl}${endpoint.path}?${new URLSearchParams({ [parameter]: value }).toString()}`;
          expectSafe(await request(url), endpoint, `${endpoint.path} ${parameter}=${label}`);
        }
        // the same parameter repeated (joined with commas by defineRoute)
        const repeated = new URLSearchParams(Array.from({ length: 50 }, () => [parameter, "'; --"] as [string, string]));
        expectSafe(await request(`${baseUrl}${endpoint.path}?${repeated.toString()}`), endpoint, `${endpoint.path} ${parameter} ×50`);
      },
      300_000,
    );

    it('windows at the edges of what ClickHouse can represent', async () => {
      for (const [from, to] of [
        ['9999-12-01', '9999-12-31'],
        ['2299-12-01', '2299-12-31'],
        ['1900-01-01', '1900-01-20'],
        ['1969-12-01T00:00:00Z', '1970-01-02T00:00:00Z'],
        ['2026-01-01T00:00:00+14:00', '2026-01-02T00:00:00-12:00'],
        ['2026-01-01T00:00:00.123456789Z', '2026-01-01T00:00:00.123456790Z'],
      ]) {
        // A stage-gate evaluation at an edge `to` once, without its trend windows (each would be
        // another whole evaluation of the same edge: 60 s of the suite for no other path).
        const trend: Record<string, string> = endpoint.parameters.includes('trend') ? { trend: '0' } : {};
        const url = `${baseUrl}${endpoint.path}?${new URLSearchParams({ from: from!, to: to!, ...trend }).toString()}`;
        expectSafe(await request(url), endpoint, `${endpoint.path} from=${from} to=${to}`);
      }
    }, 120_000);
  });

  it('afterwards the tables still exist and hold their data', async () => {
    const health = (await (await fetch(`${baseUrl}/api/v1/health`)).json()) as { status: string; storage: { ready: boolean } };
    expect(health).toMatchObject({ status: 'ok', storage: { ready: true } });
    // ceremony_events (the events), credentials (the credential state) and the ceremony CTE over them
    expect(await seedSnapshot()).toEqual(before);
    const drivers = (await (
      await fetch(`${baseUrl}/api/v1/support/drivers/tickets?deviceClass=tablet-android&driver=authentication:user_not_verified`)
    ).json()) as {
      items: Array<{ ticketId: string; ceremonyId: string | null }>;
    };
    expect(drivers.items).toContainEqual(expect.objectContaining({ ticketId: seedTicket, ceremonyId: seedCeremony }));
  });
});
