/**
 * Passkey sign-in to the dashboard (DESIGN.md section 10; docs/security.md "People") in Debian's
 * Chromium with virtual authenticators, against a private app with PUBLIC_URL=http://localhost:<port>:
 *
 * - the guard: every page and every /api/v1 operation (walked from the route registry and the page
 *   folders, so a route added later is covered) refuses a request without a session;
 * - the first administrator joins with the setup code the CLI prints, invites a viewer through the
 *   Members page, the viewer joins with the link (which then works no more), sees no administration
 *   and may not write; sign-out and sign-in again with the same passkey;
 * - the audit log holds what happened; removing the viewer ends their session at once.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { API_ROUTES } from '@/app/api/v1/registry';
import { operationsOf } from '@/lib/api/openapi';
import type { AuditResponse, MembersResponse } from '@/lib/contracts/members';
import { launchChromium } from '../helpers/chromium';
import { isolatedApp } from '../helpers/isolated-app';
import { WebAuthnDevTools } from './pages/rp-authenticator';

const ROOT = path.resolve(import.meta.dirname, '../..');
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const app = isolatedApp();
let browser: Browser;

/** Every page of the dashboard, from the folders Next.js routes by. */
function productPages(): string[] {
  const dir = path.join(ROOT, 'app', '(product)');
  const pages: string[] = [];
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(sub, entry.name));
      else if (entry.name === 'page.tsx') pages.push(`/${sub}`.replace(/\/$/, '') || '/');
    }
  };
  walk('');
  return pages.sort();
}

