/**
 * The rollout experiment on the Stage gates page, in Debian's Chromium, against a private app whose
 * configuration names the flag and its control variant: 40 control users of whom 10 hold a passkey,
 * 40 treatment users of whom 30 do. The holder share of active users reads 25.0 % against 75.0 %,
 * +50.0 points, "Treatment better" (its minimum sample lowered to 10 for this small population).
 * Screenshot: test-results/e2e/stage-gates-experiment.png. The same page's stage-4-over-time panel
 * reads the same population week by week.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, withPage } from '../helpers/chromium';
import { isolatedApp } from '../helpers/isolated-app';
import { otlpJson, postLogs, uid, type TestRecord } from '../helpers/otlp';

const SCREENSHOTS = path.join(process.cwd(), 'test-results', 'e2e');
const FLAG = 'passkey-default';
const app = isolatedApp();
let browser: Browser;

function user(variant: string, holder: boolean, at: number): TestRecord[] {
  const common = { 'user.id': uid('u'), 'device.class': 'desktop-windows' };
  return [
    {
      eventName: 'feature_flag.evaluation',
      timeMs: at,
      attributes: { ...common, 'feature_flag.key': FLAG, 'feature_flag.result.variant': variant },
    },
    { eventName: 'auth.sign_in', timeMs: at + 1000, attributes: { ...common, 'auth.method': 'password', 'auth.result': 'success' } },
    ...(holder
      ? [
          {
            eventName: 'passkey.registration',
            timeMs: at + 2000,
            attributes: {
              ...common,
              'passkey.result': 'success',
              'webauthn.credential.id': uid('cred'),
              'webauthn.ceremony.id': uid('cer'),
            },
          },
        ]
      : []),
  ];
}

beforeAll(async () => {
  const json = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../config/rollout.default.json'), 'utf8')) as {
    transitions: Array<{ criteria: Array<{ id: string; minSample: number }> }>;
  } & Record<string, unknown>;
  for (const criterion of json.transitions.flatMap((transition) => transition.criteria)) {
    if (criterion.id === 'holder-share-of-active-users') criterion.minSample = 10;
  }
  json.experiment = { flag: FLAG, control: 'off' };
  const config = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pa-experiment-e2e-')), 'rollout.json');
  fs.writeFileSync(config, JSON.stringify(json));
  await app.start({ ROLLOUT_CONFIG: config, GATE_HISTORY: 'off' });
  const at = Date.now() - 3 * 86_400_000;
  const records = [
    ...Array.from({ length: 40 }, (_, i) => user('off', i < 10, at + i * 60_000)),
    ...Array.from({ length: 40 }, (_, i) => user('on', i < 30, at + i * 60_000)),
  ].flat();
  const response = await postLogs(app.baseUrl, JSON.stringify(otlpJson(records)), {
    authorization: `Bearer ${app.token}`,
    'content-type': 'application/json',
  });
  expect(response.status).toBe(200);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app.stop();
});

describe('the rollout experiment panel', () => {
  it('compares the treatment arm with control, criterion by criterion', async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${app.baseUrl}/stages`);
      const panel = page.getByTestId('gate-experiment');
      const row = panel.locator('tr[data-criterion="holder-share-of-active-users"]');
      await row.waitFor({ timeout: 90_000 });
      expect(await panel.locator('[data-field="experiment-arms"]').textContent()).toContain(
        'control off (40 users), treatment on (40 users)',
      );
      expect(await row.locator('[data-field="control"]').textContent()).toBe('25.0 % n=40');
      expect(await row.locator('[data-field="treatment"]').textContent()).toBe('75.0 % n=40');
      expect(await row.locator('[data-field="effect"]').textContent()).toMatch(/^\+50\.0 pts \(\+\d+\.\d to \+\d+\.\d\)$/);
      expect(await row.locator('[data-field="p-value"]').textContent()).toBe('p < 0.001');
      expect(await row.getAttribute('data-outcome')).toBe('treatment_better');
      expect(await row.locator('[data-field="outcome"]').textContent()).toBe('Treatment better');
      await panel.screenshot({ path: path.join(SCREENSHOTS, 'stage-gates-experiment.png') });
    });
  }, 120_000);

  it('shows stage 4 over time beside it: 12 weeks, the 40 holders at the last week’s end, none without a password', async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${app.baseUrl}/stages`);
      const panel = page.getByTestId('phase-out');
      const rows = panel.locator('[data-testid="phase-out-table"] tbody tr[data-row]');
      await rows.first().waitFor({ timeout: 90_000 });
      expect(await rows.count()).toBeGreaterThanOrEqual(12);
      const last = rows.last();
      expect(await last.locator('td[data-column="holders"]').getAttribute('data-value')).toBe('40');
      expect(await last.locator('td[data-column="holdersWithoutPassword"]').getAttribute('data-value')).toBe('0');
      // every holder is at risk: none signed in with a passkey
      expect(await last.locator('td[data-column="atRisk"]').getAttribute('data-value')).toBe('40');
      await panel.locator('[data-testid="phase-out-chart"] .recharts-surface').first().waitFor({ timeout: 60_000 });
    });
  }, 120_000);
});
