/**
 * Stage-gate scenarios through the real ingest and storage (DESIGN.md section 5): a hand-built
 * population (tests/helpers/stage-gates-population.ts) in a private app instance, judged with the
 * default criteria at stage 3 (entered 90 days ago). Expected counts are derived from the
 * population's model by counting users; expected intervals from the (separately unit-tested)
 * interval functions; expected statuses and verdicts are the scenario's — checked on the API and
 * on the Stage gates page (Debian's Chromium).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionResponse, StageCriterion, StagesResponse, StageTransitionResult } from '@/lib/contracts/stages';
import { poissonRateInterval, poissonRateRatioInterval, wilsonInterval } from '@/lib/stage-gates/stats';
import { isolatedApp } from '../helpers/isolated-app';
import { buildStageGatesPopulation, ingestPopulation, type PopulationUser } from '../helpers/stage-gates-population';
import { launchChromium } from '../helpers/chromium';

const DAY = 86_400_000;
const app = isolatedApp();
const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stage-gates-config-'));
const configFile = path.join(configDir, 'rollout.json');
const defaultConfig = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../config/rollout.default.json'), 'utf8')) as Record<
  string,
  unknown
>;
const stageEnteredAt = new Date(Date.now() - 90 * DAY).toISOString();
const validConfigText = JSON.stringify({ ...defaultConfig, currentStage: 3, stageEnteredAt }, null, 2);

let users: PopulationUser[] = [];
let stages: StagesResponse;

async function getStages(query = ''): Promise<StagesResponse> {
  const response = await fetch(`${app.baseUrl}/api/v1/stages${query}`);
  const body = await response.json();
  expect(response.status, JSON.stringify(body).slice(0, 500)).toBe(200);
  return body as StagesResponse;
}

async function postDecision(body: unknown, headers: Record<string, string> = {}, baseUrl = app.baseUrl) {
  const response = await fetch(`${baseUrl}/api/v1/stages/decisions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as DecisionResponse & { error?: { code: string; message: string; parameter?: string } },
  };
}

beforeAll(async () => {
  fs.writeFileSync(configFile, validConfigText);
  await app.start({ ROLLOUT_CONFIG: configFile });
  const population = buildStageGatesPopulation(Date.now());
  users = population.users;
  await ingestPopulation(app.baseUrl, app.token, population.records);
  stages = await getStages('?trend=6');
}, 300_000);

afterAll(async () => {
  await app.stop();
  fs.rmSync(configDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Expectations from the model

const holders = () => users.filter((user) => user.credentials > 0);
const total = (list: PopulationUser[], pick: (user: PopulationUser) => number) => list.reduce((sum, user) => sum + pick(user), 0);
const phishable = new Set(['sms_code', 'email_code', 'email_magic_link', 'support_agent_override']);

function transition(from: number): StageTransitionResult {
  const found = stages.transitions.find((entry) => entry.from === from);
  if (!found) throw new Error(`no transition from ${from}`);
  return found;
}

function criterion(from: number, id: string): StageCriterion {
  const found = transition(from).criteria.find((entry) => entry.id === id);
  if (!found) throw new Error(`no criterion ${id}`);
  return found;
}

function expectProportion(actual: StageCriterion, successes: number, n: number, status: StageCriterion['status']) {
  const interval = wilsonInterval(successes, n);
  expect(actual.measurement).toEqual({ kind: 'proportion', successes, n });
  expect(actual.sampleSize).toBe(n);
  expect(actual.value).toBeCloseTo(successes / n, 12);
  expect(actual.ciLow).toBeCloseTo(interval.low, 12);
  expect(actual.ciHigh).toBeCloseTo(interval.high, 12);
  expect(actual.status).toBe(status);
}

function expectWindow(actual: StageCriterion) {
  expect(actual.window.to).toBe(stages.evaluatedAt);
  expect(new Date(actual.window.to).getTime() - new Date(actual.window.from).getTime()).toBe(28 * DAY);
  expect(actual.drillDown).toContain(`from=${encodeURIComponent(actual.window.from)}`);
  expect(actual.drillDown).toContain(`to=${encodeURIComponent(actual.window.to)}`);
}

describe('stage gates over a hand-built population (default criteria, stage 3 for 90 days)', () => {
  it('reports the five stages with stage 3 current, from the config', () => {
    expect(stages.currentStage).toBe(3);
    expect(stages.currentStageSource).toBe('config');
    expect(stages.stageEnteredAt).toBe(stageEnteredAt);
    expect(stages.daysAtCurrentStage).toBe(90);
    expect(stages.configVersion).toBe(1);
    expect(stages.stages.map((stage) => [stage.id, stage.state, stage.current])).toEqual([
      [1, 'done', false],
      [2, 'done', false],
      [3, 'current', true],
      [4, 'upcoming', false],
      [5, 'upcoming', false],
    ]);
    expect(stages.transitions.map((entry) => [entry.from, entry.to, entry.verdict, entry.next])).toEqual([
      [1, 2, 'ready', false],
      [2, 3, 'inconclusive', false],
      [3, 4, 'not_ready', true],
      [4, 5, 'not_ready', false],
    ]);
    expect(stages.decisions).toEqual([]);
  });

  it('1 → 2 is ready: registration succeeds in every class with ≥ 100 ceremonies, holders sign in and recover less', () => {
    const registration = criterion(1, 'registration-success-per-device-class');
    expect(registration.perDeviceClass).toBe(true);
    const classes = [...new Set(users.map((user) => user.deviceClass))].sort();
    const expectedClasses = classes.map((deviceClass) => {
      const inClass = users.filter((user) => user.deviceClass === deviceClass);
      const successes = total(inClass, (user) => user.credentials);
      const n = successes + total(inClass, (user) => user.failedRegistrations);
      return { deviceClass, successes, n, qualifies: n >= 100 };
    });
    expect(registration.classes.map((entry) => [entry.deviceClass, entry.measurement, entry.qualifies, entry.status])).toEqual(
      expectedClasses.map((entry) => [
        entry.deviceClass,
        { kind: 'proportion', successes: entry.successes, n: entry.n },
        entry.qualifies,
        entry.qualifies ? 'pass' : 'insufficient_data',
      ]),
    );
    // The small tablet class (21 ceremonies, 86 %) is shown but cannot block the criterion.
    expect(expectedClasses.find((entry) => entry.deviceClass === 'tablet-android')).toMatchObject({ n: 21, qualifies: false });
    // The reported class is the qualifying one nearest to failing: the lowest interval bound.
    const deciding = expectedClasses
      .filter((entry) => entry.qualifies)
      .sort((a, b) => wilsonInterval(a.successes, a.n).low - wilsonInterval(b.successes, b.n).low)[0]!;
    expect(registration.deviceClass).toBe(deciding.deviceClass);
    expectProportion(registration, deciding.successes, deciding.n, 'pass');
    expect(registration.drillDown).toMatch(/^\/registration\?groupBy=deviceClass&from=/);
    expect(registration.classes.find((entry) => entry.deviceClass === 'mobile-ios')?.drillDown).toMatch(
      /^\/registration\?groupBy=deviceClass&deviceClass=mobile-ios&from=/,
    );
    expectWindow(registration);

    const signIn = criterion(1, 'holders-signin-success');
    const successes = total(holders(), (user) => user.passkeySignIns);
    expectProportion(signIn, successes, successes + total(holders(), (user) => user.failedAuthentications), 'pass');
    expectWindow(signIn);

    const recovery = criterion(1, 'holders-recovery-not-above-non-holders');
    const nonHolders = users.filter((user) => user.credentials === 0);
    const subject = { events: total(holders(), (user) => user.recoveries.length), exposure: holders().length };
    const reference = { events: total(nonHolders, (user) => user.recoveries.length), exposure: nonHolders.length };
    expect(recovery.measurement).toEqual({ kind: 'rate_comparison', subject, reference });
    const ratio = poissonRateRatioInterval(subject, reference);
    expect(recovery.unit).toBe('ratio');
    expect(recovery.sampleSize).toBe(subject.events + reference.events);
    expect(recovery.value).toBeCloseTo(ratio.estimate!, 12);
    expect(recovery.ciLow).toBeCloseTo(ratio.low, 12);
    expect(recovery.ciHigh).toBeCloseTo(ratio.high, 12);
    expect(recovery.status).toBe('pass');
  });

  it('2 → 3 is inconclusive for lack of sample: acceptance 28 % of 500 shown cannot yet be told from 25 %', () => {
    const upsell = criterion(2, 'upsell-acceptance');
    const shown = total(users, (user) => user.upsellsShown);
    const accepted = total(users, (user) => user.upsellsAccepted);
    expect([shown, accepted]).toEqual([500, 140]);
    expectProportion(upsell, accepted, shown, 'inconclusive');
    expect(upsell.value!).toBeGreaterThan(upsell.threshold);
    expect(upsell.ciLow!).toBeLessThan(upsell.threshold);

    expectProportion(criterion(2, 'holder-share-of-active-users'), holders().length, users.length, 'pass');

    const tickets = criterion(2, 'passkey-tickets');
    const ticketCount = total(users, (user) => user.tickets);
    const interval = poissonRateInterval(ticketCount, users.length, 1000);
    expect(tickets.measurement).toEqual({
      kind: 'rate',
      events: ticketCount,
      exposure: users.length,
      perUnit: 1000,
      sampleSize: users.length,
    });
    expect(tickets.value).toBeCloseTo(interval.estimate!, 12);
    expect(tickets.ciHigh).toBeCloseTo(interval.high, 12);
    expect(tickets.status).toBe('insufficient_data');
    expect(tickets.minSample).toBe(2000);
  });

  it('3 → 4 is not ready: the fallback-reliant share of holders is clearly above 10 %', () => {
    const holderSignIns = total(holders(), (user) => user.passkeySignIns + user.passwordSignIns);
    expectProportion(
      criterion(3, 'passkey-share-of-holder-signins'),
      total(holders(), (user) => user.passkeySignIns),
      holderSignIns,
      'pass',
    );

    const fallback = criterion(3, 'fallback-reliant-holders');
    expectProportion(fallback, holders().filter((user) => user.fallbackReliant).length, holders().length, 'fail');
    expect(fallback.ciLow!).toBeGreaterThan(fallback.threshold);
    expect(fallback.drillDown).toMatch(/^\/signin\?from=/);

    const recovery = criterion(3, 'recovery-starts-per-week');
    const starts = total(users, (user) => user.recoveries.length);
    expect(recovery.measurement).toEqual({
      kind: 'rate',
      events: starts,
      exposure: users.length * 4,
      perUnit: 1000,
      sampleSize: users.length,
    });
    expect(recovery.status).toBe('insufficient_data');

    expectProportion(
      criterion(3, 'multi-device-coverage'),
      holders().filter((user) => user.credentials >= 2).length,
      holders().length,
      'pass',
    );

    const days = criterion(3, 'days-at-stage-3');
    expect(days).toMatchObject({
      kind: 'duration',
      unit: 'days',
      value: 90,
      ciLow: null,
      ciHigh: null,
      sampleSize: null,
      status: 'pass',
      trend: [],
    });
    expect(days.measurement).toEqual({ kind: 'duration', days: 90 });
    expect(days.label).toBe('Days at stage 3');
  });

  it('4 → 5 is not ready: one high-risk user recovered by SMS code, although every one holds two attested keys', () => {
    const highRisk = users.filter((user) => user.riskTier === 'high');
    const attested = criterion(4, 'high-risk-attested-device-bound');
    expectProportion(attested, highRisk.length, highRisk.length, 'pass');
    expect(attested.filters).toEqual({ deviceClass: [], riskTier: 'high' });
    expect(attested.drillDown).toContain('riskTier=high');
    expectProportion(criterion(4, 'high-risk-spare-key'), highRisk.filter((user) => user.credentials >= 2).length, highRisk.length, 'pass');

    const recovery = criterion(4, 'high-risk-no-phishable-recovery');
    const phishableRecoveries = total(highRisk, (user) => user.recoveries.filter((entry) => phishable.has(entry.method)).length);
    expect(phishableRecoveries).toBe(1);
    expect(recovery.measurement).toEqual({ kind: 'count', count: 1, sampleSize: highRisk.length });
    expect(recovery).toMatchObject({ value: 1, ciLow: null, ciHigh: null, sampleSize: highRisk.length, status: 'fail', unit: 'count' });
  });

  it('gives every criterion a trend over the six previous (empty) windows and the current one', () => {
    for (const entry of stages.transitions.flatMap((item) => item.criteria)) {
      if (entry.kind === 'duration') continue;
      expect(entry.trend).toHaveLength(7);
      const last = entry.trend.at(-1)!;
      expect([last.value, last.ciLow, last.ciHigh, last.sampleSize, last.status]).toEqual([
        entry.value,
        entry.ciLow,
        entry.ciHigh,
        entry.sampleSize,
        entry.status,
      ]);
      expect(last.to).toBe(entry.window.to);
      for (const [index, point] of entry.trend.slice(0, 6).entries()) {
        expect(point.status).toBe('insufficient_data');
        expect(new Date(point.to).getTime() - new Date(point.from).getTime()).toBe(28 * DAY);
        expect(new Date(point.to).getTime()).toBeLessThanOrEqual(new Date(entry.window.from).getTime());
        if (index > 0) expect(point.from).toBe(entry.trend[index - 1]!.to);
      }
    }
  });

  it('measures the lock-out blast radius by device class and exports the users as CSV', async () => {
    const atRiskUsers = holders().filter((user) => user.passkeySignIns === 0);
    expect(stages.blastRadius).toMatchObject({ holders: holders().length, atRisk: atRiskUsers.length, lookbackDays: 28 });
    expect(stages.blastRadius.share).toBeCloseTo(atRiskUsers.length / holders().length, 12);
    const byClass = new Map<string, { holders: number; atRisk: number }>();
    for (const user of holders()) {
      const row = byClass.get(user.deviceClass) ?? { holders: 0, atRisk: 0 };
      row.holders += 1;
      if (user.passkeySignIns === 0) row.atRisk += 1;
      byClass.set(user.deviceClass, row);
    }
    expect(stages.blastRadius.byDeviceClass).toEqual(
      [...byClass.entries()]
        .map(([deviceClass, row]) => ({ deviceClass, ...row }))
        .sort((a, b) => b.atRisk - a.atRisk || b.holders - a.holders || (a.deviceClass < b.deviceClass ? -1 : 1)),
    );

    const csv = await fetch(`${app.baseUrl}${stages.blastRadius.csvUrl}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename=lock-out-blast-radius-\d{4}-\d{2}-\d{2}\.csv/);
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'user_id,device_class,last_sign_in_at,last_sign_in_method,live_passkeys,passkey_device_classes,last_passkey_sign_in_at',
    );
    expect(
      lines
        .slice(1)
        .map((line) => line.split(',')[0])
        .sort(),
    ).toEqual(atRiskUsers.map((user) => user.userId).sort());
    const first = atRiskUsers[0]!;
    const line = lines.find((entry) => entry.startsWith(`${first.userId},`))!;
    expect(
      line
        .split(',')
        .slice(1, 6)
        .filter((_, index) => index !== 1),
    ).toEqual([first.deviceClass, 'password', String(first.credentials), first.deviceClass]);

    const json = await fetch(`${app.baseUrl}/api/v1/stages/blast-radius?limit=5`);
    const body = (await json.json()) as { users: unknown[]; atRisk: number; limit: number };
    expect([json.status, body.users.length, body.atRisk, body.limit]).toEqual([200, 5, atRiskUsers.length, 5]);
    const bad = await fetch(`${app.baseUrl}/api/v1/stages/blast-radius?format=xml`);
    expect(bad.status).toBe(400);
  });

  it('shows exactly those verdicts and failing criteria on the Stage gates page', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
      await page.goto(`${app.baseUrl}/stages`);
      await page.locator('[data-panel="gate-4-5"]').waitFor({ timeout: 90_000 });
      const shown: Array<[string | null, string | null]> = [];
      for (const from of [1, 2, 3, 4]) {
        const verdict = page.locator(`[data-panel="gate-${from}-${from + 1}"] [data-field="verdict"]`);
        shown.push([await verdict.getAttribute('data-verdict'), (await verdict.innerText()).trim()]);
      }
      expect(shown).toEqual([
        ['ready', 'Ready'],
        ['inconclusive', 'Inconclusive'],
        ['not_ready', 'Not ready'],
        ['not_ready', 'Not ready'],
      ]);
      expect(
        await page.locator('tr[data-status="fail"]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-criterion'))),
      ).toEqual(['fallback-reliant-holders', 'high-risk-no-phishable-recovery']);
      expect(await page.locator('tr[data-criterion="upsell-acceptance"] [data-field="value"]').innerText()).toBe('28.0 %');
      expect(await page.locator('li[aria-current="step"]').innerText()).toContain('Passkey-first sign-in');
      expect(await page.locator('[data-panel="blast-radius"] [data-field="at-risk"]').innerText()).toContain(
        `${holders().filter((user) => user.passkeySignIns === 0).length} of ${holders().length} holders`,
      );
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('refuses bad parameters with a 400 naming them', async () => {
    for (const [query, parameter] of [
      ['?trend=13', 'trend'],
      ['?trend=-1', 'trend'],
      ['?trend=two', 'trend'],
      ['?to=yesterday', 'to'],
      ["?to=2026-01-01T00:00:00Z'%20OR%201=1", 'to'],
    ] as const) {
      const response = await fetch(`${app.baseUrl}/api/v1/stages${query}`);
      const body = (await response.json()) as { error: { code: string; parameter?: string } };
      expect([query, response.status, body.error.code, body.error.parameter]).toEqual([query, 400, 'invalid_parameter', parameter]);
    }
  });

  it('records decisions: a wrong stage is refused, an advance moves the current stage, the newest decision wins', async () => {
    for (const [body, message] of [
      [{ action: 'advance', stage: 5, actor: 'Priya (PM)', reason: 'skip ahead' }, /from the current stage 3 to stage 4, not 5/],
      [{ action: 'hold', stage: 2, actor: 'Priya (PM)', reason: 'hold' }, /keeps the current stage 3/],
      [{ action: 'roll_back', stage: 3, actor: 'Priya (PM)', reason: 'back' }, /below the current stage 3/],
    ] as const) {
      const refused = await postDecision(body);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'invalid_decision', parameter: 'stage' });
      expect(refused.body.error?.message).toMatch(message);
    }

    const advanced = await postDecision({
      action: 'advance',
      stage: 4,
      actor: 'Priya (PM)',
      reason: 'Fallback reliance accepted: targeted help for the 44 holders.',
    });
    expect(advanced.status).toBe(201);
    expect(advanced.body.currentStage).toBe(4);
    // No token on this install: the actor is the local operator, with the name typed marked unverified.
    expect(advanced.body.decision).toMatchObject({ action: 'advance', fromStage: 3, toStage: 4, actor: 'local: Priya (PM) (unverified)' });

    let now = await getStages('?trend=0');
    expect(now.currentStage).toBe(4);
    expect(now.currentStageSource).toBe('decision_log');
    expect(now.stageEnteredAt).toBe(advanced.body.decision.decidedAt);
    expect(now.daysAtCurrentStage).toBe(0);
    expect(now.stages.find((stage) => stage.current)?.id).toBe(4);
    expect(now.transitions.find((entry) => entry.next)?.from).toBe(4);
    expect(now.decisions).toEqual([advanced.body.decision]);
    // Stage 3 lasted from the configured entry to the advance: still 90 days.
    expect(now.transitions[2]!.criteria.find((entry) => entry.id === 'days-at-stage-3')).toMatchObject({ value: 90, status: 'pass' });
    expect(now.transitions[0]!.criteria[0]!.trend).toEqual([]);

    const rolledBack = await postDecision({
      action: 'roll_back',
      stage: 2,
      actor: 'Sam (support lead)',
      reason: 'Ticket spike after the password removal banner.',
    });
    expect(rolledBack.status).toBe(201);
    const held = await postDecision({ action: 'hold', stage: 2, actor: 'Priya (PM)', reason: 'Hold at 2 until tickets settle.' });
    expect(held.status).toBe(201);
    expect(held.body.decision).toMatchObject({ action: 'hold', fromStage: 2, toStage: 2 });

    now = await getStages('?trend=0');
    expect(now.currentStage).toBe(2);
    expect(now.stageEnteredAt).toBe(rolledBack.body.decision.decidedAt);
    expect(now.decisions.map((decision) => decision.id)).toEqual([
      held.body.decision.id,
      rolledBack.body.decision.id,
      advanced.body.decision.id,
    ]);
    // 3 → 4 is now a stage the rollout has not reached again: 0 days there.
    expect(now.transitions[2]!.criteria.find((entry) => entry.id === 'days-at-stage-3')).toMatchObject({ value: 0, status: 'fail' });

    // As of before the first decision, the config's stage 3 still holds.
    const before = await getStages(
      `?trend=0&to=${encodeURIComponent(new Date(new Date(advanced.body.decision.decidedAt).getTime() - 1).toISOString())}`,
    );
    expect([before.currentStage, before.currentStageSource, before.decisions]).toEqual([3, 'config', []]);
  }, 240_000);

  it('validates the decision body with a 400 naming the field', async () => {
    const valid = { action: 'hold', stage: 2, actor: 'Priya (PM)', reason: 'ok' };
    for (const [body, parameter] of [
      [{ ...valid, reason: 'x'.repeat(2001) }, 'reason'],
      [{ ...valid, reason: '   ' }, 'reason'],
      [{ ...valid, actor: 'x'.repeat(201) }, 'actor'],
      [{ ...valid, action: 'skip' }, 'action'],
      [{ ...valid, stage: 6 }, 'stage'],
      [{ ...valid, stage: '2' }, 'stage'],
      [{ ...valid, approvedBy: 'me' }, undefined],
    ] as const) {
      const response = await postDecision(body);
      expect([response.status, response.body.error?.code, response.body.error?.parameter]).toEqual([400, 'invalid_parameter', parameter]);
    }
    const notJson = await postDecision('{"action": "hold",');
    expect([notJson.status, notJson.body.error?.code]).toEqual([400, 'invalid_body']);
    const atLimit = await postDecision({ ...valid, reason: 'y'.repeat(2000) });
    expect(atLimit.status).toBe(201);
    expect(atLimit.body.decision.reason).toHaveLength(2000);
  });

  it('answers 503 config_invalid with the bad field paths while the config is broken, and recovers when it is fixed', async () => {
    const broken = JSON.parse(validConfigText) as { transitions: Array<{ criteria: Array<Record<string, unknown>> }> };
    broken.transitions[0]!.criteria[1]!.threshold = 95;
    broken.transitions[2]!.criteria[0]!.treshold = 0.8;
    fs.writeFileSync(configFile, JSON.stringify(broken));
    try {
      const response = await fetch(`${app.baseUrl}/api/v1/stages?trend=0`);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(response.status).toBe(503);
      expect(body.error.code).toBe('config_invalid');
      expect(body.error.message).toContain('transitions[0].criteria[1].threshold');
      expect(body.error.message).toContain('transitions[2].criteria[0]');
      expect(body.error.message).toContain('treshold');
      const decision = await postDecision({ action: 'hold', stage: 2, actor: 'Priya (PM)', reason: 'while broken' });
      expect([decision.status, decision.body.error?.code]).toEqual([503, 'config_invalid']);
    } finally {
      fs.writeFileSync(configFile, validConfigText);
    }
    expect((await getStages('?trend=0')).currentStage).toBe(2);
  });
});

describe('stage decisions with API_TOKENS and ADMIN_TOKENS', () => {
  const secured = isolatedApp();
  const readToken = 'stage-gates-reader-token';
  const adminToken = 'stage-gates-admin-token';
  const decision = { action: 'advance', stage: 2, actor: 'Priya (PM)', reason: 'Registration is healthy on every device class.' };

  beforeAll(() => secured.start({ API_TOKENS: readToken, ADMIN_TOKENS: `release-bot:${adminToken}` }), 300_000);
  afterAll(() => secured.stop());

  it('reads need a token; writes need an admin token (no token 401, read token 403, admin token 201)', async () => {
    const anonymousRead = await fetch(`${secured.baseUrl}/api/v1/stages?trend=0`);
    expect(anonymousRead.status).toBe(401);
    const read = await fetch(`${secured.baseUrl}/api/v1/stages?trend=0`, { headers: { authorization: `Bearer ${readToken}` } });
    expect(read.status).toBe(200);
    const body = (await read.json()) as StagesResponse;
    expect([body.currentStage, body.currentStageSource]).toEqual([1, 'config']);
    // Nothing ingested: nothing can be judged, and the rollout has spent no time at stage 3 yet.
    expect(body.transitions.map((entry) => entry.verdict)).toEqual([
      'insufficient_data',
      'insufficient_data',
      'not_ready',
      'insufficient_data',
    ]);
    expect(body.transitions[2]!.criteria.find((entry) => entry.status === 'fail')).toMatchObject({ id: 'days-at-stage-3', value: 0 });

    const none = await postDecision(decision, {}, secured.baseUrl);
    expect([none.status, none.body.error?.code]).toEqual([401, 'unauthorized']);
    const unknown = await postDecision(decision, { authorization: 'Bearer not-a-token' }, secured.baseUrl);
    expect([unknown.status, unknown.body.error?.code]).toEqual([401, 'unauthorized']);
    const reader = await postDecision(decision, { authorization: `Bearer ${readToken}` }, secured.baseUrl);
    expect([reader.status, reader.body.error?.code]).toEqual([403, 'forbidden']);
    const admin = await postDecision(decision, { authorization: `Bearer ${adminToken}` }, secured.baseUrl);
    expect(admin.status).toBe(201);
    // The actor is the token's name, whatever the body says.
    expect(admin.body).toMatchObject({
      currentStage: 2,
      decision: { action: 'advance', fromStage: 1, toStage: 2, actor: 'token:release-bot' },
    });

    const after = await fetch(`${secured.baseUrl}/api/v1/stages?trend=0`, { headers: { authorization: `Bearer ${readToken}` } });
    const afterBody = (await after.json()) as StagesResponse;
    expect([afterBody.currentStage, afterBody.decisions.length]).toEqual([2, 1]);
  });
});
