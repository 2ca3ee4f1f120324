/**
 * The environment and release filters in the dashboard (DESIGN.md section 11), in Debian's
 * Chromium against a private app started with DEFAULT_ENVIRONMENT=production and the population of
 * tests/fixtures/release-dimensions.ts: the filter bar shows the default as the selected
 * environment; choosing another updates the URL and the panels; emptying it reads every
 * environment (`environment=*`); typing the default back leaves the URL without it; the
 * Registration page groups by release. Screenshot: test-results/e2e/release-filters.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WINDOW, buildReleasePopulation, expected } from '../fixtures/release-dimensions';
import { isolatedApp } from '../helpers/isolated-app';
import { otlpJson, postLogs } from '../helpers/otlp';
import { CoreDashboardPage } from './pages/dashboard-core-page';
import { launchChromium } from '../helpers/chromium';

const SCREENSHOTS = path.join(process.cwd(), 'test-results', 'e2e');
const app = isolatedApp();
const population = buildReleasePopulation('e2e-rel');
const windowQuery = new URLSearchParams(WINDOW).toString();
let browser: Browser;

beforeAll(async () => {
  await app.start({ DEFAULT_ENVIRONMENT: 'production' });
  for (const batch of population.batches) {
    const response = await postLogs(app.baseUrl, JSON.stringify(otlpJson(batch.records, batch.resource)), {
      authorization: `Bearer ${app.token}`,
      'content-type': 'application/json',
    });
    expect(response.status).toBe(200);
  }
  const deadline = Date.now() + 30_000;
  let ceremonies = 0;
  while (Date.now() < deadline) {
    const body = (await (await fetch(`${app.baseUrl}/api/v1/registration?${windowQuery}&environment=*`)).json()) as {
      totals: { ceremonies: number };
    };
    ceremonies = body.totals.ceremonies;
    if (ceremonies >= expected.all.registration.ceremonies) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(ceremonies).toBe(expected.all.registration.ceremonies);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await app.stop();
});

describe('the environment filter', () => {
  it('shows the default, and choosing an environment updates the URL and the panels', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const dashboard = new CoreDashboardPage(await context.newPage(), app.baseUrl);
    dashboard.page.on('pageerror', (error) => console.error(`[browser] ${error.message}`));
    await dashboard.open(`/registration?${windowQuery}`);
    const input = dashboard.page.locator('input[data-filter="environment"]');

    // No environment in the URL: the server's default is the selected value, marked as the default.
    expect(await input.inputValue()).toBe('production');
    await dashboard.page.locator('[data-testid="environment-default"]').waitFor();
    expect(await dashboard.statRaw('registration-ceremonies')).toBe(String(expected.production.registration.ceremonies));

    // Another environment: in the URL, and the panels follow.
    await input.fill('staging');
    await input.press('Enter');
    await dashboard.page.waitForURL((url) => url.searchParams.get('environment') === 'staging');
    await dashboard.waitForStatChange('registration-ceremonies', String(expected.production.registration.ceremonies));
    await dashboard.waitForPanels();
    expect(await dashboard.statRaw('registration-ceremonies')).toBe(String(expected.staging.registration.ceremonies));
    expect(await dashboard.page.locator('[data-testid="environment-default"]').count()).toBe(0);

    // Emptied: every environment (`*`), not the default.
    const staging = await dashboard.statRaw('registration-ceremonies');
    await dashboard.page.locator('input[data-filter="environment"]').fill('');
    await dashboard.page.locator('input[data-filter="environment"]').press('Enter');
    await dashboard.page.waitForURL((url) => url.searchParams.get('environment') === '*');
    await dashboard.waitForStatChange('registration-ceremonies', staging);
    await dashboard.waitForPanels();
    expect(await dashboard.statRaw('registration-ceremonies')).toBe(String(expected.all.registration.ceremonies));

    // Releases side by side, every environment.
    await dashboard.page.locator('[data-testid="group-by"] button[data-value="serviceVersion"]').click();
    await dashboard.page.waitForURL(
      (url) => url.searchParams.get('groupBy') === 'serviceVersion' && url.searchParams.get('environment') === '*',
    );
    const table = dashboard.page.locator('[data-testid="table-registration-groups"]');
    await table.locator('th button[data-column="key"]', { hasText: 'Release' }).waitFor();
    for (const row of expected.all.byRelease) {
      await table.locator(`tr[data-row="${row.key}"] td[data-column="ceremonies"]`).waitFor();
      expect(await table.locator(`tr[data-row="${row.key}"] td[data-column="ceremonies"]`).getAttribute('data-value')).toBe(
        String(row.ceremonies),
      );
    }
    await dashboard.screenshot(path.join(SCREENSHOTS, 'release-filters.png'));

    // The default typed back: the URL no longer names an environment (it follows the configuration).
    const all = await dashboard.statRaw('registration-ceremonies');
    await dashboard.page.locator('input[data-filter="environment"]').fill('production');
    await dashboard.page.locator('input[data-filter="environment"]').press('Enter');
    await dashboard.page.waitForURL((url) => !url.searchParams.has('environment') && url.searchParams.get('groupBy') === 'serviceVersion');
    await dashboard.waitForStatChange('registration-ceremonies', all);
    expect(await dashboard.statRaw('registration-ceremonies')).toBe(String(expected.production.registration.ceremonies));
    await context.close();
  });
});
