/**
 * Lookup shows everything an event carries (issue 11): a registration with flags, AAGUID, origin,
 * transports and an attribute outside the vocabulary, opened in Debian's Chromium.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import { otlpJson, postLogs, uid, waitForEvents } from '../helpers/otlp';

const baseUrl = inject('baseUrl');
const user = uid('lookup-detail');
let browser: Browser;

beforeAll(async () => {
  const response = await postLogs(
    baseUrl,
    JSON.stringify(
      otlpJson([
        {
          eventName: 'passkey.registration',
          timeMs: Date.now() - 60_000,
          attributes: {
            'user.id': user,
            'passkey.result': 'success',
            'webauthn.credential.id': uid('cred'),
            'webauthn.aaguid': 'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4',
            'webauthn.flags.up': true,
            'webauthn.flags.uv': true,
            'webauthn.flags.be': true,
            'webauthn.flags.bs': false,
            'webauthn.origin': 'https://shop.example',
            'webauthn.rp.id': 'shop.example',
            'app.build': '20261204.7',
          },
        },
      ]),
    ),
    { authorization: `Bearer ${inject('ingestToken')}`, 'content-type': 'application/json' },
  );
  expect(response.status).toBe(200);
  await waitForEvents(baseUrl, `userId=${user}`, 1, 5000);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('Lookup detail', () => {
  it('opens an event to everything it carries', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    try {
      const page = await context.newPage();
      await page.goto(`${baseUrl}/lookup?userId=${user}`);
      const event = page.locator('[data-event="passkey.registration"]').first();
      await event.waitFor({ timeout: 60_000 });
      await event.locator('[data-field="detail"] summary').click();
      const text = await event.locator('[data-field="detail"]').innerText();
      expect(text).toContain('1 1 1 0');
      expect(text).toContain('ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4');
      expect(text).toContain('https://shop.example · shop.example');
      expect(text).toContain('attribute app.build');
      expect(text).toContain('20261204.7');
    } finally {
      await context.close();
    }
  }, 120_000);
});
