/**
 * The Stage gates page end to end: a small demo population (the simulator, streamed through the
 * real OTLP endpoint) in the e2e project's shared app, Debian's Chromium on /stages. The page must
 * show exactly the verdicts, statuses and values the API reports, and record a decision that then
 * appears in the log. Screenshot: test-results/e2e/stages.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { formatThreshold, formatValue, STATUS_LABEL, VERDICT_LABEL } from '@/components/stages/prepare';
import type { StagesResponse } from '@/lib/contracts/stages';
import { runDemo } from '@/scripts/demo';
import { launchChromium } from '../helpers/chromium';

const SCREENSHOT = path.join(process.cwd(), 'test-results', 'e2e', 'stages.png');

const baseUrl = inject('baseUrl');
let browser: Browser;

/** The Stage gates page as the tests use it. */
class StageGatesPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto(`${baseUrl}/stages`);
    await this.page.getByRole('heading', { name: 'Stage gates', level: 1 }).waitFor();
    await this.page.locator('[data-panel^="gate-"]').first().waitFor({ timeout: 110_000 });
  }

  /** The instant every window of the shown evaluation ends (ISO-8601). */
  async evaluatedAt(): Promise<string> {
    const value = await this.page.locator('[data-field="evaluated"]').getAttribute('data-evaluated-at');
    if (!value) throw new Error('the page shows no evaluation time');
    return value;
  }

  transition(from: number) {
    return this.page.locator(`[data-panel="gate-${from}-${from + 1}"]`);
  }

  async verdictOf(from: number): Promise<{ attribute: string | null; text: string }> {
    const verdict = this.transition(from).locator('[data-field="verdict"]');
    return { attribute: await verdict.getAttribute('data-verdict'), text: (await verdict.innerText()).trim() };
  }

  /** Waits until the full evaluation (with the trend) has replaced the quick one. */
  async waitForTrends(): Promise<void> {
    await this.page.waitForFunction(() => !document.body.innerText.includes('loading trend…'), undefined, { timeout: 110_000 });
  }

  async recordDecision(action: 'Hold' | 'Advance' | 'Roll back', actor: string, reason: string): Promise<void> {
    const form = this.page.locator('[data-panel="decision-form"]');
    await form.getByLabel(action, { exact: true }).check();
    await form.getByLabel('Who decides').fill(actor);
    await form.getByLabel('Why').fill(reason);
    await form.getByRole('button', { name: 'Record decision' }).click();
    await form.getByRole('status').waitFor({ timeout: 60_000 });
  }
}

