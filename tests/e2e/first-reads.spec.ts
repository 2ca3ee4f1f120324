/**
 * A page's first read started by the server while it renders the page (app/(product)/first-reads.ts),
 * in Debian's Chromium: on the default preset window — whose "now" the browser takes from the
 * server's render (WindowAnchorSeed) — the Overview's own request for its headlines is answered by
 * the read the server started (`x-served-from: early-read`), and the page shows it; moving to another
 * page in the app (a client-side navigation) asks afresh.
 */
import type { Browser, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, withPage } from '../helpers/chromium';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

const isRead = (path: string) => (response: Response) => new URL(response.url()).pathname === path && response.request().method() === 'GET';

describe('the first read of a page', () => {
  it('is the one the server started while rendering the page, on the default window', async () => {
    await withPage(browser, async (page) => {
      const overview = page.waitForResponse(isRead('/api/v1/overview'), { timeout: 60_000 });
      await page.goto(`${baseUrl}/`);
      const response = await overview;
      expect(response.status()).toBe(200);
      expect(response.headers()['x-served-from']).toBe('early-read');
      // a preset window: the read's `to` is the next whole minute after the server's render
      expect(new URL(response.url()).searchParams.get('to')).toMatch(/T\d{2}:\d{2}:00\.000Z$/);
      await page.locator('[data-panel][data-state="loading"]').first().waitFor({ state: 'detached', timeout: 60_000 });

      const signin = page.waitForResponse(isRead('/api/v1/signin'), { timeout: 60_000 });
      await page.locator('nav a[href^="/signin"]').first().click();
      const next = await signin;
      expect(next.status()).toBe(200);
      expect(next.headers()['x-served-from']).toBeUndefined();
    });
  }, 120_000);
});
