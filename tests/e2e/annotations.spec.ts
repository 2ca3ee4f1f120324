/** Releases marked on the time charts, in Debian's Chromium: two versions of a new service, each first seen on a known day. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, withPage } from '../helpers/chromium';
import { getJson, otlpJson, postLogs, uid, type TestRecord } from '../helpers/otlp';

const baseUrl = inject('baseUrl');
const DAY = 86_400_000;
const now = Date.now();
const service = uid('release-svc');
const noon = (daysAgo: number) => Math.floor((now - daysAgo * DAY) / DAY) * DAY + 12 * 3_600_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
let browser: Browser;

const registration = (timeMs: number): TestRecord => ({
  eventName: 'passkey.registration',
  timeMs,
  attributes: {
    'user.id': uid('u'),
    'passkey.result': 'success',
    'webauthn.credential.id': uid('cred'),
    'webauthn.ceremony.id': uid('cer'),
    'device.class': 'mobile-ios',
  },
});

/** A password sign-in: the user counts as active and fallback-reliant, so the weekly cohort chart has bars. */
const passwordSignIn = (timeMs: number): TestRecord => ({
  eventName: 'auth.sign_in',
  timeMs,
  attributes: { 'user.id': uid('u'), 'auth.method': 'password', 'auth.result': 'success', 'device.class': 'desktop-windows' },
});

async function send(records: TestRecord[], version: string) {
  const response = await postLogs(baseUrl, JSON.stringify(otlpJson(records, { 'service.name': service, 'service.version': version })), {
    authorization: `Bearer ${inject('ingestToken')}`,
    'content-type': 'application/json',
  });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  await send([registration(noon(5)), registration(noon(3)), passwordSignIn(noon(3))], '1.0.0');
  await send([registration(noon(2)), registration(noon(1)), passwordSignIn(noon(1))], '1.1.0');
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { body } = await getJson<{ annotations: unknown[] }>(baseUrl, `/api/v1/annotations?service=${service}`);
    if (body.annotations?.length === 2) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('annotations on the time charts', () => {
  it('marks each release on the day it was first seen', async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${baseUrl}/registration?service=${service}&range=7d`);
      const marks = page.locator('.chart-annotation[data-kind="release"]');
      await marks.first().waitFor({ timeout: 60_000 });
      const seen = await marks.evaluateAll((nodes) =>
        nodes.map((node) => `${node.getAttribute('data-x')} ${node.querySelector('text')?.textContent ?? ''}`),
      );
      // the registration page draws two time charts: each carries both marks
      expect([...new Set(seen)].sort()).toEqual([`${dayOf(noon(5))} ${service} 1.0.0`, `${dayOf(noon(2))} ${service} 1.1.0`].sort());
    });
  }, 120_000);

  it('marks them on the fallback-reliant cohort by week and on the stage-gate history charts', async () => {
    const titles = (page: import('playwright-core').Page, within: string) =>
      page
        .locator(`${within} .chart-annotation`)
        .evaluateAll((nodes) => nodes.map((node) => node.querySelector('title')?.textContent ?? ''));
    await withPage(browser, async (page) => {
      await page.goto(`${baseUrl}/signin?service=${service}&range=28d`);
      const weekly = '[data-testid="panel-fallback-weekly"]';
      await page.locator(`${weekly} .chart-annotation`).first().waitFor({ timeout: 60_000 });
      const detail = (await titles(page, weekly)).join('\n');
      expect(detail).toContain(`${service} 1.0.0`);
      expect(detail).toContain(`${service} 1.1.0`);
    });
    await withPage(browser, async (page) => {
      // the history covers the last 90 complete days (not today) under the server's environments, every service
      await page.goto(`${baseUrl}/stages`);
      const history = '[data-testid="gate-history"]';
      await page.locator(`${history} .chart-annotation`).first().waitFor({ timeout: 60_000 });
      const detail = (await titles(page, history)).join('\n');
      expect(detail).toContain(`${service} 1.0.0`);
      expect(detail).toContain(`${service} 1.1.0`);
    });
  }, 180_000);
});