function setupCode(): { code: string; link: string } {
  const run = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/auth.ts', 'setup-code'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: app.dataDir, PUBLIC_URL: app.baseUrl },
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  const link = /(http:\/\/\S+\/join#code=(\S+))/.exec(run.stdout);
  expect(link, run.stdout).not.toBeNull();
  return { link: link![1]!, code: decodeURIComponent(link![2]!) };
}

async function personWithPasskey(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[browser] ${error.message}`));
  await (await WebAuthnDevTools.enable(page)).add('synced');
  return { context, page };
}

/** axe-core's serious and critical violations of the page as it stands (the sign-in pages are outside the shared app). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (d: Document) => Promise<{ violations: { id: string; impact: string | null }[] }> } })
      .axe;
    return (await axe.run(document)).violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
}

async function join(page: Page, link: string, name: string): Promise<void> {
  await page.goto(link);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Create a passkey and join' }).click();
  await page.waitForURL(`${app.baseUrl}/`);
}

async function apiFromPage<T>(
  page: Page,
  url: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ({ url, init }) => {
      const response = await fetch(url, {
        method: init.method ?? 'GET',
        headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      return { status: response.status, body: await response.json() };
    },
    { url, init },
  ) as Promise<{ status: number; body: T }>;
}

beforeAll(async () => {
  await app.start({}, { publicUrl: true });
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await app.stop();
});

describe('the guard covers every route', () => {
  it('every /api/v1 operation but health answers 401 without a session or token', async () => {
    const operations = operationsOf(API_ROUTES);
    expect(operations.length).toBeGreaterThan(40);
    for (const operation of operations) {
      const response = await fetch(`${app.baseUrl}${operation.path}`, {
        method: operation.method,
        headers: operation.method === 'GET' ? {} : { 'content-type': 'application/json', origin: app.baseUrl },
        body: operation.method === 'GET' ? undefined : '{}',
      });
      expect(response.status, `${operation.method} ${operation.path}`).toBe(operation.access === 'public' ? 200 : 401);
    }
    expect((await fetch(`${app.baseUrl}/api/v1/openapi.json`)).status).toBe(401);
  });

  it('every page sends a visitor without a session to /login and back', async () => {
    const pages = productPages();
    expect(pages).toEqual(expect.arrayContaining(['/', '/stages', '/members', '/audit', '/lookup']));
    for (const page of pages) {
      const response = await fetch(`${app.baseUrl}${page}?days=7`, { redirect: 'manual' });
      expect(response.status, page).toBe(303);
      const location = new URL(response.headers.get('location') ?? '', app.baseUrl);
      expect(`${location.pathname}?${location.searchParams.toString()}`, page).toBe(`/login?next=${encodeURIComponent(`${page}?days=7`)}`);
    }
    expect((await fetch(`${app.baseUrl}/login`)).status).toBe(200);
    expect((await fetch(`${app.baseUrl}/join`)).status).toBe(200);
  });
});

describe('people sign in with passkeys', () => {
  it('administrator, invitation, viewer, sign-out and in again, audit log, removal', async () => {
    const setup = setupCode();
    const admin = await personWithPasskey();
    const viewer = await personWithPasskey();
    const third = await personWithPasskey();
    try {
      // Nobody has joined: the sign-in page points at the setup code.
      await admin.page.goto(`${app.baseUrl}/stages`);
      await admin.page.waitForURL(/\/login\?next=%2Fstages$/);
      await admin.page.getByText('Nobody has joined yet').waitFor();
      expect(await seriousViolations(admin.page)).toEqual([]);
      await admin.page.goto(`${app.baseUrl}/join`);
      await admin.page.getByLabel('Your name').waitFor();
      expect(await seriousViolations(admin.page)).toEqual([]);

      await join(admin.page, setup.link, 'Ana Admin');
      await admin.page.getByTestId('signed-in-as').getByText('Ana Admin').waitFor();
      await admin.page.getByRole('navigation', { name: 'Administration' }).waitFor();
      // the setup code is spent
      await third.page.goto(`${app.baseUrl}/login`);
      const reuse = await apiFromPage(third.page, `${app.baseUrl}/api/auth/join/options`, {
        method: 'POST',
        body: { code: setup.code, name: 'Mallory' },
      });
      expect(reuse).toMatchObject({ status: 400, body: { error: { code: 'invitation_used' } } });

      // Invite a viewer from the Members page.
      await admin.page.goto(`${app.baseUrl}/members`);
      await admin.page.getByTestId('members-table').getByText('Ana Admin').waitFor();
      await admin.page.getByRole('combobox', { name: 'Role' }).selectOption('viewer');
      await admin.page.getByRole('textbox', { name: 'Note (who it is for)' }).fill('Vic from support');
      await admin.page.getByRole('button', { name: 'Create invitation' }).click();
      const link = await admin.page.getByRole('textbox', { name: 'Invitation link' }).inputValue();
      expect(await seriousViolations(admin.page)).toEqual([]);
      expect(link).toMatch(new RegExp(`^${app.baseUrl}/join#code=`));

      await join(viewer.page, link, 'Vic Viewer');
      await viewer.page.getByTestId('signed-in-as').getByText('(viewer)').waitFor();
      expect(await viewer.page.getByRole('navigation', { name: 'Administration' }).count()).toBe(0);
      // a viewer reads, but may not write or manage members
      expect((await apiFromPage(viewer.page, `${app.baseUrl}/api/v1/stages/blast-radius`)).status).toBe(200);
      expect((await apiFromPage(viewer.page, `${app.baseUrl}/api/v1/members`)).status).toBe(403);
      expect(
        (
          await apiFromPage(viewer.page, `${app.baseUrl}/api/v1/stages/decisions`, {
            method: 'POST',
            body: { action: 'hold', stage: 1, reason: 'x' },
          })
        ).status,
      ).toBe(403);

      // the invitation link works once
      await third.page.goto(link);
      await third.page.getByLabel('Your name').fill('Mallory');
      await third.page.getByRole('button', { name: 'Create a passkey and join' }).click();
      await third.page.getByRole('alert').getByText('already used').waitFor();

      // sign out, then in again with the passkey the authenticator holds
      await viewer.page.getByRole('button', { name: 'Sign out' }).click();
      await viewer.page.waitForURL(/\/login/);
      expect((await apiFromPage(viewer.page, `${app.baseUrl}/api/v1/stages/blast-radius`)).status).toBe(401);
      await viewer.page.goto(`${app.baseUrl}/failures?days=7`);
      await viewer.page.waitForURL(/\/login\?next=/);
      await viewer.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await viewer.page.waitForURL(`${app.baseUrl}/failures?days=7`);
      await viewer.page.getByTestId('signed-in-as').getByText('Vic Viewer').waitFor();

      // a decision by a signed-in administrator is hers, whatever name the request types
      const decision = await apiFromPage<{ decision: { actor: string } }>(admin.page, `${app.baseUrl}/api/v1/stages/decisions`, {
        method: 'POST',
        body: { action: 'hold', stage: 1, reason: 'waiting for the Android fix', actor: 'Somebody Else' },
      });
      expect(decision).toMatchObject({ status: 201, body: { decision: { actor: 'member:Ana Admin' } } });
      await admin.page.goto(`${app.baseUrl}/stages`);
      await admin.page.getByTestId('decision-form').getByText('Recorded as Ana Admin (signed in).').waitFor();

      // what happened is in the audit log, with who did it
      const audit = await apiFromPage<AuditResponse>(admin.page, `${app.baseUrl}/api/v1/audit`);
      const actions = audit.body.entries.map((entry) => `${entry.actor} ${entry.action}`);
      expect(actions).toEqual(
        expect.arrayContaining([
          'system setup_code_issued',
          'member:Ana Admin invitation_used',
          'member:Ana Admin invitation_created',
          'member:Vic Viewer sign_in',
          'member:Vic Viewer sign_out',
          'member:Ana Admin stage_decision',
        ]),
      );
      expect(actions.filter((action) => action === 'member:Vic Viewer sign_in')).toHaveLength(2);
      await admin.page.goto(`${app.baseUrl}/audit`);
      await admin.page.getByTestId('audit-table').getByText('invitation_created').first().waitFor();

      // removing the viewer ends their session at once
      const members = await apiFromPage<MembersResponse>(admin.page, `${app.baseUrl}/api/v1/members`);
      const vic = members.body.members.find((member) => member.name === 'Vic Viewer')!;
      expect(vic).toMatchObject({ role: 'viewer', sessions: 1, passkeys: [{ deviceType: 'multiDevice' }] });
      // the setup code printed at start was revoked when the CLI made a new one; that one and the viewer's were used
      expect(members.body.invitations.map((invitation) => invitation.state).sort()).toEqual(['revoked', 'used', 'used']);
      const removed = await apiFromPage(admin.page, `${app.baseUrl}/api/v1/members/remove`, { method: 'POST', body: { id: vic.id } });
      expect(removed).toMatchObject({ status: 200, body: { sessionsEnded: 1, passkeysRemoved: 1 } });
      expect((await apiFromPage(viewer.page, `${app.baseUrl}/api/v1/stages/blast-radius`)).status).toBe(401);
      // the open page notices: the next move lands on the sign-in page
      await viewer.page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Registration' }).click();
      await viewer.page.waitForURL(/\/login\?next=/);

      // an administrator's link adds a passkey on another device to an existing account
      await admin.page.goto(`${app.baseUrl}/members`);
      await admin.page.getByTestId('members-table').getByRole('button', { name: 'Add a passkey' }).first().click();
      const passkeyLink = await admin.page.getByRole('textbox', { name: 'Passkey link' }).inputValue();
      const laptop = await personWithPasskey();
      try {
        await join(laptop.page, passkeyLink, 'ignored for an existing member');
        await laptop.page.getByTestId('signed-in-as').getByText('Ana Admin').waitFor();
      } finally {
        await laptop.context.close();
      }
      const after = await apiFromPage<MembersResponse>(admin.page, `${app.baseUrl}/api/v1/members`);
      expect(after.body.members.map((member) => [member.name, member.passkeys.length])).toEqual([['Ana Admin', 2]]);
      // and the last administrator cannot remove herself
      const self = members.body.members.find((member) => member.name === 'Ana Admin')!;
      expect(
        await apiFromPage(admin.page, `${app.baseUrl}/api/v1/members/remove`, { method: 'POST', body: { id: self.id } }),
      ).toMatchObject({
        status: 409,
        body: { error: { code: 'last_admin' } },
      });
    } finally {
      await Promise.all([admin.context.close(), viewer.context.close(), third.context.close()]);
    }
  });
});
