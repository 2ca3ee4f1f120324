/**
 * The Stage gates page's history chart, segment switch and past evaluation in Debian's Chromium,
 * over the hand-built population (tests/helpers/stage-gates-population.ts) in a private app whose
 * history pass fills the stored daily evaluations. The page must show exactly what the API says:
 * each day's verdict cell, a chart per criterion with a point per evaluated day, the segment
 * headline ("Not ready overall, failing on desktop-macos") and table, the note of a past
 * evaluation, the links and exports of an evaluation, and a decision's evidence in the log.
 * Screenshot: test-results/e2e/stages-history.png.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { segmentHeadline } from '@/components/stages/prepare-segments';
import type { StageHistoryResponse } from '@/lib/contracts/stage-history';
import type { StagesResponse } from '@/lib/contracts/stages';
import { launchChromium, withPage } from '../helpers/chromium';
import { isolatedApp } from '../helpers/isolated-app';
import { buildStageGatesPopulation, ingestPopulation } from '../helpers/stage-gates-population';

const DAY = 86_400_000;
const SCREENSHOT = path.join(process.cwd(), 'test-results', 'e2e', 'stages-history.png');
const app = isolatedApp();
const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stage-history-e2e-'));
const configFile = path.join(configDir, 'rollout.json');
const defaultConfig = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../config/rollout.default.json'), 'utf8')) as Record<
  string,
  unknown
>;
let browser: Browser;

async function api<T>(url: string): Promise<T> {
  const response = await fetch(`${app.baseUrl}${url}`);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

beforeAll(async () => {
  fs.writeFileSync(
    configFile,
    JSON.stringify({ ...defaultConfig, currentStage: 3, stageEnteredAt: new Date(Date.now() - 90 * DAY).toISOString() }),
  );
  await app.start({ ROLLOUT_CONFIG: configFile, GATE_HISTORY: 'on' });
  await ingestPopulation(app.baseUrl, app.token, buildStageGatesPopulation(Date.now()).records);
  // Wait until the pass has evaluated the last few days with the population in them.
  const deadline = Date.now() + 240_000;
  for (;;) {
    const history = await api<StageHistoryResponse>('/api/v1/stages/history?days=5');
    if (history.transitions[0]!.days.filter((day) => day.state === 'evaluated').length >= 4) break;
    if (Date.now() > deadline) throw new Error(`history not filled: ${JSON.stringify(history.counts)}`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  browser = await launchChromium();
}, 400_000);

afterAll(async () => {
  await browser?.close();
  await app.stop();
  fs.rmSync(configDir, { recursive: true, force: true });
});

describe('the Stage gates page: history, segments, a past evaluation, decision evidence', () => {
  it('draws each gate’s verdict per day and each criterion’s daily value exactly as stored', async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${app.baseUrl}/stages`);
      const panel = page.locator('[data-panel="gate-history"]');
      await panel.locator('[data-history="1-2"]').waitFor({ timeout: 110_000 });
      const history = await api<StageHistoryResponse>('/api/v1/stages/history?days=90');
      for (const transition of history.transitions) {
        const section = panel.locator(`[data-history="${transition.from}-${transition.to}"]`);
        const cells = await section
          .locator('li[data-day]')
          .evaluateAll((items) => items.map((item) => [item.getAttribute('data-day'), item.getAttribute('data-verdict')]));
        // The page may have read the history a moment before: compare the days both consider evaluated.
        expect(cells).toHaveLength(90);
        const shown = new Map(cells.map(([day, verdict]) => [day, verdict]));
        const evaluated = transition.days.filter((day) => day.state === 'evaluated');
        expect(evaluated.length).toBeGreaterThanOrEqual(4);
        for (const day of evaluated.slice(-4)) expect(shown.get(day.day), day.day).toBe(day.verdict);
        // Days without a stored evaluation are drawn without a verdict (the page read no later than the API).
        const blank = cells.filter(([, verdict]) => verdict === 'none').length;
        expect(blank).toBeGreaterThanOrEqual(transition.days.filter((entry) => entry.state === 'not_evaluated').length);
        expect(blank).toBeGreaterThan(0);
        // One chart per criterion, drawn (an SVG) with its evaluated days as points.
        for (const criterion of transition.criteria) {
          const chart = section.locator(`figure[data-criterion="${criterion.id}"]`);
          await chart.locator('svg.recharts-surface').first().waitFor();
          expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThanOrEqual(
            evaluated.slice(-4).filter((day) => day.criteria.find((point) => point.id === criterion.id)?.value !== null).length,
          );
        }
      }
      fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    });
  });

  it('switches to device classes: "not ready overall, failing on desktop-macos" at a glance, each value as the API judges it', async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${app.baseUrl}/stages`);
      const panel = page.locator('[data-panel="gate-segments"]');
      await panel.getByRole('button', { name: 'Device class' }).click();
      await page.waitForURL(/segment=deviceClass/);
      const headline = panel.locator('[data-segment-transition="4-5"] [data-field="segment-headline"]');
      await headline.waitFor({ timeout: 110_000 });
      expect(await headline.innerText()).toBe('Not ready overall, failing on desktop-macos');

      const apiSegments = await api<StagesResponse>('/api/v1/stages?trend=0&segment=deviceClass');
      for (const summary of apiSegments.segments!.summaries) {
        const section = panel.locator(`[data-segment-transition="${summary.from}-${summary.to}"]`);
        expect(await section.locator('[data-field="segment-headline"]').innerText()).toBe(segmentHeadline(summary));
        for (const value of apiSegments.segments!.values) {
          const judged = value.transitions.find((transition) => transition.from === summary.from)!;
          const row = section.locator(`tr[data-segment="${value.value}"]`);
          expect(await row.locator('[data-field="verdict"]').getAttribute('data-verdict')).toBe(judged.verdict);
          for (const criterion of judged.criteria) {
            expect(await row.locator(`td[data-criterion="${criterion.id}"]`).getAttribute('data-status')).toBe(
              criterion.applies ? criterion.status : 'not_applicable',
            );
          }
        }
      }
      // The overall gate keeps its verdict.
      expect(await page.locator('[data-panel="gate-4-5"] [data-field="verdict"]').getAttribute('data-verdict')).toBe(
        apiSegments.transitions.find((transition) => transition.from === 4)!.verdict,
      );
    });
  });

  it('opens a past evaluation from the date picker, says it uses the configuration in force now, and a link reopens it', async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${app.baseUrl}/stages`);
      await page.locator('[data-panel="gate-1-2"]').waitFor({ timeout: 110_000 });
      const day = new Date(Date.now() - 3 * DAY).toISOString().slice(0, 10);
      const to = new Date(Date.parse(`${day}T00:00:00Z`) + DAY).toISOString();
      await page.getByLabel('Evaluate as of the end of (UTC)').fill(day);
      await page.waitForURL((url) => url.searchParams.get('to') === to);
      const note = page.locator('[data-testid="past-evaluation-note"]');
      await note.waitFor({ timeout: 110_000 });
      expect(await note.innerText()).toContain('configuration in force now');
      await expect.poll(() => page.locator('[data-field="evaluated"]').getAttribute('data-evaluated-at')).toBe(to);

      // The URL is the link: a fresh page opens the same evaluation, with the same verdicts as the API.
      const link = page.url();
      const past = await api<StagesResponse>(`/api/v1/stages?to=${encodeURIComponent(to)}&trend=0`);
      await withPage(browser, async (other) => {
        await other.goto(link);
        await other.locator('[data-testid="past-evaluation-note"]').waitFor({ timeout: 110_000 });
        for (const transition of past.transitions) {
          expect(
            await other
              .locator(`[data-panel="gate-${transition.from}-${transition.to}"] [data-field="verdict"]`)
              .getAttribute('data-verdict'),
          ).toBe(transition.verdict);
        }
      });
    });
  });
  it('records a decision with the evaluation shown; the log opens that evidence; the header links and exports it', async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${app.baseUrl}/stages`);
      await page.locator('[data-panel="gate-1-2"]').waitFor({ timeout: 110_000 });
      const evaluatedAt = (await page.locator('[data-field="evaluated"]').getAttribute('data-evaluated-at'))!;
      const links = page.locator('[data-testid="evaluation-links"]');
      expect(await links.getByRole('link', { name: 'Link to this evaluation' }).getAttribute('href')).toBe(
        `/stages?to=${encodeURIComponent(evaluatedAt)}`,
      );
      expect(await links.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toBe(
        `/api/v1/stages?trend=0&to=${encodeURIComponent(evaluatedAt)}&format=csv`,
      );

      const form = page.locator('[data-panel="decision-form"]');
      const reason = `Hold: the fallback-reliant holders come first (e2e ${Date.now()}).`;
      await form.getByLabel('Hold', { exact: true }).check();
      await form.getByLabel('Who decides').fill('Priya Raman (product)');
      await form.getByLabel('Why').fill(reason);
      // The evaluation shown when the decision is recorded: the page's minute may have moved on
      // since it was read above (the current evaluation is measured again each minute).
      const posted = page.waitForRequest((request) => request.method() === 'POST' && request.url().includes('/api/v1/stages/decisions'));
      await form.getByRole('button', { name: 'Record decision' }).click();
      const recordedWith = ((await posted).postDataJSON() as { evaluatedAt: string }).evaluatedAt;
      expect(Date.parse(recordedWith)).toBeGreaterThanOrEqual(Date.parse(evaluatedAt));
      await form.getByRole('status').waitFor({ timeout: 60_000 });

      // The log shows the decision at once, from the POST's answer (the evaluation a new decision
      // makes anew follows later).
      const log = page.locator('[data-panel="decision-log"]');
      await log.getByText(reason).waitFor({ timeout: 15_000 });
      const row = log.locator('tbody tr').first();
      await row.getByText('Evidence shown').click();
      const evidence = row.locator('[data-testid="decision-snapshot"]');
      await evidence.waitFor({ timeout: 60_000 });
      expect(await evidence.getAttribute('data-evaluated-at')).toBe(recordedWith);

      // The evidence is the evaluation the page showed, criterion by criterion.
      const shown = await api<StagesResponse>(`/api/v1/stages?trend=0&to=${encodeURIComponent(recordedWith)}`);
      for (const transition of shown.transitions) {
        for (const criterion of transition.criteria) {
          expect(await evidence.locator(`tr[data-snapshot-criterion="${criterion.id}"]`).getAttribute('data-status')).toBe(
            criterion.status,
          );
        }
      }
    });
  }, 300_000);
});
