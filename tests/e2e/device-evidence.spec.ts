/**
 * Evidence about users' devices, in Debian's Chromium, on two active Windows users who sign in by
 * password and hold no passkey, one whose login page reported no platform authenticator (linked by
 * its flow) and one with one:
 * - Registration, device capabilities: the desktop-windows row shows 100% reported and 50% without
 *   a platform authenticator;
 * - Sign-in, dependence on fallback methods: the password row shows both users, both depending on
 *   it alone, both stranded if it were retired; the cohort-by-week chart draws their week.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, withPage } from '../helpers/chromium';
import { otlpJson, postLogs, uid, type TestRecord } from '../helpers/otlp';
import { WINDOWS_UA } from '../helpers/user-agents';

const baseUrl = inject('baseUrl');
const service = uid('capabilities-page');
const now = Date.now();
const from = new Date(now - 86_400_000).toISOString();
const to = new Date(now + 60_000).toISOString();
let browser: Browser;

function user(uvpaa: boolean, minutesAgo: number): TestRecord[] {
  const flow = uid('f');
  const common = { 'user_agent.original': WINDOWS_UA, 'auth.flow.id': flow };
  return [
    {
      eventName: 'passkey.client.capabilities',
      timeMs: now - minutesAgo * 60_000,
      attributes: { ...common, 'webauthn.client.uvpaa': uvpaa, 'webauthn.client.conditional_get': uvpaa },
    },
    {
      eventName: 'auth.sign_in',
      timeMs: now - minutesAgo * 60_000 + 5_000,
      attributes: { ...common, 'user.id': uid('u'), 'auth.method': 'password', 'auth.result': 'success' },
    },
  ];
}

beforeAll(async () => {
  const response = await postLogs(baseUrl, JSON.stringify(otlpJson([...user(false, 30), ...user(true, 20)], { 'service.name': service })), {
    authorization: `Bearer ${inject('ingestToken')}`,
    'content-type': 'application/json',
  });
  expect(response.status).toBe(200);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('the device capabilities panel', () => {
  it('shows, per device class, the share of active users whose device has no platform authenticator', async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${baseUrl}/registration?from=${from}&to=${to}&service=${service}`);
      const row = page.locator('[data-testid="capabilities-table"] tbody tr').first();
      await row.waitFor({ timeout: 60_000 });
      const cells = (await row.locator('td').allInnerTexts()).map((text) => text.trim());
      expect(cells.slice(1)).toEqual(['2', '100%', '50.0%', '1', '50.0%']);
      expect(cells[0]).toMatch(/windows/i);
    });
  }, 120_000);
});

describe('the dependence-on-fallback-methods panel', () => {
  it('shows who depends on each method and whom retiring it would strand', async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${baseUrl}/signin?from=${from}&to=${to}&service=${service}`);
      const row = page.locator('[data-testid="fallback-methods-table"] tbody tr').first();
      await row.waitFor({ timeout: 60_000 });
      const cells = (await row.locator('td').allInnerTexts()).map((text) => text.trim());
      expect(cells[0]).toMatch(/password/i);
      expect(cells.slice(1)).toEqual(['2', '100%', '2', '2', '100%', '2']);
      // The cohort by week: both users, with no passkey, in the current week's bar.
      await page.locator('[data-testid="fallback-weekly-chart"] .recharts-bar-rectangle path').first().waitFor({ timeout: 30_000 });
    });
  }, 120_000);
});
