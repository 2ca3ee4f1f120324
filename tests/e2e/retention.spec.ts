/** The Passkey retention page in Debian's Chromium, on the scenario of tests/fixtures/retention-scenario.ts: the cohort triangle's cells and the curves. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildRetentionScenario } from '../fixtures/retention-scenario';
import { launchChromium, withPage } from '../helpers/chromium';
import { getJson, otlpJson, postLogs } from '../helpers/otlp';

const baseUrl = inject('baseUrl');
const scenario = buildRetentionScenario();
let browser: Browser;

beforeAll(async () => {
  for (const [records, service] of [
    [scenario.records, scenario.service],
    [scenario.otherService, `${scenario.service}-other`],
  ] as const) {
    const response = await postLogs(baseUrl, JSON.stringify(otlpJson([...records], { 'service.name': service })), {
      authorization: `Bearer ${inject('ingestToken')}`,
      'content-type': 'application/json',
    });
    expect(response.status).toBe(200);
  }
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { body } = await getJson<{ cohorts: Array<{ weeks: Array<{ deletedAll: number }> }> }>(
      baseUrl,
      `/api/v1/retention?from=${scenario.from}&to=${scenario.to}&service=${scenario.service}`,
    );
    if (body.cohorts?.[0]?.weeks[1]?.deletedAll === 1) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('the Passkey retention page', () => {
  it('shows each cohort week by week, and switches the measure', async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${baseUrl}/retention?from=${scenario.from}&to=${scenario.to}&service=${scenario.service}`);
      const first = page.locator(`[data-testid="retention-triangle"] tr[data-cohort="${scenario.expected[0]!.week}"]`);
      await first.waitFor({ timeout: 60_000 });
      const cells = async () => (await first.locator('td[data-offset]').allInnerTexts()).map((text) => text.trim());
      expect(await cells()).toEqual(['50.0%', '0%', '50.0%', '0% *']);
      await page.locator('[data-testid="retention-measure"] button[data-value="deletedAll"]').click();
      await expect.poll(cells, { timeout: 30_000 }).toEqual(['0%', '50.0%', '50.0%', '50.0% *']);
      await page.locator('[data-panel="retention-curves-panel"] .recharts-line').first().waitFor({ timeout: 30_000 });
    });
  }, 120_000);
});
