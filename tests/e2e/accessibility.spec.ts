/**
 * Every dashboard page passes an automated accessibility check (axe-core in Debian's Chromium) with
 * no serious or critical violation, once its panels have loaded (issue 12, "For everyone"). The
 * pages are read with a small population of their own service, so charts and tables are drawn.
 * Every page is checked twice: in the light theme and in the dark one the system setting selects
 * (prefers-color-scheme: dark, app/globals.css), where colour contrast is checked again
 * (screenshots: test-results/e2e/dark-<page>.png). And every page works with the keyboard alone:
 * Tab reaches every visible control, each shows where the focus is, no control jumps the order
 * (tabindex > 0), and the main tasks — moving between pages, filtering, drilling into a journey
 * link — are done with keys only.
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
  '/members',
  '/audit',
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
    '%s has no serious or critical violation in the light and the dark theme, and Tab reaches every control',
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
        // The same page with the keyboard alone (tagControls, below).
        await expectKeyboardWalk(page, path);
      });
    },
    150_000,
  );
});

/** The page's visible, enabled controls, each tagged with an index (`data-kb`) so the Tab walk can name them. */
async function tagControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector =
      'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
    // A radio group is one Tab stop (its checked radio, else its first); arrows move within it.
    const radioStop = (element: HTMLElement) => {
      if (!(element instanceof HTMLInputElement) || element.type !== 'radio') return true;
      const group = [...document.querySelectorAll<HTMLInputElement>(`input[type="radio"][name="${element.name}"]:not([disabled])`)];
      return group.some((radio) => radio.checked) ? element.checked : group[0] === element;
    };
    const controls = [...document.querySelectorAll<HTMLElement>(selector)].filter(
      (element) => element.checkVisibility() && element.tabIndex >= 0 && !element.closest('[inert]') && radioStop(element),
    );
    return controls.map((element, index) => {
      element.dataset.kb = String(index);
      return `${element.tagName.toLowerCase()} "${(element.textContent || element.getAttribute('aria-label') || element.getAttribute('name') || '').trim().slice(0, 40)}"`;
    });
  });
}

/** The focused element's `data-kb`, and whether anything shows it has the focus (an outline or a ring). */
function focused(page: Page) {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    const indicated = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
    return { kb: element.dataset.kb ?? null, indicated, tag: element.tagName.toLowerCase() };
  });
}

/** Tab until `accept` says yes about the focused element (at most `max` presses). */
async function tabTo(page: Page, accept: string, max = 400): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((selector) => document.activeElement?.matches(selector) ?? false, accept)) return;
  }
  throw new Error(`Tab never reached ${accept}`);
}

/** Tab through the whole page: every control reached (in order, none jumping it), each showing the focus. */
async function expectKeyboardWalk(page: Page, path: string): Promise<void> {
  expect(await page.locator('[tabindex]:not([tabindex="-1"]):not([tabindex="0"])').count(), 'tabindex > 0').toBe(0);
  const controls = await tagControls(page);
  expect(controls.length).toBeGreaterThan(10);
  const reached = new Set<string>();
  const unindicated = new Set<string>();
  // a date field takes three Tab stops (month, day, year), so allow more presses than controls
  for (let i = 0; i < controls.length * 3 + 50; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (!now?.kb) continue;
    reached.add(now.kb);
    if (!now.indicated) unindicated.add(controls[Number(now.kb)]!);
    if (reached.size === controls.length) break;
  }
  const missed = controls.filter((_, index) => !reached.has(String(index)));
  if (missed.length > 0) console.log(`${path}: ${controls.length} controls, reached ${reached.size}; missed ${missed.join(' | ')}`);
  expect(missed, 'controls Tab never reached').toEqual([]);
  expect([...unindicated], 'controls focused without a visible indicator').toEqual([]);
}

describe('the keyboard alone', () => {
  it('moves between pages, filters and drills into a journey link with keys only', async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${baseUrl}/?from=${from}&to=${to}&service=${service}`);
      await page.locator('main').first().waitFor({ timeout: 60_000 });
      // A filter: open "Device class" with Enter, tick the first class with Space.
      await tabTo(page, '[data-filter="deviceClass"] > summary');
      await page.keyboard.press('Enter');
      await tabTo(page, '[data-filter="deviceClass"] input[type="checkbox"]', 5);
      await page.keyboard.press('Space');
      await page.waitForURL(/deviceClass=/, { timeout: 30_000 });
      // Another page from the navigation, with Enter.
      await tabTo(page, 'nav a[href^="/journeys"]');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/journeys/, { timeout: 30_000 });
      // The diagram's links are also buttons: Enter lists the flows behind one.
      await page.goto(`${baseUrl}/journeys?kind=registration&from=${from}&to=${to}&service=${service}`);
      await page.locator('[data-testid="journey-link-button"]').first().waitFor({ timeout: 60_000 });
      await tabTo(page, '[data-testid="journey-link-button"]');
      await page.keyboard.press('Enter');
      await expect
        .poll(() => page.locator('[data-panel="journey-link-flows"]').getAttribute('data-state'), { timeout: 30_000 })
        .toBe('ready');
      expect(await page.locator('[data-testid="journey-link-button"][aria-pressed="true"]').count()).toBe(1);
    });
  }, 150_000);
});
