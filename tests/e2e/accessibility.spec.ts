/**
 * Every dashboard page passes an automated accessibility check (axe-core in Debian's Chromium) with
 * no serious or critical violation, once its panels have loaded (issue 12, "For everyone"). The
 * pages are read with a small population of their own service, so charts and tables are drawn.
 * Every page is checked twice: in the light theme and in the dark one the system setting selects
 * (prefers-color-scheme: dark, app/globals.css), where colour contrast is checked again
 * (screenshots: test-results/e2e/dark-<page>.png).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import nodePath from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, withPage } from '../helpers/chromium';
import { otlpJson, postLogs, uid, type TestRecord } from '../helpers/otlp';
import { WINDOWS_UA as UA } from '../helpers/user-agents';

const SCREENSHOTS = nodePath.join(process.cwd(), 'test-results', 'e2e');
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const baseUrl = inject('baseUrl');
const service = uid('a11y');
const now = Date.now();
const from = new Date(now - 7 * 86_400_000).toISOString();
const to = new Date(now + 60_000).toISOString();
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
  '/alerts',
  '/lookup',
  '/quarantine',
];
let browser: Browser;

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes
          .map((node) => node.target.join(' '))
          .slice(0, 5)
          .join(', ')}`,
    );
}

beforeAll(async () => {
  const records: TestRecord[] = [];
  for (let i = 0; i < 6; i++) {
    const user = uid('u');
    const flow = uid('f');
    const at = now - (i + 1) * 3_600_000;
    const common = { 'user.id': user, 'user_agent.original': UA, 'auth.flow.id': flow };
    records.push(
      {
        eventName: 'passkey.registration',
        timeMs: at,
        attributes: { ...common, 'passkey.result': i % 3 ? 'success' : 'failure', 'webauthn.credential.id': uid('c') },
      },
      {
        eventName: 'auth.sign_in',
        timeMs: at + 60_000,
        attributes: { ...common, 'auth.method': i % 2 ? 'passkey' : 'password', 'auth.result': 'success' },
      },
    );
  }
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

const BACKGROUND = { light: 'rgb(246, 247, 249)', dark: 'rgb(14, 18, 23)' } as const;

describe('accessibility (axe-core)', () => {
  it.each(PAGES)(
    '%s has no serious or critical violation, in the light and in the dark theme',
    async (path) => {
      await withPage(browser, async (page) => {
        await page.emulateMedia({ colorScheme: 'light' });
        await page.goto(`${baseUrl}${path}?from=${from}&to=${to}&service=${service}`);
        await page.locator('main').first().waitFor({ timeout: 60_000 });
        await page
          .waitForFunction(() => document.querySelectorAll('[aria-busy="true"]').length === 0, undefined, { timeout: 90_000 })
          .catch(() => undefined);
        // The same loaded page in both themes: the system setting switches it live (prefers-color-scheme).
        for (const scheme of ['light', 'dark'] as const) {
          await page.emulateMedia({ colorScheme: scheme });
          expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), scheme).toBe(BACKGROUND[scheme]);
          expect(await seriousViolations(page), scheme).toEqual([]);
        }
        fs.mkdirSync(SCREENSHOTS, { recursive: true });
        await page.screenshot({ path: nodePath.join(SCREENSHOTS, `dark${path === '/' ? '-overview' : path.replace('/', '-')}.png`) });
      });
    },
    150_000,
  );
});
