/**
 * A page's first read started by the server while it renders the page (app/(product)/first-reads.ts),
 * in Debian's Chromium: on the default preset window — whose "now" the browser takes from the
 * server's render (WindowAnchorSeed) — the Overview's own request for its headlines is answered by
 * the read the server started (`x-served-from: early-read`), and the page shows it; moving to another
 * page in the app (a client-side navigation) asks afresh. A page's other panels send their reads
 * only once its first read has answered (lib/client/first-read.tsx).
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

describe("a page's other panels", () => {
  /** Each read's path → when the browser sent it and when its answer had arrived (ms, this process's clock). */
  async function readTimes(path: string, reads: string[], loaded: string) {
    const times = new Map<string, { sent: number; done?: number }>();
    await withPage(browser, async (page) => {
      const pathOf = (url: string) => new URL(url).pathname;
      page.on('request', (request) => {
        if (reads.includes(pathOf(request.url())) && !times.has(pathOf(request.url())))
          times.set(pathOf(request.url()), { sent: Date.now() });
      });
      page.on('requestfinished', (request) => {
        const entry = times.get(pathOf(request.url()));
        if (entry && entry.done === undefined) entry.done = Date.now();
      });
      await page.goto(`${baseUrl}${path}`);
      await page
        .locator(`[data-testid="${loaded}"][data-state="ready"], [data-testid="${loaded}"][data-state="empty"]`)
        .waitFor({ timeout: 90_000 });
    });
    return times;
  }

  it('send their reads once the first read has answered (Sign-in: its summary, then the fallback cohort panels)', async () => {
    const first = '/api/v1/signin';
    const others = ['/api/v1/cohorts/fallback', '/api/v1/cohorts/fallback/weekly', '/api/v1/cohorts/fallback/methods'];
    const times = await readTimes('/signin', [first, ...others], 'panel-fallback-weekly');
    const answered = times.get(first)?.done;
    expect(answered).toBeDefined();
    for (const other of others) {
      expect(times.get(other)?.sent, other).toBeDefined();
      expect(times.get(other)!.sent, `${other} sent before ${first} answered`).toBeGreaterThanOrEqual(answered!);
    }
  }, 120_000);

  it('Registration: the capabilities panel asks after the registration summary has answered', async () => {
    const times = await readTimes('/registration', ['/api/v1/registration', '/api/v1/capabilities'], 'panel-capabilities');
    expect(times.get('/api/v1/capabilities')!.sent).toBeGreaterThanOrEqual(times.get('/api/v1/registration')!.done!);
  }, 120_000);
});
