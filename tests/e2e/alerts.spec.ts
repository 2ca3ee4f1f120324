/**
 * The Alerts page in Debian's Chromium, against a private app instance evaluating every second
 * on its own schedule: a service that goes silent shows as a firing `ingest-silence` rule; an
 * admin mutes it from the firing series with a reason, and the silence is listed and marks the
 * series silenced; a failure spike it detects is marked on the Failures page's series chart.
 * Screenshots: test-results/e2e/alerts.png, alerts-failures-markers.png.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedApp } from '../helpers/isolated-app';
import { launchChromium, withPage } from '../helpers/chromium';
import { otlpJson, postLogs, uid } from '../helpers/otlp';

const SCREENSHOTS = path.join(process.cwd(), 'test-results', 'e2e');
const app = isolatedApp();
const service = uid('e2e-alerts');
let browser: Browser;

beforeAll(async () => {
  const json = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../config/rollout.default.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  json.alerts = {
    rules: [
      { id: 'ingest-silence', silentMinutes: 0.05, watchHours: 1 },
      { id: 'failure-rate-spike', ceremonyType: 'authentication', minCount: 10 },
    ],
  };
  const config = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pa-alerts-e2e-')), 'rollout.json');
  fs.writeFileSync(config, JSON.stringify(json));
  await app.start({ ROLLOUT_CONFIG: config, ALERTS: 'on', ALERT_INTERVAL_SECONDS: '1', GATE_HISTORY: 'off' });
  const response = await postLogs(
    app.baseUrl,
    JSON.stringify(
      otlpJson([{ eventName: 'auth.sign_in', attributes: { 'user.id': uid('u'), 'auth.method': 'password', 'auth.result': 'success' } }], {
        'service.name': service,
      }),
    ),
    { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' },
  );
  expect(response.status).toBe(200);
  // A failure spike on mobile-android: 2.5 % failed over the past days, half in the last half hour.
  const now = Date.now();
  const ceremony = (timeMs: number, ok: boolean) => ({
    eventName: 'passkey.authentication',
    timeMs,
    attributes: {
      'user.id': uid('u'),
      'device.class': 'mobile-android',
      'webauthn.ceremony.id': uid('c'),
      'passkey.result': ok ? 'success' : 'failure',
      ...(ok ? { 'webauthn.credential.id': uid('cred') } : { 'webauthn.failure.reason': 'bad_signature' }),
    },
  });
  const spike = [
    ...Array.from({ length: 400 }, (_, i) => ceremony(now - 6 * 86_400_000 + i * 1_200_000, i % 40 !== 0)),
    ...Array.from({ length: 40 }, (_, i) => ceremony(now - 1_800_000 + i * 1000, i % 2 === 0)),
  ];
  const sent = await postLogs(app.baseUrl, JSON.stringify(otlpJson(spike, { 'service.name': uid('e2e-spike') })), {
    authorization: `Bearer ${app.token}`,
    'content-type': 'application/json',
  });
  expect(sent.status).toBe(200);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app.stop();
});

describe('the Alerts page', () => {
  it('shows a firing rule, and an admin mutes its series with a reason', async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${app.baseUrl}/alerts`);
      await page.getByRole('link', { name: 'Alerts' }).waitFor();
      const firing = page.locator('[data-testid="alert-firing-table"]');
      await firing.getByText(service).first().waitFor({ timeout: 60_000 });
      const rules = page.locator('[data-testid="alert-rules-table"]');
      const silenceRow = rules.locator('tr', { hasText: 'ingest-silence' });
      expect(await silenceRow.locator('[data-field="rule-state"]').innerText()).toContain('firing');

      await firing.locator('tr', { hasText: service }).getByRole('button', { name: 'Mute…' }).click();
      const form = page.locator('[data-testid="silence-form"]');
      expect(await form.locator('select[name="ruleId"]').inputValue()).toBe('ingest-silence');
      expect(await form.locator('select[name="seriesKey"]').inputValue()).toContain(`service=${service}`);
      await form.locator('input[name="reason"]').fill('Relying party deploy in progress');
      await form.locator('input[name="actor"]').fill('Ana (on call)');
      await form.getByRole('button', { name: 'Mute' }).click();
      await form.getByRole('status').waitFor();

      const silences = page.locator('[data-testid="alert-silences-table"]');
      await silences.getByText('Relying party deploy in progress').waitFor();
      expect(await silences.innerText()).toContain('local: Ana (on call) (unverified)');
      await firing.locator('tr', { hasText: service }).getByText('silenced').waitFor({ timeout: 30_000 });
      await page.screenshot({ path: path.join(SCREENSHOTS, 'alerts.png'), fullPage: true });
    });
  }, 120_000);

  it("marks where a spike rule fired on the Failures page's series chart", async () => {
    // The page's window ends at the last whole minute: load it once the spike's firing lies before that.
    const since = await spikeFiringSince();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.floor(since / 60_000 + 1) * 60_000 - Date.now() + 1000)));
    await withPage(browser, async (page) => {
      await page.goto(`${app.baseUrl}/failures?range=7d`);
      const marker = page.locator('[data-testid="failures-series-chart"] .chart-annotation[data-kind="alert"]');
      await marker.first().waitFor({ timeout: 60_000 });
      expect(await marker.first().locator('title').textContent()).toContain('failure-rate-spike: Failure rate on mobile-android');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'alerts-failures-markers.png'), fullPage: true });
    });
  }, 120_000);
});

/** When the failure-rate-spike rule started firing (epoch ms), polled from GET /api/v1/alerts. */
async function spikeFiringSince(): Promise<number> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await fetch(`${app.baseUrl}/api/v1/alerts`, { headers: { authorization: `Bearer ${app.token}` } });
    const body = (await response.json()) as { rules?: Array<{ id: string; firing: Array<{ since: string }> }> };
    const since = body.rules?.find((rule) => rule.id === 'failure-rate-spike')?.firing[0]?.since;
    if (since) return Date.parse(since);
    if (Date.now() > deadline) throw new Error(`failure-rate-spike never fired: ${JSON.stringify(body).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
