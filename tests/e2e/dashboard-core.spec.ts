/**
 * The core dashboard pages end to end (Overview, Registration, Sign-in & fallback): a small
 * population relative to now, ingested through the real /v1/logs into the e2e project's app, and
 * Debian's Chromium on the pages. Every panel renders with numbers and no error; the numbers on
 * screen are the API's for the same URL params; filters live in the URL (and back restores them);
 * the fallback cohort's CSV export downloads. Screenshots: test-results/e2e/core-*.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Browser, type BrowserContext } from 'playwright-core';
import { formatCount, formatPercent } from '@/components/kit/format';
import type { FallbackCohortResponse } from '@/lib/contracts/cohorts';
import type { OverviewResponse } from '@/lib/contracts/overview';
import type { RegistrationResponse } from '@/lib/contracts/registration';
import type { SigninResponse } from '@/lib/contracts/signin';
import { otlpJson, postLogs, uid } from '../helpers/otlp';
import { CoreDashboardPage } from './pages/dashboard-core-page';
import { buildCorePopulation } from './pages/dashboard-core-population';
import { launchChromium } from '../helpers/chromium';

const SCREENSHOTS = path.join(process.cwd(), 'test-results', 'e2e');
const DAY_MS = 86_400_000;
/** Users of the population active in the last 28 days (p01–p10, p12). */
const ACTIVE_USERS = 11;

const baseUrl = inject('baseUrl');
const token = inject('ingestToken');
let browser: Browser;
let context: BrowserContext;

// A fixed window covering the population: the last 28 days, ending a little after now.
const to = new Date(Math.ceil((Date.now() + 5 * 60_000) / 60_000) * 60_000).toISOString();
const from = new Date(Date.parse(to) - 28 * DAY_MS).toISOString();
const windowQuery = new URLSearchParams({ from, to }).toString();

async function api<T>(pathAndQuery: string): Promise<T> {
  const response = await fetch(`${baseUrl}${pathAndQuery}`);
  expect(response.status, `${pathAndQuery}: ${response.status}`).toBe(200);
  return (await response.json()) as T;
}

