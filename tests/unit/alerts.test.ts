/**
 * The pure parts of the alerts (docs/alerts.md): spike statistics, the firing / resolved state
 * machine with cool-down, silences and de-duplication, payloads and their HMAC signature,
 * webhook parsing, delivery retries, the evaluation lease, and the rules config with overrides.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertRulesOf, DEFAULT_ALERT_RULES, zAlertsConfig } from '@/lib/alerts/config';
import { deliver } from '@/lib/alerts/delivery';
import { termHolder } from '@/lib/alerts/lease';
import {
  deliveryHeaders,
  genericPayload,
  parseWebhookTargets,
  redactUrl,
  signature,
  slackPayload,
  verifySignature,
  type AlertNotice,
} from '@/lib/alerts/payload';
import { step, type SeriesState } from '@/lib/alerts/state-machine';
import { judgeRejectedShare, judgeSpike, normalUpperTail, twoProportionPValue } from '@/lib/alerts/stats';
import { spikeAnnotation } from '@/lib/client/alerts';
import { parseRolloutConfig } from '@/lib/stage-gates/config';

const MINUTE = 60_000;

describe('spike statistics', () => {
  it('computes the normal upper tail', () => {
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 6);
    expect(normalUpperTail(1.959963984540054)).toBeCloseTo(0.025, 6);
    expect(normalUpperTail(-1.644853626951472)).toBeCloseTo(0.95, 6);
    expect(normalUpperTail(3.090232306167813)).toBeCloseTo(0.001, 6);
    expect(normalUpperTail(Infinity)).toBe(0);
  });

  it('tests two proportions one-sided', () => {
    expect(twoProportionPValue(5, 100, 50, 1000)).toBe(1); // equal rates
    expect(twoProportionPValue(1, 100, 50, 1000)).toBe(1); // lower
    expect(twoProportionPValue(30, 100, 50, 1000)).toBeLessThan(1e-6);
    expect(twoProportionPValue(8, 100, 50, 1000)).toBeGreaterThan(0.05);
    expect(twoProportionPValue(3, 0, 50, 1000)).toBe(1);
  });

  const rule = { minCount: 20, minRatio: 2, pValue: 0.001 };
  it('fires on a significant spike with enough failures', () => {
    const judged = judgeSpike({ recent: 30, recentTotal: 100, baseline: 50, baselineTotal: 1000 }, rule);
    expect(judged).toMatchObject({ firing: true, reason: 'spike', recentRate: 0.3, baselineRate: 0.05 });
    expect(judged.ratio).toBeCloseTo(6);
  });

  it('does not page on small numbers, without a baseline, on a small ratio or an insignificant rise', () => {
    expect(judgeSpike({ recent: 5, recentTotal: 6, baseline: 1, baselineTotal: 1000 }, rule).reason).toBe('below_min_count');
    expect(judgeSpike({ recent: 30, recentTotal: 100, baseline: 0, baselineTotal: 0 }, rule).reason).toBe('no_baseline');
    expect(judgeSpike({ recent: 25, recentTotal: 1000, baseline: 150, baselineTotal: 10000 }, rule).reason).toBe('below_ratio');
    expect(judgeSpike({ recent: 20, recentTotal: 200, baseline: 2, baselineTotal: 50 }, rule).reason).toBe('not_significant');
    // a baseline of zero failures: any significant rate is a spike
    expect(judgeSpike({ recent: 25, recentTotal: 50, baseline: 0, baselineTotal: 1000 }, rule).firing).toBe(true);
  });

  it('judges a rejected share against its limit and baseline', () => {
    const share = { minCount: 20, maxShare: 0.05, pValue: 0.001 };
    expect(judgeRejectedShare({ recent: 30, recentTotal: 60, baseline: 0, baselineTotal: 0 }, share).firing).toBe(true);
    expect(judgeRejectedShare({ recent: 30, recentTotal: 6000, baseline: 0, baselineTotal: 0 }, share).firing).toBe(false);
    expect(judgeRejectedShare({ recent: 10, recentTotal: 20, baseline: 0, baselineTotal: 0 }, share).firing).toBe(false);
    expect(judgeRejectedShare({ recent: 30, recentTotal: 300, baseline: 1000, baselineTotal: 10000 }, share).firing).toBe(false);
    expect(judgeRejectedShare({ recent: 100, recentTotal: 300, baseline: 10, baselineTotal: 10000 }, share).firing).toBe(true);
  });
});

describe('state machine: firing, de-duplication, resolved, cool-down, silences', () => {
  const options = (now: number, muted = false) => ({ now, cooldownMs: 30 * MINUTE, muted });

  it('notifies firing once per episode and resolved once', () => {
    const first = step(undefined, { active: true }, options(0));
    expect([first.notice, first.next.status, first.next.notified, first.changed]).toEqual(['firing', 'firing', true, true]);
    const again = step(first.next, { active: true }, options(MINUTE));
    expect([again.notice, again.changed]).toEqual([null, false]);
    const resolved = step(again.next, { active: false }, options(2 * MINUTE));
    expect([resolved.notice, resolved.next.status]).toEqual(['resolved', 'ok']);
    const quiet = step(resolved.next, { active: false }, options(3 * MINUTE));
    expect([quiet.notice, quiet.changed]).toEqual([null, false]);
  });

  it('holds a re-fire back during the cool-down and notifies once it has passed', () => {
    let state: SeriesState = step(undefined, { active: true }, options(0)).next;
    state = step(state, { active: false }, options(MINUTE)).next;
    const refire = step(state, { active: true }, options(2 * MINUTE));
    expect([refire.notice, refire.heldBack, refire.next.status]).toEqual([null, 'cooldown', 'firing']);
    const later = step(refire.next, { active: true }, options(31 * MINUTE));
    expect([later.notice, later.next.notified]).toEqual(['firing', true]);
    // resolving an episode whose notice never went out is quiet
    const heldOnly = step(refire.next, { active: false }, options(3 * MINUTE));
    expect([heldOnly.notice, heldOnly.next.status]).toEqual([null, 'ok']);
  });

  it('a silence mutes firing; the notice goes out when the silence ends while still firing', () => {
    const muted = step(undefined, { active: true }, options(0, true));
    expect([muted.notice, muted.heldBack, muted.next.status, muted.changed]).toEqual([null, 'silenced', 'firing', true]);
    const stillMuted = step(muted.next, { active: true }, options(MINUTE, true));
    expect(stillMuted.notice).toBeNull();
    const unmuted = step(stillMuted.next, { active: true }, options(2 * MINUTE, false));
    expect(unmuted.notice).toBe('firing');
  });

  it('keeps a memo (a gate verdict) and reports a changed memo as a change', () => {
    const first = step(undefined, { active: false, memo: 'ready' }, options(0));
    expect([first.changed, first.next.memo]).toEqual([true, 'ready']);
    expect(step(first.next, { active: false, memo: 'ready' }, options(1)).changed).toBe(false);
    expect(step(first.next, { active: false, memo: 'not_ready' }, options(1)).changed).toBe(true);
    expect(step(undefined, { active: false }, options(0)).changed).toBe(false);
  });
});

const notice: AlertNotice = {
  id: 'e1',
  kind: 'firing',
  at: new Date('2026-12-01T10:00:00Z'),
  rule: { id: 'failure-rate-spike', kind: 'failure_spike', severity: 'warning', description: 'd' },
  seriesKey: 'deviceClass=mobile-ios',
  labels: { deviceClass: 'mobile-ios' },
  summary: 'Failure rate <high> & rising',
  value: 0.3,
  threshold: 0.1,
  startedAt: new Date('2026-12-01T10:00:00Z'),
};

describe('payloads and signatures', () => {
  it('builds the generic JSON payload', () => {
    expect(genericPayload(notice, null)).toEqual({
      version: 1,
      id: 'e1',
      kind: 'firing',
      at: '2026-12-01T10:00:00.000Z',
      rule: notice.rule,
      series: { key: 'deviceClass=mobile-ios', labels: { deviceClass: 'mobile-ios' } },
      summary: 'Failure rate <high> & rising',
      value: 0.3,
      threshold: 0.1,
      startedAt: '2026-12-01T10:00:00.000Z',
      url: null,
      source: 'passkey-rollout-analytics',
    });
  });

  it('builds the Slack incoming-webhook message with escaped mrkdwn', () => {
    const slack = slackPayload({ ...notice, kind: 'resolved' }, 'https://analytics.example.com/alerts');
    expect(slack.text).toBe('[RESOLVED] failure-rate-spike (warning): Failure rate <high> & rising');
    expect(JSON.stringify(slack.blocks)).toContain('Failure rate &lt;high&gt; &amp; rising');
    expect(JSON.stringify(slack.blocks)).toContain('<https://analytics.example.com/alerts|Open alerts>');
    expect(slack.blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
  });

  it('signs timestamp.body with HMAC-SHA256 and verifies it', () => {
    const headers = deliveryHeaders('{"a":1}', 'e1', 'secret', 1_700_000_000);
    expect(headers['x-passkey-alerts-timestamp']).toBe('1700000000');
    expect(headers['x-passkey-alerts-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    const check = (body: string, now = 1_700_000_010) =>
      verifySignature(
        'secret',
        { signature: headers['x-passkey-alerts-signature']!, timestamp: headers['x-passkey-alerts-timestamp']! },
        body,
        now,
      );
    expect(check('{"a":1}')).toBe(true);
    expect(check('{"a":2}')).toBe(false);
    expect(check('{"a":1}', 1_700_001_000)).toBe(false); // too old
    expect(deliveryHeaders('{}', 'e1', undefined, 1)).not.toHaveProperty('x-passkey-alerts-signature');
  });

  it('matches an independent HMAC computation', async () => {
    const { createHmac } = await import('node:crypto');
    expect(signature('k', 42, 'body')).toBe(`v1=${createHmac('sha256', 'k').update('42.body').digest('hex')}`);
  });

  it('parses webhook targets and redacts their URLs', () => {
    const targets = parseWebhookTargets([
      'https://hooks.slack.com/services/T/B/secret',
      'json:https://hooks.slack.com/x',
      'slack:http://127.0.0.1:9/x',
      'http://h/y',
    ]);
    expect(targets.map((t) => t.format)).toEqual(['slack', 'json', 'slack', 'json']);
    expect(targets[0]!.target).toMatch(/^https:\/\/hooks\.slack\.com\/…#[0-9a-f]{8}$/);
    expect(targets[0]!.target).not.toContain('secret');
    expect(() => parseWebhookTargets(['ftp://x'])).toThrow(/not an http/);
    expect(redactUrl('nope')).toMatch(/^invalid#/);
  });
});

describe('delivery', () => {
  const target = parseWebhookTargets(['http://127.0.0.1:9/hook'])[0]!;
  const base = { secret: 's', attempts: 4, backoffMs: 100, dashboardUrl: null };

  it('retries 5xx and network errors with exponential backoff, then succeeds', async () => {
    const waits: number[] = [];
    const answers = [
      () => new Response('', { status: 503 }),
      () => Promise.reject(new TypeError('fetch failed')),
      () => new Response('ok'),
    ];
    const outcome = await deliver(target, notice, {
      ...base,
      fetchImpl: (async () => answers.shift()!()) as unknown as typeof fetch,
      sleep: async (ms) => void waits.push(ms),
    });
    expect(outcome).toMatchObject({ status: 'delivered', attempts: 3, httpStatus: 200, error: null, format: 'json' });
    expect(waits).toEqual([100, 200]);
  });

  it('gives up after the last attempt, and at once on a 4xx other than 408 / 429', async () => {
    const failing = await deliver(target, notice, {
      ...base,
      fetchImpl: (async () => new Response('', { status: 500 })) as unknown as typeof fetch,
      sleep: async () => undefined,
    });
    expect(failing).toMatchObject({ status: 'failed', attempts: 4, httpStatus: 500, error: 'HTTP 500' });
    const refused = await deliver(target, notice, {
      ...base,
      fetchImpl: (async () => new Response('', { status: 404 })) as unknown as typeof fetch,
      sleep: async () => undefined,
    });
    expect(refused).toMatchObject({ status: 'failed', attempts: 1, httpStatus: 404 });
  });
});

describe('evaluation lease', () => {
  const claim = (holder: string, claimedAt: number, term = 5) => ({ term, holder, claimedAt });
  it('gives a term to the earliest claim, or to the previous holder when it claimed in time', () => {
    expect(termHolder([], 5, null)).toBeNull();
    expect(termHolder([claim('b', 10), claim('a', 20)], 5, null)).toBe('b');
    expect(termHolder([claim('b', 10), claim('a', 10)], 5, null)).toBe('a');
    expect(termHolder([claim('b', 10), claim('a', 1000)], 5, 'a', 2000)).toBe('a');
    expect(termHolder([claim('b', 10), claim('a', 5000)], 5, 'a', 2000)).toBe('b');
    expect(termHolder([claim('b', 10, 4), claim('a', 20)], 5, null)).toBe('a');
  });
});

describe('alert rules config', () => {
  it('uses the documented defaults when the config has no alerts section', () => {
    const rules = alertRulesOf({});
    expect(rules.map((rule) => rule.id)).toEqual(DEFAULT_ALERT_RULES.map((rule) => rule.id));
    expect(rules.find((rule) => rule.id === 'high-risk-phishable-recovery')).toMatchObject({
      severity: 'critical',
      maxCount: 0,
      cooldownMinutes: 60,
    });
    expect(rules.every((rule) => rule.enabled)).toBe(true);
  });

  it('the default config file states exactly the defaults', () => {
    const json = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../config/rollout.default.json'), 'utf8')) as unknown;
    expect(alertRulesOf(parseRolloutConfig(json))).toEqual(alertRulesOf({}));
  });

  it('overrides a rule field by field, adds rules, and applies the file defaults', () => {
    const { rules } = zAlertsConfig.parse({
      defaults: { cooldownMinutes: 5 },
      rules: [
        { id: 'ingest-silence', silentMinutes: 0.1 },
        { id: 'failure-rate-spike', enabled: false },
        {
          id: 'registration-spike',
          kind: 'failure_spike',
          measure: 'failure_rate',
          ceremonyType: 'registration',
          window: 'day',
          baselineDays: 7,
          minCount: 5,
          minRatio: 1.5,
          pValue: 0.01,
        },
      ],
    });
    expect(rules.find((rule) => rule.id === 'ingest-silence')).toMatchObject({ silentMinutes: 0.1, watchHours: 168, cooldownMinutes: 5 });
    expect(rules.find((rule) => rule.id === 'failure-rate-spike')?.enabled).toBe(false);
    expect(rules.find((rule) => rule.id === 'registration-spike')).toMatchObject({
      kind: 'failure_spike',
      severity: 'warning',
      cooldownMinutes: 5,
    });
  });

  it('reports bad rules with their path', () => {
    const problems = (alerts: unknown) => {
      try {
        parseRolloutConfig({ ...(JSON.parse(readFileSync('config/rollout.default.json', 'utf8')) as object), alerts });
        return [];
      } catch (error) {
        return (error as { problems: string[] }).problems;
      }
    };
    expect(problems({ rules: [{ id: 'failure-rate-spike', pValue: 2 }] })).toEqual([
      'alerts.rules[0].pValue: Too big: expected number to be <=0.5',
    ]);
    expect(problems({ rules: [{ id: 'failure-rate-spike', treshold: 2 }] })[0]).toMatch(/^alerts\.rules\[0\]/);
    expect(problems({ rules: [{ id: 'new-rule' }] })).toEqual([
      'alerts.rules[0].kind: "new-rule" is not a default rule: a new rule needs a kind',
    ]);
    expect(problems({ rules: [{ id: 'ingest-silence', kind: 'failure_spike' }] })[0]).toMatch(
      /^alerts\.rules\[0\]\.kind: rule "ingest-silence" is a ingest_silence rule/,
    );
    expect(problems({ rules: [{ id: 'Bad Id' }] })[0]).toMatch(/^alerts\.rules\[0\]\.id: must be kebab-case/);
    expect(problems({ rules: [{ id: 'ingest-silence' }, { id: 'ingest-silence' }] })[0]).toMatch(/duplicate rule id/);
    expect(problems({ unknown: 1 })[0]).toMatch(/^alerts/);
  });
});

describe('spike markers', () => {
  it('turns a spike firing into a chart annotation', () => {
    expect(
      spikeAnnotation({
        id: 'e',
        at: '2026-12-01T10:00:00.000Z',
        ruleId: 'failure-reason-spike',
        seriesKey: 'deviceClass=mobile-ios|reason=timeout',
        kind: 'firing',
        severity: 'warning',
        summary: 'Failures "timeout" on mobile-ios …',
        value: 0.3,
        threshold: 0.1,
        labels: { deviceClass: 'mobile-ios', reason: 'timeout' },
      }),
    ).toEqual({
      kind: 'alert',
      at: '2026-12-01T10:00:00.000Z',
      label: 'spike: mobile-ios · timeout',
      detail: 'failure-reason-spike: Failures "timeout" on mobile-ios …',
    });
  });
});