async function stagesFromApi(query = ''): Promise<StagesResponse> {
  const response = await fetch(`${baseUrl}/api/v1/stages${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as StagesResponse;
}

/** What the page shows of every transition (by `from`) and criterion (by id), with the minute its windows end at. */
async function readShown(stages: StageGatesPage) {
  const evaluatedAt = await stages.evaluatedAt();
  const transitions = new Map<number, { verdict: { attribute: string | null; text: string }; criteria: Map<string, ShownCriterion> }>();
  for (const panel of await stages.page.locator('[data-panel^="gate-"]').all()) {
    const name = /^gate-(\d+)-\d+$/.exec((await panel.getAttribute('data-panel')) ?? '');
    if (!name) continue;
    const from = Number(name[1]);
    const criteria = new Map<string, ShownCriterion>();
    for (const row of await panel.locator('tr[data-criterion]').all()) {
      criteria.set((await row.getAttribute('data-criterion'))!, {
        status: await row.getAttribute('data-status'),
        value: (await row.locator('[data-field="value"]').innerText()).trim(),
        threshold: (await row.locator('[data-field="threshold"]').innerText()).trim(),
        text: await row.innerText(),
      });
    }
    transitions.set(from, { verdict: await stages.verdictOf(from), criteria });
  }
  return { evaluatedAt, transitions };
}

interface ShownCriterion {
  status: string | null;
  value: string;
  threshold: string;
  text: string;
}

beforeAll(async () => {
  const summary = await runDemo({ endpoint: baseUrl, token: inject('ingestToken'), users: 300, days: 60, seed: 11, log: () => {} });
  expect(summary.failed).toBe(0);
  expect(summary.rejected).toBe(0);
  // Evaluate once (the trend's settled windows are then cached), as the page's first visitor would.
  await stagesFromApi('?trend=6');
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

describe('the Stage gates page', () => {
  it('shows the stages, every gate verdict and every criterion exactly as the API reports them', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    try {
      const stages = new StageGatesPage(await context.newPage());
      await stages.open();
      await stages.waitForTrends();
      // The page shows the server's current evaluation, which may be a kept one up to two minutes old
      // (docs/stage-gates.md, "How fresh"): compare it with the API's current evaluation of the same
      // minute — the answer the page was given —, reloading the page when the two name different
      // minutes. (Compared with a fresh measurement of the same windows, `?to=`, one criterion
      // differed once under CI load, 81.8 % against 88.6 %, on 2026-12-07; not reproduced since.)
      let shown = await readShown(stages);
      let api = await stagesFromApi('?trend=6');
      for (let attempt = 0; attempt < 3 && api.evaluatedAt !== shown.evaluatedAt; attempt++) {
        await stages.open();
        await stages.waitForTrends();
        shown = await readShown(stages);
        api = await stagesFromApi('?trend=6');
      }
      expect(api.evaluatedAt).toBe(shown.evaluatedAt);

      const current = stages.page.locator('li[aria-current="step"]');
      await expect.poll(() => current.innerText()).toContain(api.stages.find((stage) => stage.current)!.name);
      for (const transition of api.transitions) {
        const panel = shown.transitions.get(transition.from);
        expect(panel?.verdict).toEqual({ attribute: transition.verdict, text: VERDICT_LABEL[transition.verdict] });
        for (const criterion of transition.criteria) {
          const row = panel!.criteria.get(criterion.id);
          expect(row?.status, criterion.id).toBe(criterion.status);
          expect(row?.value, criterion.id).toBe(formatValue(criterion.value, criterion.unit, criterion.perUnit));
          expect(row?.threshold, criterion.id).toBe(formatThreshold(criterion));
          expect(row?.text, criterion.id).toContain(STATUS_LABEL[criterion.status]);
        }
      }
      // The picture is mixed: the demo's rollout is at an intermediate stage, not every gate is open.
      expect(new Set(api.transitions.map((transition) => transition.verdict)).size).toBeGreaterThan(1);

      const blast = stages.page.locator('[data-panel="blast-radius"]');
      expect(await blast.innerText()).toContain(`of ${api.blastRadius.holders.toLocaleString('en-US')} holders`);
      expect(await blast.getByRole('link', { name: /Export the at-risk users/ }).getAttribute('href')).toBe(
        '/api/v1/stages/blast-radius?format=csv',
      );
      // Sparklines are drawn where a criterion has observations in its windows.
      if (
        api.transitions.some((transition) => transition.criteria.some((criterion) => criterion.trend.some((point) => point.value !== null)))
      ) {
        // Charts load lazily (components/kit/charts/lazy-chart.tsx): wait for the drawing.
        await stages.page.locator('.recharts-surface').first().waitFor({ timeout: 30_000 });
      }
    } finally {
      await context.close();
    }
  });

  it('records a decision that then appears in the log', async () => {
    const before = await stagesFromApi('?trend=0');
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    try {
      const stages = new StageGatesPage(await context.newPage());
      await stages.open();
      const reason = `Holding at stage ${before.currentStage}: the fallback-reliant cohort gets targeted help first (e2e ${Date.now()}).`;
      await stages.recordDecision('Hold', 'Priya Raman (product)', reason);
      expect(await stages.page.locator('[data-panel="decision-form"]').getByRole('status').innerText()).toContain(
        `stage ${before.currentStage}`,
      );

      const log = stages.page.locator('[data-panel="decision-log"]');
      // At once: the page puts the POST's answer in the log before the evaluation is measured anew.
      await log.getByText(reason).waitFor({ timeout: 15_000 });
      const firstRow = log.locator('tbody tr').first();
      expect(await firstRow.innerText()).toContain('Priya Raman (product)');
      expect(await firstRow.innerText()).toContain('Hold');

      const after = await stagesFromApi('?trend=0');
      expect(after.currentStage).toBe(before.currentStage);
      expect(after.currentStageSource).toBe('decision_log');
      expect(after.decisions[0]).toMatchObject({ action: 'hold', fromStage: before.currentStage, toStage: before.currentStage, reason });

      await stages.waitForTrends();
      fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await stages.page.screenshot({ path: SCREENSHOT, fullPage: true });
    } finally {
      await context.close();
    }
  });
});
