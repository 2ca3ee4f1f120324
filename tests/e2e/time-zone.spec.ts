/**
 * The time-zone choice in the filter bar (DESIGN.md section 11), in Debian's Chromium set to
 * Europe/Berlin: the choice offers UTC and the viewer's own zone; choosing it puts `tz` in the URL,
 * every metric request carries it, the Overview's daily chart shows the Berlin days (the hand count
 * of tests/integration/time-zone.ch.test.ts: three sign-ins on one Berlin day, split over two UTC
 * days), and the choice travels to the next page.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { OverviewResponse } from '@/lib/contracts/overview';
import { launchChromium } from '../helpers/chromium';
import { D, HOUR, ingestTimeZoneScenario } from '../fixtures/time-zone-scenario';
import { uid } from '../helpers/otlp';

const baseUrl = inject('baseUrl');
const token = inject('ingestToken');
const service = uid('tz-e2e');
let browser: Browser;

beforeAll(async () => {
  await ingestTimeZoneScenario(baseUrl, token, service);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('the time-zone choice', () => {
  it("moves the Overview's days to the viewer's zone and carries it to the next page", async () => {
    const context = await browser.newContext({ timezoneId: 'Europe/Berlin', viewport: { width: 1440, height: 1000 } });
    try {
      const page = await context.newPage();
      const window = `from=${new Date(D - 24 * HOUR).toISOString()}&to=${new Date(D + 24 * HOUR).toISOString()}&service=${service}`;
      await page.goto(`${baseUrl}/?${window}`);
      const choice = page.getByTestId('time-zone');
      await expect.poll(() => choice.locator('option').allTextContents(), { timeout: 30_000 }).toEqual(['UTC', 'Europe/Berlin (yours)']);

      const answered = page.waitForResponse((r) => r.url().includes('/api/v1/overview?') && r.url().includes('tz=Europe%2FBerlin'));
      await choice.selectOption('Europe/Berlin');
      const overview = (await (await answered).json()) as OverviewResponse;
      expect(overview.passkeySignInShareSeries.map((d) => [d.day, d.successfulSignIns, d.passkeySignIns])).toEqual([
        ['2026-01-14', 0, 0],
        ['2026-01-15', 3, 2],
        ['2026-01-16', 0, 0],
      ]);
      expect(new URL(page.url()).searchParams.get('tz')).toBe('Europe/Berlin');

      await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Failures' }).click();
      await page.waitForURL(/\/failures\?/);
      expect(new URL(page.url()).searchParams.get('tz')).toBe('Europe/Berlin');
      await expect.poll(() => page.getByTestId('time-zone').inputValue(), { timeout: 30_000 }).toBe('Europe/Berlin');
    } finally {
      await context.close();
    }
  });
});