async function newPage(): Promise<CoreDashboardPage> {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[browser] ${error.message}`));
  return new CoreDashboardPage(page, baseUrl);
}

beforeAll(async () => {
  const records = buildCorePopulation(uid('e2e-core'));
  const response = await postLogs(baseUrl, JSON.stringify(otlpJson(records)), {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
  });
  expect(response.status).toBe(200);
  // Ingest is acknowledged before the rows are readable everywhere: wait for the API to see them.
  const deadline = Date.now() + 30_000;
  let active = 0;
  while (Date.now() < deadline) {
    active = (await api<OverviewResponse>(`/api/v1/overview?${windowQuery}`)).activeUsers;
    if (active >= ACTIVE_USERS) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(active).toBeGreaterThanOrEqual(ACTIVE_USERS);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
}, 300_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
});

describe('the core dashboard pages', () => {
  const pages = [
    {
      path: '/',
      name: 'overview',
      panels: ['panel-headlines', 'panel-registration-rate', 'panel-passkey-share-series', 'panel-current-stage', 'panel-explore'],
      stats: ['headline-active-users', 'headline-holders', 'headline-passkey-share', 'headline-multi-device', 'headline-upsell-acceptance'],
    },
    {
      path: '/registration',
      name: 'registration',
      panels: [
        'panel-registration-totals',
        'panel-registration-groups',
        'panel-registration-series',
        'panel-upsell',
        'panel-credential-kinds',
      ],
      stats: ['registration-ceremonies', 'registration-success-rate', 'registration-cancellations'],
    },
    {
      path: '/signin',
      name: 'signin',
      panels: [
        'panel-signin-headlines',
        'panel-signin-device-classes',
        'panel-signin-share-series',
        'panel-signin-table',
        'panel-fallbacks',
        'panel-fallback-cohort',
        'panel-coverage',
      ],
      stats: ['signin-holders-success', 'signin-passkey-share', 'cohort-size'],
    },
  ];

  for (const spec of pages) {
    it(`${spec.name}: every panel renders with numbers and no error state`, async () => {
      const dashboard = await newPage();
      await dashboard.open(`${spec.path}?${windowQuery}`);
      const states = await dashboard.panelStates();
      expect(await dashboard.errorMessages()).toEqual([]);
      for (const panel of spec.panels) expect(states[panel], panel).toBe('ready');
      for (const stat of spec.stats) {
        const raw = await dashboard.statRaw(stat);
        expect(raw, stat).not.toBe('');
        expect(Number.isFinite(Number(raw)), stat).toBe(true);
        expect(await dashboard.statText(stat)).toMatch(/\d/);
      }
      // Let the charts lay out before the screenshot.
      await dashboard.page.waitForTimeout(300);
      await dashboard.screenshot(path.join(SCREENSHOTS, `core-${spec.name}.png`));
      await dashboard.page.close();
    });
  }

  it('the numbers on screen are the API’s for the same URL params', async () => {
    const overview = await api<OverviewResponse>(`/api/v1/overview?${windowQuery}`);
    const dashboard = await newPage();
    await dashboard.open(`/?${windowQuery}`);
    expect(await dashboard.statRaw('headline-active-users')).toBe(String(overview.activeUsers));
    expect(await dashboard.statText('headline-active-users')).toBe(formatCount(overview.activeUsers));
    expect(await dashboard.statText('headline-holders')).toBe(formatCount(overview.holders));
    expect(await dashboard.statText('headline-passkey-share')).toBe(formatPercent(overview.passkeySignInShare));
    expect(await dashboard.statText('headline-multi-device')).toBe(formatPercent(overview.multiDeviceCoverage));
    expect(await dashboard.statText('headline-upsell-acceptance')).toBe(formatPercent(overview.upsell.acceptanceRate));
    await dashboard.page.close();

    const signin = await api<SigninResponse>(`/api/v1/signin?${windowQuery}`);
    const cohort = await api<FallbackCohortResponse>(`/api/v1/cohorts/fallback?${windowQuery}`);
    const signinPage = await newPage();
    await signinPage.open(`/signin?${windowQuery}`);
    expect(await signinPage.statText('signin-holders-success')).toBe(formatPercent(signin.holdersSuccessRate));
    expect(await signinPage.statText('signin-passkey-share')).toBe(formatPercent(signin.passkeySignInShare));
    expect(await signinPage.statText('cohort-size')).toBe(formatCount(cohort.cohortSize));
    for (const reason of cohort.reasons) {
      const row = signinPage.page.locator(`[data-testid="table-fallback-cohort"] tr[data-row="${reason.reason}"]`);
      expect(await row.locator('td[data-column="users"]').innerText()).toBe(formatCount(reason.users));
    }
    await signinPage.page.close();
  });

  it('a filter change updates the URL and the numbers; back restores both', async () => {
    const all = await api<OverviewResponse>(`/api/v1/overview?${windowQuery}`);
    const ios = await api<OverviewResponse>(`/api/v1/overview?${windowQuery}&deviceClass=mobile-ios`);
    expect(ios.activeUsers).not.toBe(all.activeUsers);

    const dashboard = await newPage();
    await dashboard.open(`/?${windowQuery}`);
    const before = await dashboard.statRaw('headline-active-users');
    expect(before).toBe(String(all.activeUsers));

    await dashboard.chooseFilterOption('deviceClass', 'mobile-ios');
    await dashboard.page.waitForURL((url) => url.searchParams.get('deviceClass') === 'mobile-ios');
    await dashboard.waitForStatChange('headline-active-users', before);
    await dashboard.waitForPanels();
    expect(await dashboard.statRaw('headline-active-users')).toBe(String(ios.activeUsers));
    expect(await dashboard.statText('headline-passkey-share')).toBe(formatPercent(ios.passkeySignInShare));
    // The window survives the filter change.
    const url = new URL(dashboard.page.url());
    expect([url.searchParams.get('from'), url.searchParams.get('to')]).toEqual([from, to]);

    await dashboard.page.goBack();
    await dashboard.page.waitForURL((next) => !next.searchParams.has('deviceClass'));
    await dashboard.waitForStatChange('headline-active-users', String(ios.activeUsers));
    expect(await dashboard.statRaw('headline-active-users')).toBe(String(all.activeUsers));
    await dashboard.page.close();
  });

  it('the registration groupBy switch lives in the URL and shows the API’s rows', async () => {
    const byOs = await api<RegistrationResponse>(`/api/v1/registration?${windowQuery}&groupBy=os`);
    const dashboard = await newPage();
    await dashboard.open(`/registration?${windowQuery}`);
    await dashboard.page.locator('[data-testid="group-by"] button[data-value="os"]').click();
    await dashboard.page.waitForURL((url) => url.searchParams.get('groupBy') === 'os');
    const table = dashboard.page.locator('[data-testid="table-registration-groups"]');
    await table.locator('th button[data-column="key"]', { hasText: 'OS' }).waitFor();
    for (const row of byOs.rows) {
      const cells = table.locator(`tr[data-row="${row.key}"]`);
      expect(await cells.locator('td[data-column="ceremonies"]').innerText()).toBe(formatCount(row.ceremonies));
      expect(await cells.locator('td[data-column="cancellations"]').innerText()).toBe(formatCount(row.cancellations));
      expect(await cells.locator('td[data-column="successRate"]').innerText()).toBe(formatPercent(row.successRate));
    }
    // Sorting is keyboard-accessible: the header is a button and aria-sort follows it.
    const header = table.locator('th', { has: dashboard.page.locator('button[data-column="successRate"]') });
    await header.locator('button').focus();
    await dashboard.page.keyboard.press('Enter');
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    await dashboard.page.close();
  });

  it('the fallback cohort’s CSV export downloads a CSV with a header line', async () => {
    const cohort = await api<FallbackCohortResponse>(`/api/v1/cohorts/fallback?${windowQuery}`);
    const reason = cohort.reasons.find((row) => row.users > 0);
    expect(reason).toBeDefined();
    const dashboard = await newPage();
    await dashboard.open(`/signin?${windowQuery}`);
    const [download] = await Promise.all([
      dashboard.page.waitForEvent('download'),
      dashboard.page.locator(`a[data-export="${reason?.reason}"]`).click(),
    ]);
    const file = await download.path();
    const text = fs.readFileSync(file, 'utf8');
    const lines = text.trim().split(/\r?\n/);
    expect(lines[0]).toBe('user_id,reason,sign_ins,last_sign_in_at,methods');
    expect(lines.length - 1).toBe(reason?.users);
    await dashboard.page.close();
  });
});
