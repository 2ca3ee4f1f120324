/**
 * `runDemo` against a private instance of the real app: a 300-user, 30-day population goes through
 * the SDK and the real OTLP/protobuf exporter into the embedded ClickHouse. Every event name
 * arrives, nothing is rejected or lost, sampled users come back event for event, and a ceremony
 * joins its browser prompt to its server verification. The rejection counter itself is proven by
 * sending one invalid record through the same sink.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoSink, runDemo, type DemoSummary } from '../../scripts/demo';
import { EVENT_NAME_OF_KIND, simulateUser, simulationWindow, userIdOf } from '@/lib/simulator';
import { EVENT_NAMES } from '@/lib/vocabulary';
import { isolatedApp } from '../helpers/isolated-app';
import { getJson, waitForEvents, type EventsBody } from '../helpers/otlp';

const app = isolatedApp();
const USERS = 300;
const DAYS = 30;
const SEED = 5;
const NOW = Date.now() - 60_000;
const WINDOW = simulationWindow({ days: DAYS, now: NOW });
const RANGE = `from=${new Date(WINDOW.start - 3_600_000).toISOString()}&to=${new Date(NOW + 3_600_000).toISOString()}`;

let summary: DemoSummary;
const lines: string[] = [];

beforeAll(async () => {
  await app.start();
  summary = await runDemo({
    endpoint: app.baseUrl,
    token: app.token,
    users: USERS,
    days: DAYS,
    seed: SEED,
    now: NOW,
    log: (line) => lines.push(line),
  });
}, 600_000);
afterAll(() => app.stop());

describe('npm run demo against the real app', () => {
  it('streams the population with nothing rejected and nothing lost, and says so', () => {
    expect(summary.users).toBe(USERS);
    expect(summary.events).toBeGreaterThan(USERS * 20);
    expect(summary.rejected).toBe(0);
    expect(summary.failed).toBe(0);
    expect(summary.exported).toBe(summary.events);
    expect(lines[0]).toMatch(/streaming 300 simulated users over the last 30 days \(seed 5\)/);
    expect(lines.at(-1)).toMatch(/accepted, 0 rejected, 0 lost$/);
  });

  it('the app stays healthy', async () => {
    const { status, body } = await getJson<{ status: string; storage: { ready: boolean } }>(app.baseUrl, '/api/v1/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', storage: { ready: true } });
  });

  it('stores events of every event name', async () => {
    for (const eventName of EVENT_NAMES) {
      const body = await waitForEvents(app.baseUrl, `eventName=${eventName}&limit=5&${RANGE}`, 1, 5_000);
      expect(body.events.length, eventName).toBeGreaterThan(0);
      for (const event of body.events) expect(event.eventName).toBe(eventName);
    }
  });

  it('returns sampled users event for event, with derived device classes and providers', async () => {
    for (const index of [0, 17, 123, 299]) {
      const simulated = simulateUser(SEED, index, WINDOW).events.filter((e) => e.ctx.userId === userIdOf(index));
      const body = await waitForEvents(app.baseUrl, `userId=${userIdOf(index)}&limit=1000&${RANGE}`, simulated.length, 5_000);
      expect(body.events).toHaveLength(simulated.length);
      const byName = (names: string[]) =>
        names.reduce<Record<string, number>>((acc, name) => ({ ...acc, [name]: (acc[name] ?? 0) + 1 }), {});
      expect(byName(body.events.map((e) => e.eventName))).toEqual(byName(simulated.map((e) => EVENT_NAME_OF_KIND[e.kind])));
      for (const event of body.events) expect(event.deviceClass).not.toBe('other');
      for (const event of body.events.filter((e) => e.eventName === 'passkey.registration' && e.result === 'success')) {
        expect(event.providerName).not.toBe('unknown');
      }
    }
  });

  it('joins a ceremony: browser prompt and server verification share the ceremony and the flow', async () => {
    const simulated = Array.from({ length: 40 }, (_, i) => simulateUser(SEED, i, WINDOW).events).flat();
    const server = simulated.find((e) => e.kind === 'authentication' && e.event.result === 'success');
    expect(server).toBeDefined();
    const ceremonyId = server?.ctx.ceremonyId ?? '';
    const { body } = await getJson<EventsBody>(app.baseUrl, `/api/v1/events?ceremonyId=${ceremonyId}&${RANGE}`);
    expect(body.events.map((e) => e.eventName).sort()).toEqual(['passkey.authentication', 'passkey.prompt']);
    expect(new Set(body.events.map((e) => e.flowId))).toEqual(new Set([server?.ctx.flowId]));
  });

  it('counts a record the ingest rejects (partial success) instead of hiding it', async () => {
    const sink = createDemoSink({ endpoint: app.baseUrl, token: app.token, log: () => {} });
    // A prompt without its outcome: schema-invalid, so the ingest quarantines it.
    sink.telemetry.api.emit('passkey.prompt', { 'user.id': 'usr_invalid', 'webauthn.ceremony.type': 'registration' });
    sink.telemetry.api.recordSignIn({ method: 'password', result: 'success' }, { userId: 'usr_valid_probe', timestamp: NOW });
    await sink.shutdown(); // exports what is queued and waits for the answer
    expect(sink.stats).toMatchObject({ exported: 2, rejected: 1, failed: 0 });
    const valid = await waitForEvents(app.baseUrl, `userId=usr_valid_probe&${RANGE}`, 1, 5_000);
    expect(valid.events).toHaveLength(1);
    const { body } = await getJson<EventsBody>(app.baseUrl, `/api/v1/events?userId=usr_invalid&${RANGE}`);
    expect(body.events).toHaveLength(0);
  });
});
