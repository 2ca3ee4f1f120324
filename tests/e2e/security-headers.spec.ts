/**
 * The Content-Security-Policy in Chromium (lib/security/headers.ts, proxy.ts): every dashboard page
 * loads, hydrates (Next.js's client runs, every panel leaves its loading state) and raises no
 * `securitypolicyviolation` event and no CSP console error — so the nonce reaches every script
 * Next.js needs and nothing the pages use is blocked. And every page hydrates without a page error
 * when the browser's clock is minutes ahead of the server's: nothing rendered from the time now
 * (a window's "to", the newest selectable day) makes the server's HTML differ from the first client
 * render (React's error 418, which once failed CI when a minute turned between the two).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';

const PAGES = [
  '/',
  '/registration',
  '/signin',
  '/retention',
  '/journeys',
  '/failures',
  '/recovery',
  '/security',
  '/stages',
  '/lookup',
  '/quarantine',
];

const baseUrl = inject('baseUrl');
let browser: Browser;
let context: BrowserContext;
let skewed: BrowserContext;

beforeAll(async () => {
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  // Registered before any page script (through the DevTools protocol, which the policy does not govern).
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener(
      'securitypolicyviolation',
      (event) =>
        seen.push(
          `${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} at ${event.sourceFile}:${event.lineNumber} (${event.sample})`,
        ),
      true,
    );
  });
  skewed = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  // Time flows normally in the page, three minutes and a half ahead of the server's.
  await skewed.clock.install({ time: Date.now() + 210_000 });
}, 120_000);

afterAll(async () => {
  await skewed?.close();
  await context?.close();
  await browser?.close();
});

/** Next.js's client bootstrap ran (it sets window.next) and every panel has left "loading". */
async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => typeof (window as unknown as { next?: { version?: string } }).next?.version === 'string', undefined, {
    timeout: 60_000,
  });
  await page.locator('[data-panel]').first().waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => document.querySelectorAll('[data-panel][data-state="loading"]').length === 0, undefined, {
    timeout: 90_000,
  });
}

describe('pages under the Content-Security-Policy', () => {
  for (const path of PAGES) {
    it(`${path}: hydrates with no CSP violation`, async () => {
      const page = await context.newPage();
      const consoleErrors: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy|Refused to (execute|load|apply|connect|frame)/i.test(message.text()))
          consoleErrors.push(message.text());
      });
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      try {
        const response = await page.goto(`${baseUrl}${path}`);
        expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
        await hydrated(page);
        const violations = await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
        expect(violations).toEqual([]);
        expect(consoleErrors).toEqual([]);
        expect(pageErrors).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
});

describe("pages with the browser's clock ahead of the server's", () => {
  for (const path of PAGES) {
    it(`${path}: hydrates with no page error`, async () => {
      const page = await skewed.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      try {
        await page.goto(`${baseUrl}${path}`);
        await hydrated(page);
        expect(pageErrors).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
});
