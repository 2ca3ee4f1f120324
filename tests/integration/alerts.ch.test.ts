/**
 * Alerts end to end (docs/alerts.md): a private app instance with a rollout config whose alert
 * rules have short windows, a local webhook receiver (node:http) that verifies every signature,
 * and scenario populations sent over OTLP that make each rule kind fire and then resolve — a stage
 * gate criterion and verdict, a failure-rate and failure-reason spike, recovery load, phishable
 * recoveries (one rule silenced), ingest silence and the rejected share. Evaluations are run on
 * demand with POST /api/v1/alerts/evaluate; deliveries are retried and their failures stored.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertsResponse, EvaluateResponse, SilencesResponse, TestResponse } from '@/lib/contracts/alerts';
import { isolatedApp } from '../helpers/isolated-app';
import { otlpJson, postLogs, type TestRecord } from '../helpers/otlp';

const SECRET = `whsec-${randomUUID()}`;
const MINUTE = 60_000;
const DAY = 86_400_000;
const app = isolatedApp();
const run = randomUUID().slice(0, 8);

interface Received {
  path: string;
  body: Record<string, unknown>;
  signatureValid: boolean;
}
const received: Received[] = [];
let failNextJson = 1;
let receiver: http.Server;

function verify(headers: http.IncomingHttpHeaders, body: string): boolean {
  const timestamp = String(headers['x-passkey-alerts-timestamp'] ?? '');
  const given = Buffer.from(String(headers['x-passkey-alerts-signature'] ?? ''));
  const expected = Buffer.from(`v1=${createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex')}`);
  return Math.abs(Date.now() / 1000 - Number(timestamp)) < 300 && given.length === expected.length && timingSafeEqual(given, expected);
}

async function startReceiver(): Promise<number> {
  receiver = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const url = request.url ?? '';
      if (url === '/broken') return void response.writeHead(500).end('down');
      if (url === '/json' && failNextJson > 0) {
        failNextJson -= 1;
        return void response.writeHead(503).end('busy');
      }
      received.push({ path: url, body: JSON.parse(text) as Record<string, unknown>, signatureValid: verify(request.headers, text) });
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  return (receiver.address() as AddressInfo).port;
}

/** Generic payloads received for a rule (and kind). */
const jsonNotices = (ruleId: string, kind?: string) =>
  received.filter((r) => r.path === '/json' && (r.body.rule as { id: string }).id === ruleId && (!kind || r.body.kind === kind));
const keysOf = (notices: Received[]) => notices.map((r) => (r.body.series as { key: string }).key).sort();

function rolloutConfig(): string {
  const json = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../config/rollout.default.json'), 'utf8')) as {
    transitions: Array<{ from: number; criteria: unknown[] }>;
    alerts: unknown;
  };
  json.transitions[0]!.criteria = [
    {
      id: 'registration-success',
      metric: 'registration_ceremony_success_rate',
      comparator: 'gte',
      threshold: 0.9,
      minSample: 20,
      windowDays: 1,
    },
  ];
  json.alerts = {
    defaults: { cooldownMinutes: 0 },
    rules: [
      { id: 'failure-rate-spike', ceremonyType: 'authentication', minCount: 10 },
      { id: 'failure-reason-spike', ceremonyType: 'authentication', minCount: 10 },
      { id: 'recovery-load', windowMinutes: 1, maxPer1000ActiveUsers: 100, minRecoveries: 5 },
      { id: 'phishable-recoveries', windowMinutes: 1, maxCount: 3 },
      { id: 'high-risk-phishable-recovery', windowMinutes: 1 },
      { id: 'ingest-silence', silentMinutes: 0.1, watchHours: 1 },
      { id: 'quarantine-share', minCount: 5, maxShare: 0.2 },
    ],
  };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pa-alerts-config-')), 'rollout.json');
  fs.writeFileSync(file, JSON.stringify(json));
  return file;
}

async function send(records: TestRecord[], service: string, expectRejected = 0): Promise<void> {
  for (let i = 0; i < records.length; i += 2000) {
    const response = await postLogs(app.baseUrl, JSON.stringify(otlpJson(records.slice(i, i + 2000), { 'service.name': service })), {
      'content-type': 'application/json',
      authorization: `Bearer ${app.token}`,
    });
    expect(response.status).toBe(200);
    const rejected = Number(
      ((await response.json()) as { partialSuccess?: { rejectedLogRecords?: string } }).partialSuccess?.rejectedLogRecords ?? 0,
    );
    if (expectRejected === 0) expect(rejected).toBe(0);
  }
}

