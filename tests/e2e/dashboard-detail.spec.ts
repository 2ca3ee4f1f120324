/**
 * The detail pages end to end — Recovery & support, Failures, Security and Lookup — against the
 * real app (the e2e project's shared server) with a small population ingested through /v1/logs in
 * the last few days, driven by Debian's Chromium. Numbers on screen are compared with the API's.
 * Screenshots: test-results/e2e/detail-*.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Browser, type BrowserContext } from 'playwright-core';
import { formatCount, formatDecimal, formatPercent } from '@/components/kit/format';
import type { FailuresResponse } from '@/lib/contracts/failures';
import type { RecoveryResponse } from '@/lib/contracts/recovery';
import type { SecurityResponse } from '@/lib/contracts/security';
import type { SupportDriversResponse } from '@/lib/contracts/support';
import { getJson, waitForEvents } from '../helpers/otlp';
import { detailPopulation, ingestPopulation, type DetailPopulation } from './pages/dashboard-detail-population';
import { DetailPage } from './pages/dashboard-detail-page';
import { launchChromium } from '../helpers/chromium';

const SHOTS = path.join(process.cwd(), 'test-results', 'e2e');
const DAY_MS = 86_400_000;

const baseUrl = inject('baseUrl');
let browser: Browser;
let context: BrowserContext;
let population: DetailPopulation;
// One fixed window for page and API, so both answer for exactly the same [from, to).
const to = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 60 * 60_000).toISOString();
const from = new Date(Date.parse(to) - 7 * DAY_MS).toISOString();
const windowQuery = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

async function api<T>(pathAndQuery: string): Promise<T> {
  const { status, body } = await getJson<T>(baseUrl, pathAndQuery);
  expect(status).toBe(200);
  return body;
}

async function openPage(path: string, heading: string): Promise<DetailPage> {
  const page = new DetailPage(await context.newPage(), baseUrl);
  await page.open(path, heading);
  return page;
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  population = detailPopulation();
  await ingestPopulation(baseUrl, inject('ingestToken'), population);
  const events = await waitForEvents(baseUrl, `userId=${population.holder}`, 9, 20_000);
  expect(events.events.length).toBe(9);
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
}, 300_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
});

describe('the detail pages', () => {
  it('Recovery & support shows the API recovery load, completion, phishable share and ticket drivers', async () => {
    const page = await openPage(`/recovery?${windowQuery}`, 'Recovery & support');
    for (const panel of ['recovery-headline', 'recovery-series', 'recovery-methods', 'recovery-phishable', 'ticket-drivers']) {
      expect(await page.settled(panel)).toBe('ready');
    }
    expect(await page.errorCount()).toBe(0);
    const recovery = await api<RecoveryResponse>(`/api/v1/recovery?${windowQuery}&interval=day`);
    expect(recovery.started).toBeGreaterThanOrEqual(2);
    const value = (id: string) => page.page.locator(`[data-testid="${id}"] [data-field="value"]`).innerText();
    expect(await value('stat-recovery-load')).toBe(formatDecimal(recovery.recoveryLoad));
    expect(await value('stat-recovery-started')).toBe(formatCount(recovery.started));
    expect(await value('stat-recovery-completion')).toBe(formatPercent(recovery.completionRate));
    expect(await value('stat-phishable-share')).toBe(formatPercent(recovery.phishable.phishableShare));
    expect(await page.page.locator('[data-testid="recovery-methods-table"] tbody tr').count()).toBe(recovery.byMethod.length);
    // Charts load lazily (components/kit/charts/lazy-chart.tsx): wait for the drawing.
    await page.panel('recovery-series').locator('.recharts-surface').first().waitFor({ timeout: 30_000 });

    const drivers = await api<SupportDriversResponse>(`/api/v1/support/drivers?${windowQuery}`);
    const driver = drivers.drivers.find((row) => row.driver === 'authentication:user_not_verified')!;
    expect(driver.tickets).toBeGreaterThanOrEqual(1);
    const row = page.page.locator(`[data-testid="ticket-drivers-table"] tr[data-row="${driver.driver}"]`);
    expect(await row.locator('td[data-column="tickets"]').innerText()).toBe(formatCount(driver.tickets));
    expect(await row.locator('td[data-column="usersAffected"]').innerText()).toBe(formatCount(driver.usersAffected));
    expect(await page.panel('ticket-drivers').locator('[data-field="tickets"]').innerText()).toBe(formatCount(drivers.tickets));

    // The tickets behind the driver, with a link to the failed ceremony in Lookup.
    await row.locator('[data-action="expand-driver"]').click();
    const ticketRow = page.page.locator(`[data-testid="driver-tickets-table"] tr[data-row="${population.ticketId}"]`);
    await ticketRow.waitFor({ timeout: 60_000 });
    expect(await ticketRow.locator('a[data-link="ceremony"]').getAttribute('href')).toBe(`/lookup?ceremonyId=${population.failedCeremony}`);

    // The interval switch puts the interval in the URL and redraws the series.
    await page.page.locator('[data-testid="interval-switch"] button[data-value="hour"]').click();
    await page.page.waitForURL(/interval=hour/);
    expect(await page.settled('recovery-series')).toBe('ready');
    await page.screenshot(path.join(SHOTS, 'detail-recovery.png'));
  });

  it('Failures shows the Pareto with cancels apart, groups by two dimensions and drills down to a ceremony in Lookup', async () => {
    const page = await openPage(`/failures?${windowQuery}`, 'Failures');
    for (const panel of ['failures-headline', 'failures-pareto', 'failures-groups']) expect(await page.settled(panel)).toBe('ready');
    expect(await page.errorCount()).toBe(0);
    const failures = await api<FailuresResponse>(`/api/v1/failures?${windowQuery}&groupBy=reason&pageSize=1`);
    expect(failures.cancellations).toBeGreaterThanOrEqual(1);
    const value = (id: string) => page.page.locator(`[data-testid="${id}"] [data-field="value"]`).innerText();
    expect(await value('stat-failed-ceremonies')).toBe(formatCount(failures.ceremonies));
    expect(await value('stat-failures')).toBe(formatCount(failures.failures));
    expect(await value('stat-cancellations')).toBe(formatCount(failures.cancellations));
    const group = failures.groups.find((g) => g.values.reason === 'user_not_verified')!;
    const row = page.page.locator(`[data-testid="failure-groups-table"] tr[data-row="reason=user_not_verified"]`);
    expect(await row.locator('td[data-column="ceremonies"]').innerText()).toBe(formatCount(group.ceremonies));
    expect(await row.locator('td[data-column="cumulativeShare"]').innerText()).toBe(formatPercent(group.cumulativeShare));
    // Charts load lazily (components/kit/charts/lazy-chart.tsx): wait for the drawing.
    await page.panel('failures-pareto').locator('.recharts-surface').first().waitFor({ timeout: 30_000 });

    // reason + device class as a table, from the URL.
    await page.page.locator('[data-testid="group-by"] button[data-value="deviceClass"]').click();
    await page.page.waitForURL(/groupBy=reason%2CdeviceClass|groupBy=reason,deviceClass/);
    const combined = page.page.locator(
      '[data-testid="failure-groups-table"] tr[data-row="reason=user_not_verified|deviceClass=mobile-ios"]',
    );
    await combined.waitFor({ timeout: 60_000 });
    const byTwo = await api<FailuresResponse>(`/api/v1/failures?${windowQuery}&groupBy=reason,deviceClass&pageSize=1`);
    const twoGroup = byTwo.groups.find((g) => g.values.reason === 'user_not_verified' && g.values.deviceClass === 'mobile-ios')!;
    expect(await combined.locator('td[data-column="ceremonies"]').innerText()).toBe(formatCount(twoGroup.ceremonies));

    // Drill down to the group's ceremonies; the ceremony links to Lookup.
    await combined.locator('[data-action="drill"]').click();
    const ceremonyLink = page.page.locator(
      `[data-testid="failed-ceremonies-table"] tr[data-row="${population.failedCeremony}"] a[data-link="ceremony"]`,
    );
    await ceremonyLink.waitFor({ timeout: 60_000 });
    await page.screenshot(path.join(SHOTS, 'detail-failures.png'));
    await ceremonyLink.click();
    await page.page.waitForURL(`**/lookup?ceremonyId=${population.failedCeremony}`);
    expect(await page.settled('lookup-timeline-panel')).toBe('ready');
    const ceremony = page.page.locator(`[data-testid="lookup-timeline"] li[data-ceremony="${population.failedCeremony}"]`);
    expect(await ceremony.locator('[data-side="browser"]').count()).toBe(1);
    expect(await ceremony.locator('[data-side="server"]').count()).toBe(1);
    expect(await ceremony.innerText()).toContain('user_not_verified');
  });

  it('Security shows the signals, the origin mismatch and the phishable recovery followed by a new device', async () => {
    const page = await openPage(`/security?${windowQuery}`, 'Security');
    for (const panel of ['security-signals', 'security-origins', 'security-recovery-new-device'])
      expect(await page.settled(panel)).toBe('ready');
    expect(await page.errorCount()).toBe(0);
    const security = await api<SecurityResponse>(`/api/v1/security?${windowQuery}`);
    const signalRow = page.page.locator('[data-testid="security-signals-table"] tr[data-row="originMismatch"]');
    expect(await signalRow.locator('td[data-column="events"]').innerText()).toBe(formatCount(security.signals.originMismatch.events));
    expect(await signalRow.locator('td[data-column="users"]').innerText()).toBe(formatCount(security.signals.originMismatch.users));
    const origin = `https://evil-${population.attacker.split('_').pop()}.example`;
    expect(
      await page.page.locator(`[data-testid="security-origins-table"] tr[data-row="${origin}"] td[data-column="events"]`).innerText(),
    ).toBe('1');
    const flagged = page.panel('security-recovery-new-device');
    expect(await flagged.locator('[data-field="recoveries"]').innerText()).toBe(
      formatCount(security.phishableRecoveryNewDevice.recoveries),
    );
    expect(await flagged.innerText()).toContain(population.holder);
    await signalRow.locator('[data-action="show-signal"]').click();
    await page.page.locator('[data-testid="signal-events-table"]').waitFor();
    expect(await page.page.locator('[data-testid="signal-events-table"]').innerText()).toContain(population.attacker);
    await page.screenshot(path.join(SHOTS, 'detail-security.png'));
  });

  it('Lookup finds a credential by id with its events and state, and says so when nothing matches', async () => {
    const page = await openPage('/lookup', 'Lookup');
    await page.page.getByLabel('Subject type').selectOption('credentialId');
    await page.page.getByLabel('Subject id').fill(population.holderCredential);
    await page.page.getByRole('button', { name: 'Look up' }).click();
    await page.page.waitForURL(`**/lookup?credentialId=${population.holderCredential}`);
    expect(await page.settled('lookup-timeline-panel')).toBe('ready');
    expect(await page.settled('lookup-credentials')).toBe('ready');
    expect(await page.errorCount()).toBe(0);
    const body = await api<{ events: Array<{ eventName: string }> }>(`/api/v1/events?credentialId=${population.holderCredential}`);
    expect(await page.page.locator('[data-testid="lookup-timeline"] li[data-event]').count()).toBe(body.events.length);
    const credential = page.page.locator(`[data-testid="lookup-credentials-table"] tr[data-row="${population.holderCredential}"]`);
    expect(await credential.locator('td[data-column="state"]').innerText()).toBe('live');
    expect(await credential.locator('td[data-column="deviceClass"]').innerText()).toBe('mobile-ios');
    await page.screenshot(path.join(SHOTS, 'detail-lookup.png'));

    await page.open('/lookup?credentialId=no-such-credential', 'Lookup');
    expect(await page.settled('lookup-timeline-panel')).toBe('empty');
    expect(await page.panel('lookup-timeline-panel').innerText()).toContain(
      'No events for credential id no-such-credential in the last 400 days',
    );
  });
});
