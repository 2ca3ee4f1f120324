/** The Sign-in page's prompt latency panel in Debian's Chromium: the overall p50 / p95 and a row per group. */
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { otlpJson, postLogs, uid } from '../helpers/otlp';
import { launchChromium } from '../helpers/chromium';

const baseUrl = inject('baseUrl');
const service = uid('e2e-latency');
let browser: Browser;

beforeAll(async () => {
  const records = [1200, 2400].map((ms, i) => ({
    eventName: 'passkey.prompt',
    timeMs: Date.now() - 120_000 + i,
    attributes: {
      'webauthn.ceremony.id': uid('cer'),
      'webauthn.ceremony.type': 'authentication',
      'webauthn.mediation': 'optional',
      'passkey.prompt.outcome': 'success',
      'passkey.prompt.duration_ms': ms,
      'device.class': 'tablet-ipados',
    },
  }));
  const response = await postLogs(baseUrl, JSON.stringify(otlpJson(records, { 'service.name': service })), {
    authorization: `Bearer ${inject('ingestToken')}`,
    'content-type': 'application/json',
  });
  expect(response.status).toBe(200);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('prompt latency on the Sign-in page', () => {
  it('shows the overall p50 / p95 and the group row', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    try {
      const page = await context.newPage();
      await page.goto(`${baseUrl}/signin?range=7d&service=${service}`);
      const table = page.locator('[data-testid="table-prompt-latency"]');
      await table.waitFor({ timeout: 60_000 });
      // p50 of 1,200 and 2,400 ms = 1,800; p95 = 1,200 + 0.95 × 1,200 = 2,340
      await expect
        .poll(() => page.locator('[data-testid="prompt-latency-overall"]').innerText(), { timeout: 30_000 })
        .toContain('1,800 ms');
      expect(await page.locator('[data-testid="prompt-latency-overall"]').innerText()).toContain('2,340 ms');
      const row = await table.locator('tbody tr').first().innerText();
      expect(row).toContain('tablet-ipados');
      expect(row).toContain('1,800 ms');
    } finally {
      await context.close();
    }
  }, 120_000);
});