async function post<T>(pathName: string, body: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${app.baseUrl}${pathName}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function evaluate(): Promise<EvaluateResponse> {
  const { status, body } = await post<EvaluateResponse>('/api/v1/alerts/evaluate', {});
  expect(status).toBe(200);
  expect(body.evaluated).toBe(true);
  expect(body.errors).toEqual([]);
  return body;
}

async function overview(): Promise<AlertsResponse> {
  const response = await fetch(`${app.baseUrl}/api/v1/alerts`);
  expect(response.status).toBe(200);
  return (await response.json()) as AlertsResponse;
}

const ceremony = (kind: 'registration' | 'authentication', timeMs: number, ok: boolean, reason = 'bad_signature'): TestRecord => ({
  eventName: `passkey.${kind}`,
  timeMs,
  attributes: {
    'user.id': `al-${run}-${randomUUID().slice(0, 8)}`,
    'device.class': 'mobile-android',
    'webauthn.ceremony.id': randomUUID(),
    'passkey.result': ok ? 'success' : 'failure',
    ...(ok ? { 'webauthn.credential.id': `cred-${run}-${randomUUID().slice(0, 12)}` } : {}),
    ...(ok ? {} : { 'webauthn.failure.reason': reason }),
  },
});

beforeAll(async () => {
  const port = await startReceiver();
  await app.start({
    ROLLOUT_CONFIG: rolloutConfig(),
    ALERTS: 'on',
    ALERT_INTERVAL_SECONDS: '3600',
    // Keep the stage-gate history pass out of this instance's timing.
    GATE_HISTORY: 'off',
    ALERT_WEBHOOK_URLS: `json:http://127.0.0.1:${port}/json,slack:http://127.0.0.1:${port}/slack,http://127.0.0.1:${port}/broken`,
    ALERT_WEBHOOK_SECRET: SECRET,
    ALERT_WEBHOOK_ATTEMPTS: '3',
    ALERT_WEBHOOK_BACKOFF_MS: '50',
  });
}, 180_000);

afterAll(async () => {
  await app.stop();
  await new Promise((resolve) => receiver.close(resolve));
});

describe('alerts against a real webhook receiver', () => {
  it('sends a signed test notification to every webhook, retrying and recording the failures', async () => {
    const { status, body } = await post<TestResponse>('/api/v1/alerts/test', { message: 'hello' });
    expect(status).toBe(200);
    expect(body.results.map((r) => [r.format, r.status, r.attempts])).toEqual([
      ['json', 'delivered', 2],
      ['slack', 'delivered', 1],
      ['json', 'failed', 3],
    ]);
    expect(body.results[2]).toMatchObject({ httpStatus: 500, error: 'HTTP 500' });
    const json = received.find((r) => r.path === '/json' && r.body.id === body.eventId)!;
    expect(json.body).toMatchObject({ version: 1, kind: 'test', summary: 'Test notification from local: hello' });
    const slack = received.find((r) => r.path === '/slack')!;
    expect(slack.body.text).toBe('[TEST] test (info): Test notification from local: hello');
    expect(slack.body.blocks).toBeInstanceOf(Array);
    expect(received.every((r) => r.signatureValid)).toBe(true);
    const { deliveries, webhooks, signed } = await overview();
    expect(signed).toBe(true);
    expect(webhooks.map((w) => w.format)).toEqual(['json', 'slack', 'json']);
    expect(deliveries.filter((d) => d.eventId === body.eventId && d.status === 'failed')).toHaveLength(1);
  });

  it('a stage gate criterion that starts failing fires, the verdict leaving ready fires, and both resolve', async () => {
    const now = Date.now() - 10 * MINUTE;
    await send(
      Array.from({ length: 100 }, (_, i) => ceremony('registration', now + i, true)),
      `gate-${run}`,
    );
    await evaluate();
    expect(jsonNotices('gate-verdict')).toEqual([]);
    await send(
      Array.from({ length: 100 }, (_, i) => ceremony('registration', now + 1000 + i, false)),
      `gate-${run}`,
    );
    await evaluate();
    expect(keysOf(jsonNotices('gate-verdict', 'firing'))).toEqual(['transition=1-2', 'transition=1-2|criterion=registration-success']);
    const state = (await overview()).rules.find((rule) => rule.id === 'gate-verdict')!;
    expect(state.state).toBe('firing');
    await evaluate(); // still failing: no second notice
    expect(jsonNotices('gate-verdict', 'firing')).toHaveLength(2);
    await send(
      Array.from({ length: 1500 }, (_, i) => ceremony('registration', now + 2000 + i, true)),
      `gate-${run}`,
    );
    await evaluate();
    expect(keysOf(jsonNotices('gate-verdict', 'resolved'))).toEqual(['transition=1-2', 'transition=1-2|criterion=registration-success']);
  });

  it('a failure spike against the 7-day baseline fires per device class and reason, and resolves', async () => {
    const now = Date.now();
    const baseline = Array.from({ length: 400 }, (_, i) => ceremony('authentication', now - 6 * DAY + i * 20 * MINUTE, i % 40 !== 0));
    const recent = Array.from({ length: 40 }, (_, i) => ceremony('authentication', now - 30 * MINUTE + i * 1000, i % 2 === 0));
    await send([...baseline, ...recent], `spike-${run}`);
    await evaluate();
    const rate = jsonNotices('failure-rate-spike', 'firing');
    expect(keysOf(rate)).toEqual(['deviceClass=mobile-android']);
    expect(rate[0]!.body.summary).toMatch(
      /Failure rate on mobile-android in the last hour: 50\.0 % \(20 of 40\) vs 2\.5 % over the previous 7 days/,
    );
    expect(keysOf(jsonNotices('failure-reason-spike', 'firing'))).toEqual(['deviceClass=mobile-android|reason=bad_signature']);
    const { spikeFirings } = await overview();
    expect(spikeFirings.map((e) => e.ruleId).sort()).toEqual(['failure-rate-spike', 'failure-reason-spike']);
    await send(
      Array.from({ length: 1000 }, (_, i) => ceremony('authentication', now - 20 * MINUTE + i * 100, true)),
      `spike-${run}`,
    );
    await evaluate();
    expect(keysOf(jsonNotices('failure-rate-spike', 'resolved'))).toEqual(['deviceClass=mobile-android']);
    expect(keysOf(jsonNotices('failure-reason-spike', 'resolved'))).toEqual(['deviceClass=mobile-android|reason=bad_signature']);
  });

  it('recovery load, phishable and high-risk phishable recoveries fire, a silenced rule stays quiet, and all resolve as the window passes', async () => {
    const bad = await post<{ error: { parameter: string } }>('/api/v1/alerts/silences', {
      ruleId: 'nope',
      until: new Date(Date.now() + DAY).toISOString(),
      reason: 'x',
    });
    expect([bad.status, bad.body.error.parameter]).toEqual([400, 'ruleId']);
    const past = await post<{ error: { parameter: string } }>('/api/v1/alerts/silences', {
      ruleId: 'phishable-recoveries',
      until: new Date(Date.now() - 1000).toISOString(),
      reason: 'x',
    });
    expect([past.status, past.body.error.parameter]).toEqual([400, 'until']);
    const silence = await post<{ silence: { id: string; active: boolean; actor: string } }>('/api/v1/alerts/silences', {
      ruleId: 'phishable-recoveries',
      until: new Date(Date.now() + DAY).toISOString(),
      reason: 'known SMS campaign',
      actor: 'Ana',
    });
    expect(silence.status).toBe(201);
    expect(silence.body.silence).toMatchObject({ active: true, actor: 'local: Ana (unverified)' });

    const at = Date.now() - 40_000;
    const records: TestRecord[] = Array.from({ length: 10 }, (_, i) => ({
      eventName: 'account.recovery',
      timeMs: at + i,
      attributes: {
        'user.id': `rec-${run}-${i}`,
        'user.risk_tier': i < 2 ? 'high' : 'standard',
        'auth.flow.id': `flow-${run}-${i}`,
        'account.recovery.stage': 'started',
        'account.recovery.method': 'sms_code',
      },
    }));
    await send(records, `recovery-${run}`);
    await evaluate();
    expect(jsonNotices('recovery-load', 'firing')).toHaveLength(1);
    expect(jsonNotices('high-risk-phishable-recovery', 'firing')[0]?.body).toMatchObject({
      rule: { severity: 'critical' },
      summary: expect.stringContaining('2 phishable recoveries by high-risk accounts'),
    });
    expect(jsonNotices('phishable-recoveries')).toEqual([]);
    const muted = (await overview()).rules.find((rule) => rule.id === 'phishable-recoveries')!;
    expect(muted.state).toBe('silenced');
    expect(muted.firing[0]).toMatchObject({ silenced: true, notified: false });

    const expired = await post<{ silence: { active: boolean; expiredBy: string } }>('/api/v1/alerts/silences/expire', {
      id: silence.body.silence.id,
    });
    expect(expired.body.silence).toMatchObject({ active: false, expiredBy: 'local' });
    const list = (await (await fetch(`${app.baseUrl}/api/v1/alerts/silences`)).json()) as SilencesResponse;
    expect(list.silences.find((s) => s.id === silence.body.silence.id)).toMatchObject({ active: false, reason: 'known SMS campaign' });
    const unknown = await post<{ error: { parameter: string } }>('/api/v1/alerts/silences/expire', { id: 'missing' });
    expect([unknown.status, unknown.body.error.parameter]).toEqual([400, 'id']);

    await evaluate(); // silence over, still firing: the held-back notice goes out now
    expect(jsonNotices('phishable-recoveries', 'firing')).toHaveLength(1);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, at + 62_000 - Date.now())));
    await evaluate();
    for (const rule of ['recovery-load', 'phishable-recoveries', 'high-risk-phishable-recovery']) {
      expect(jsonNotices(rule, 'resolved'), rule).toHaveLength(1);
    }
  }, 120_000);

  it('a service that goes silent fires, and resolves when it sends again', async () => {
    const service = `quiet-${run}`;
    await send([ceremony('authentication', Date.now(), true)], service);
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    await evaluate();
    const firing = jsonNotices('ingest-silence', 'firing').filter(
      (r) => (r.body.series as { labels: { service: string } }).labels.service === service,
    );
    expect(firing).toHaveLength(1);
    expect(firing[0]!.body.summary).toMatch(new RegExp(`No events from ${service} / \\(no environment\\) for`));
    await send([ceremony('authentication', Date.now(), true)], service);
    await evaluate();
    const resolved = jsonNotices('ingest-silence', 'resolved').filter(
      (r) => (r.body.series as { labels: { service: string } }).labels.service === service,
    );
    expect(resolved).toHaveLength(1);
  }, 60_000);

  it('a rising share of rejected records fires, and resolves when valid records dilute it', async () => {
    const service = `rejects-${run}`;
    const now = Date.now();
    const teleports: TestRecord[] = Array.from({ length: 40 }, (_, i) => ({
      eventName: 'passkey.teleport',
      timeMs: now + i,
      attributes: { 'user.id': `q-${i}` },
    }));
    await send([...Array.from({ length: 30 }, (_, i) => ceremony('authentication', now + i, true)), ...teleports], service, 40);
    await evaluate();
    const firing = jsonNotices('quarantine-share', 'firing');
    expect(keysOf(firing)).toEqual([`service=${service}`]);
    expect(firing[0]!.body.summary).toMatch(/Rejected share of .* in the last hour: 57\.1 % \(40 of 70\)/);
    await send(
      Array.from({ length: 1000 }, (_, i) => ceremony('authentication', now + 100 + i, true)),
      service,
    );
    await evaluate();
    expect(keysOf(jsonNotices('quarantine-share', 'resolved'))).toEqual([`service=${service}`]);
  });

  it('every notification was signed, and the history lists notifications and deliveries', async () => {
    expect(received.length).toBeGreaterThan(10);
    expect(received.filter((r) => !r.signatureValid)).toEqual([]);
    const { events, deliveries, rules, lastEvaluation } = await overview();
    expect(lastEvaluation).toMatchObject({ evaluated: true, error: null });
    console.log(`[alerts test] last evaluation took ${lastEvaluation?.durationMs} ms`);
    expect(events.some((e) => e.ruleId === 'quarantine-share' && e.kind === 'resolved')).toBe(true);
    expect(deliveries.some((d) => d.status === 'failed' && d.attempts === 3)).toBe(true);
    expect(deliveries.filter((d) => d.format === 'slack').every((d) => d.status === 'delivered')).toBe(true);
    expect(rules.map((rule) => rule.id)).toContain('ingest-silence');
  });
});
