/**
 * /api/v1/journeys, /journeys/flows and /journeys/upsell against the running app (the real embedded
 * engine), on the hand-built scenario of tests/fixtures/journey-scenario.ts: the path collapsing
 * (every state, repeated states, the timeout, in-progress flows), shares, durations, the diagram,
 * the time to sign in, a link's flows and the upsell conversion by exposure — all computed by hand.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { JourneyFlowsResponse, JourneysResponse, UpsellExposuresResponse } from '@/lib/contracts/journeys';
import { buildJourneyScenario } from '../fixtures/journey-scenario';
import { getJson, otlpJson, postLogs } from '../helpers/otlp';

const baseUrl = inject('baseUrl');
const scenario = buildJourneyScenario();
const window = `from=${scenario.from}&to=${scenario.to}&service=${scenario.service}`;
const journeys = async (kind: string, extra = '') => {
  const { status, body } = await getJson<JourneysResponse>(baseUrl, `/api/v1/journeys?kind=${kind}&${window}${extra}`);
  expect(status).toBe(200);
  return body;
};
const pathRows = (body: JourneysResponse) => body.paths.map((p) => [p.path, p.flows, p.medianMs, p.p90Ms]);

beforeAll(async () => {
  const response = await postLogs(baseUrl, JSON.stringify(otlpJson(scenario.records, { 'service.name': scenario.service })), {
    'content-type': 'application/json',
    authorization: `Bearer ${inject('ingestToken')}`,
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({});
});

describe('/api/v1/journeys', () => {
  it('collapses every sign-in flow into its path and end state, as computed by hand', async () => {
    const body = await journeys('sign_in');
    const expected = scenario.expected.signIn;
    expect(body.kind).toBe('sign_in');
    expect(body.timeoutMinutes).toBe(30);
    expect([body.flows, body.inProgress]).toEqual([expected.flows, expected.inProgress]);
    expect(Object.fromEntries(body.endStates.map((e) => [e.state, e.flows]))).toEqual(expected.endStates);
    expect(body.endStates.find((e) => e.state === 'passkey_success')!.share).toBeCloseTo(5 / 13, 12);
    expect(pathRows(body)).toEqual(expected.paths);
    expect(body.paths[0]!.share).toBeCloseTo(3 / 13, 12);
    expect(body.paths[0]!.endState).toBe('passkey_success');
    expect(body.otherPaths).toEqual({ paths: 0, flows: 0 });
  });

  it('gives the time to sign in by the method that succeeded, over all device classes and per device class', async () => {
    const body = await journeys('sign_in');
    expect(body.timeToSignIn.map((t) => [t.method, t.deviceClass, t.flows, t.p25Ms, t.medianMs, t.p90Ms])).toEqual(
      scenario.expected.signIn.timeToSignIn,
    );
  });

  it('draws every finished flow as nodes and links: entries at the left, one node per end state', async () => {
    const body = await journeys('sign_in');
    const link = (source: string, target: string) => body.links.find((l) => l.source === source && l.target === target)?.flows;
    expect(link('0:autofill', '1:autofill_ok')).toBe(3);
    expect(link('0:autofill', '1:autofill_error')).toBe(1);
    expect(link('0:password_form', '1:fallback_password')).toBe(2);
    expect(link('1:fallback_password', 'end:fallback_success')).toBe(2); // F6 and F7
    expect(link('2:fallback_password', 'end:fallback_success')).toBe(1); // F5
    expect(link('3:fallback_password', 'end:fallback_success')).toBe(1); // F11
    const node = (id: string) => body.nodes.find((n) => n.id === id);
    expect(node('end:passkey_success')).toMatchObject({ role: 'end', depth: null, flows: 5 });
    expect(node('0:password_form')).toMatchObject({ role: 'entry', depth: 0, flows: 5 });
    // each entry's flows leave it, and every flow reaches one end node
    const entries = body.nodes.filter((n) => n.role === 'entry').reduce((sum, n) => sum + n.flows, 0);
    const ends = body.nodes.filter((n) => n.role === 'end').reduce((sum, n) => sum + n.flows, 0);
    expect([entries, ends]).toEqual([13, 13]);
    for (const n of body.nodes.filter((x) => x.role !== 'end')) {
      expect(body.links.filter((l) => l.source === n.id).reduce((sum, l) => sum + l.flows, 0)).toBe(n.flows);
    }
  });

  it('builds registration and recovery journeys with their own entries and timeouts', async () => {
    expect(pathRows(await journeys('registration'))).toEqual(scenario.expected.registration);
    const recovery = await journeys('recovery');
    expect(recovery.timeoutMinutes).toBe(24 * 60);
    expect(pathRows(recovery)).toEqual(scenario.expected.recovery);
    expect(recovery.timeToSignIn).toEqual([]);
  });

  it('filters whole flows by their first event', async () => {
    const android = await journeys('sign_in', '&deviceClass=mobile-android');
    expect(pathRows(android)).toEqual([[['passkey_button', 'prompt_ok', 'verified', 'passkey_success'], 1, 4000, 4000]]);
  });

  it('refuses an unknown kind with a 400 naming the parameter', async () => {
    const { status, body } = await getJson<{ error: { parameter: string } }>(baseUrl, `/api/v1/journeys?kind=checkout&${window}`);
    expect([status, body.error.parameter]).toEqual([400, 'kind']);
  });
});

describe('/api/v1/journeys/flows', () => {
  it('lists the flows behind a link, newest first', async () => {
    const { depth, source, target, flows } = scenario.expected.signIn.link;
    const { status, body } = await getJson<JourneyFlowsResponse>(
      baseUrl,
      `/api/v1/journeys/flows?kind=sign_in&depth=${depth}&source=${source}&target=${target}&${window}`,
    );
    expect(status).toBe(200);
    expect(body.flows.map((f) => f.flowId)).toEqual(flows.map((name) => scenario.flowIds[name]));
    expect(body.flows[0]).toMatchObject({
      durationMs: 7000,
      deviceClass: 'desktop-windows',
      endState: 'passkey_success',
      path: ['autofill', 'autofill_ok', 'verified', 'passkey_success'],
    });
  });

  it('reaches end nodes and honours the limit', async () => {
    const { body } = await getJson<JourneyFlowsResponse>(
      baseUrl,
      `/api/v1/journeys/flows?kind=sign_in&depth=1&source=fallback_password&target=fallback_success&limit=1&${window}`,
    );
    expect(body.flows.map((f) => f.flowId)).toEqual([scenario.flowIds.f7]);
  });

  it('refuses a link without its target, or at a depth that is no whole number', async () => {
    const missing = await getJson<{ error: { parameter: string } }>(baseUrl, `/api/v1/journeys/flows?source=autofill&${window}`);
    expect([missing.status, missing.body.error.parameter]).toEqual([400, 'target']);
    const fraction = await getJson<{ error: { parameter: string } }>(
      baseUrl,
      `/api/v1/journeys/flows?depth=1.5&source=autofill&target=autofill_ok&${window}`,
    );
    expect([fraction.status, fraction.body.error.parameter]).toEqual([400, 'depth']);
  });
});

describe('/api/v1/journeys/upsell', () => {
  it('counts each upsell by how many times its user had been asked, history before the window included', async () => {
    const { status, body } = await getJson<UpsellExposuresResponse>(baseUrl, `/api/v1/journeys/upsell?${window}`);
    expect(status).toBe(200);
    expect(body.exposures.map((e) => [e.shown, e.accepted, e.registered])).toEqual(scenario.expected.upsell);
    expect(body.exposures.map((e) => e.label)).toEqual(['1st', '2nd', '3rd', '4th or later']);
    expect(body.exposures[0]!.acceptedShare).toBeCloseTo(1 / 3, 12);
    expect(body.exposures[1]!.registeredShare).toBe(0.5);
  });
});
