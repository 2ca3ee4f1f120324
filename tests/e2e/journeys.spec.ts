/**
 * The Journeys page in Debian's Chromium, on the scenario of tests/fixtures/journey-scenario.ts: the
 * flow diagram, the top paths, the flows behind a link (each linking to Lookup), the time to sign
 * in, the upsell by exposure and the kind switch.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { JOURNEY_END_STATES } from '@/lib/domain/journeys';
import { buildJourneyScenario } from '../fixtures/journey-scenario';
import { launchChromium, withPage } from '../helpers/chromium';
import { getJson, otlpJson, postLogs } from '../helpers/otlp';

const baseUrl = inject('baseUrl');
const scenario = buildJourneyScenario();
const { signIn } = scenario.expected;
const windowQuery = `from=${encodeURIComponent(scenario.from)}&to=${encodeURIComponent(scenario.to)}&service=${scenario.service}`;
let browser: Browser;

/** A diagram node id as the API gives it: `<depth>:<state>`, or `end:<state>` for an end state. */
const nodeId = (depth: number, state: string) =>
  (JOURNEY_END_STATES as readonly string[]).includes(state) ? `end:${state}` : `${depth}:${state}`;
const linkKey = `${nodeId(signIn.link.depth, signIn.link.source)}>${nodeId(signIn.link.depth + 1, signIn.link.target)}`;
const linkFlowIds = signIn.link.flows.map((name) => scenario.flowIds[name]!);

