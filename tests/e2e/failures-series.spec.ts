/**
 * Failures over time on the Failures page, in Debian's Chromium: failures of one service spread
 * over six days draw stacked bars per day; stacking by device class names the classes; dragging the
 * brush and zooming in makes the selection the page's window, shown by the hour.
 * Screenshot: test-results/e2e/failures-series.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getJson, otlpJson, postLogs, uid, type TestRecord } from '../helpers/otlp';
import { launchChromium, withPage } from '../helpers/chromium';

const SCREENSHOTS = path.join(process.cwd(), 'test-results', 'e2e');
const baseUrl = inject('baseUrl');
const service = uid('e2e-series');
const DAY = 86_400_000;
let browser: Browser;

beforeAll(async () => {
  const records: TestRecord[] = [];
  for (let day = 0; day < 6; day++) {
    for (let i = 0; i <= day; i++) {
      records.push({
        eventName: 'passkey.authentication',
        timeMs: Date.now() - day * DAY - (i + 1) * 60_000,
        attributes: {
          'user.id': uid('u'),
          'passkey.result': 'failure',
          'webauthn.failure.reason': i % 2 === 0 ? 'user_not_verified' : 'bad_signature',
          'webauthn.ceremony.id': uid('cer'),
          'device.class': i % 2 === 0 ? 'mobile-ios' : 'desktop-windows',
        },
      });
    }
  }
  const response = await postLogs(baseUrl, JSON.stringify(otlpJson(records, { 'service.name': service })), {
    authorization: `Bearer ${inject('ingestToken')}`,
    'content-type': 'application/json',
  });
  expect(response.status).toBe(200);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { body } = await getJson<{ failures: number }>(
      baseUrl,
      `/api/v1/failures?from=${new Date(Date.now() - 7 * DAY).toISOString()}&service=${service}`,
    );
    if (body.failures === records.length) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('Failures over time', () => {
  it('draws stacked bars per day, stacks by device class, and zooms to a brushed range by the hour', async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${baseUrl}/failures?range=7d&service=${service}`);
      const panel = page.locator('[data-panel="failures-over-time"]');
      const bars = panel.locator('.recharts-bar-rectangle path');
      await bars.first().waitFor({ timeout: 60_000 });
      expect(await panel.innerText()).toContain('per day');
      // 6 days with failures, two reasons
      expect(await bars.count()).toBeGreaterThanOrEqual(6);
      await expect
        .poll(() => panel.locator('.recharts-legend-item-text').allInnerTexts(), { timeout: 30_000 })
        .toEqual(['user_not_verified', 'bad_signature']);

      await panel.locator('[data-testid="series-group-by"] button[data-value="deviceClass"]').click();
      await expect.poll(() => page.url(), { timeout: 10_000 }).toContain('seriesBy=deviceClass');
      await expect
        .poll(() => panel.locator('.recharts-legend-item-text').allInnerTexts(), { timeout: 30_000 })
        .toEqual(['mobile-ios', 'desktop-windows']);

      // Drag the brush's left handle most of the way right: the last few days.
      const zoom = panel.locator('button[data-action="zoom"]');
      expect(await zoom.isDisabled()).toBe(true);
      const brush = await panel.locator('.recharts-brush').boundingBox();
      const handle = await panel.locator('.recharts-brush-traveller').first().boundingBox();
      expect(brush && handle).toBeTruthy();
      const y = handle!.y + handle!.height / 2;
      await page.mouse.move(handle!.x + handle!.width / 2, y);
      await page.mouse.down();
      for (let step = 1; step <= 10; step++) {
        await page.mouse.move(handle!.x + handle!.width / 2 + ((brush!.x + brush!.width * 0.72 - handle!.x) * step) / 10, y);
        await page.waitForTimeout(30);
      }
      await page.mouse.up();
      await expect.poll(() => zoom.isDisabled(), { timeout: 10_000 }).toBe(false);
      await zoom.click();
      await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/from=.*&to=|to=.*&from=/);
      const url = new URL(page.url());
      const span = Date.parse(url.searchParams.get('to')!) - Date.parse(url.searchParams.get('from')!);
      expect(span).toBeLessThanOrEqual(3 * DAY);
      await expect.poll(() => panel.innerText(), { timeout: 30_000 }).toContain('per hour');
      await bars.first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: path.join(SCREENSHOTS, 'failures-series.png'), fullPage: true });
    });
  }, 120_000);
});
