/**
 * Debian's Chromium as every browser test launches it (DESIGN.md section 7): no sandbox (root in
 * CI), and no background networking, updates, sync or QUIC, so a test talks to nothing but the app.
 */
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * Runs `test` on a page of a fresh browser context (its own cookies and storage), logging the page's
 * uncaught errors, and closes the context whatever happens.
 */
export async function withPage<T>(
  browser: Browser,
  test: (page: Page) => Promise<T>,
  viewport = { width: 1440, height: 1000 },
): Promise<T> {
  const context = await browser.newContext({ viewport });
  try {
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`[browser] ${error.message}`));
    return await test(page);
  } finally {
    await context.close();
  }
}