beforeAll(async () => {
  const response = await postLogs(baseUrl, JSON.stringify(otlpJson([...scenario.records], { 'service.name': scenario.service })), {
    authorization: `Bearer ${inject('ingestToken')}`,
    'content-type': 'application/json',
  });
  expect(response.status).toBe(200);
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const [journeys, upsell] = await Promise.all([
      getJson<{ flows?: number }>(baseUrl, `/api/v1/journeys?kind=sign_in&${windowQuery}`),
      getJson<{ exposures?: Array<{ shown: number }> }>(baseUrl, `/api/v1/journeys/upsell?${windowQuery}`),
    ]);
    if (journeys.body.flows === signIn.flows && upsell.body.exposures?.[0]?.shown === scenario.expected.upsell[0]![0]) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

/** The flow ids the link-flows panel lists, in order (none while it loads). */
async function listedFlows(page: Page): Promise<string[]> {
  return page
    .locator('[data-panel="journey-link-flows"][data-state="ready"] [data-testid="journey-link-flows-table"] tbody tr[data-row]')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-row') ?? ''));
}

async function expectLinkFlows(page: Page) {
  await expect.poll(() => listedFlows(page), { timeout: 30_000 }).toEqual(linkFlowIds);
  const hrefs = await page
    .locator('[data-panel="journey-link-flows"] a[data-flow]')
    .evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
  expect(hrefs).toHaveLength(linkFlowIds.length);
  hrefs.forEach((href, i) => {
    expect(href.startsWith('/lookup?')).toBe(true);
    expect(new URLSearchParams(href.slice('/lookup?'.length)).get('flowId')).toBe(linkFlowIds[i]);
  });
}

describe('the Journeys page', () => {
  it('draws the flows, lists the top paths and the flows behind a clicked link', async () => {
    await withPage(
      browser,
      async (page) => {
        await page.goto(`${baseUrl}/journeys?${windowQuery}`);

        // The diagram: Recharts' Sankey links, one per link of the response.
        const links = page.locator('[data-panel="journey-flow-panel"] path.recharts-sankey-link[data-testid="journey-link"]');
        await links.first().waitFor({ timeout: 60_000 });
        expect(await links.count()).toBeGreaterThan(0);
        expect(await page.locator(`[data-panel="journey-flow-panel"] [data-testid="journey-link"][data-link="${linkKey}"]`).count()).toBe(
          1,
        );

        // The top paths: every path of the scenario, most flows first, with its flow count.
        const rows = page.locator('[data-testid="journey-paths"] tbody tr[data-row]');
        const rowKeys = () => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-row') ?? ''));
        expect(await rowKeys()).toEqual(signIn.paths.map(([path]) => path.join('>')));
        const [topPath, topFlows] = signIn.paths[0]!;
        const top = page.locator(`[data-testid="journey-paths"] tr[data-row="${topPath.join('>')}"]`);
        expect(await top.locator('td[data-column="flows"]').getAttribute('data-value')).toBe(String(topFlows));
        expect((await top.locator('td[data-column="flows"]').innerText()).trim()).toBe(String(topFlows));
        expect((await top.locator('td[data-column="path"]').innerText()).split('→').length).toBe(topPath.length);
        await expect
          .poll(() => page.locator('[data-testid="journey-paths-note"]').innerText())
          .toContain(`${signIn.inProgress} sign-in flow`);

        // The end states and the time to sign in (every device class first).
        for (const [state, flows] of Object.entries(signIn.endStates)) {
          expect(
            await page
              .locator(`[data-testid="journey-end-states"] tr[data-row="${state}"] td[data-column="flows"]`)
              .getAttribute('data-value'),
          ).toBe(String(flows));
        }
        const timeRows = await page
          .locator('[data-testid="time-to-sign-in"] tbody tr[data-row]')
          .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-row') ?? ''));
        const expectedTimes = signIn.timeToSignIn.map(([method, deviceClass]) => `${method}|${deviceClass ?? 'all'}`);
        expect(timeRows).toEqual(expectedTimes);
        const passkeyAll = page.locator('[data-testid="time-to-sign-in"] tr[data-row="passkey|all"]');
        const [, , , , passkeyMedian] = signIn.timeToSignIn.find(([method, deviceClass]) => method === 'passkey' && deviceClass === null)!;
        expect(await passkeyAll.locator('td[data-column="medianMs"]').getAttribute('data-value')).toBe(String(passkeyMedian));

        // The upsell by exposure: shown per exposure bucket.
        const shown = () =>
          page
            .locator('[data-testid="upsell-exposures"] tbody td[data-column="shown"]')
            .evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-value'))));
        await expect.poll(shown, { timeout: 30_000 }).toEqual(scenario.expected.upsell.map(([count]) => count));

        // A click on the diagram's link lists exactly the flows behind it, each linking to Lookup.
        await expect.poll(() => page.locator('[data-panel="journey-link-flows"]').getAttribute('data-state')).toBe('empty');
        await page.locator(`[data-testid="journey-link"][data-link="${linkKey}"]`).click();
        await expectLinkFlows(page);
        expect(await page.locator(`[data-testid="journey-link"][data-link="${linkKey}"]`).getAttribute('data-selected')).toBe('true');

        // Another link through the keyboard list, then back to the first one.
        const other = page.locator('[data-testid="journey-link-button"][data-link^="0:password_form>"]').first();
        await other.click();
        await expect.poll(() => other.getAttribute('aria-pressed')).toBe('true');
        await expect.poll(() => listedFlows(page), { timeout: 30_000 }).not.toEqual(linkFlowIds);
        const button = page.locator(`[data-testid="journey-link-button"][data-link="${linkKey}"]`);
        await button.focus();
        await page.keyboard.press('Enter');
        await expect.poll(() => button.getAttribute('aria-pressed')).toBe('true');
        await expectLinkFlows(page);

        // The kind switch: registration paths, and no time to sign in.
        await page.locator('[data-testid="journey-kind"] button[data-value="registration"]').click();
        await expect.poll(() => page.url()).toContain('kind=registration');
        await expect
          .poll(() => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-row') ?? '')), { timeout: 30_000 })
          .toEqual(scenario.expected.registration.map(([path]) => path.join('>')));
        expect(await page.locator('[data-testid="time-to-sign-in"]').count()).toBe(0);
        expect(await page.locator('[data-panel="journey-link-flows"]').getAttribute('data-state')).toBe('empty');
      },
      { width: 1440, height: 1200 },
    );
  }, 180_000);
});
