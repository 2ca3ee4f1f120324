/**
 * The Quarantine page in Debian's Chromium: a service's rejected records appear in the per-day
 * chart, the service table and the samples, whose stored record opens redacted.
 * Screenshot: test-results/e2e/quarantine.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { otlpJson, postLogs, uid } from '../helpers/otlp';
import { launchChromium, withPage } from '../helpers/chromium';

const SCREENSHOTS = path.join(process.cwd(), 'test-results', 'e2e');
const baseUrl = inject('baseUrl');
const service = uid('e2e-quarantine');
let browser: Browser;

beforeAll(async () => {
  const now = Date.now() - 60_000;
  const response = await postLogs(
    baseUrl,
    JSON.stringify(
      otlpJson(
        [
          { eventName: 'passkey.registration', timeMs: now, attributes: { 'user.id': 'bo@example.com', 'passkey.result': 'success' } },
          { eventName: 'passkey.teleport', timeMs: now + 1, attributes: { 'user.id': uid('u') } },
        ],
        { 'service.name': service },
      ),
    ),
    { authorization: `Bearer ${inject('ingestToken')}`, 'content-type': 'application/json' },
  );
  expect(response.status).toBe(200);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('the Quarantine page', () => {
  it("shows a service's rejected records by day, by service and as redacted samples", async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${baseUrl}/quarantine?range=7d&service=${service}`);
      await page.locator('[data-panel="quarantine-over-time"] .recharts-bar-rectangle path').first().waitFor({ timeout: 60_000 });
      expect(await page.locator('[data-testid="stat-quarantined"]').innerText()).toContain('2');
      expect(await page.locator('[data-testid="quarantine-services-table"]').innerText()).toContain(service);
      const samples = page.locator('[data-testid="quarantine-samples-table"]');
      expect(await samples.innerText()).toContain('passkey.teleport');
      await samples.locator('summary').first().click();
      const shown = (await samples.locator('[data-field="record"]').allInnerTexts()).join('\n');
      expect(shown).toContain('"eventName"');
      expect(shown).not.toContain('bo@example.com');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'quarantine.png'), fullPage: true });
    });
  }, 120_000);
});
