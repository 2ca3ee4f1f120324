/** The reference relying party's pages, as a user (and a test) sees them. */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

export interface PageStatus {
  text: string;
  kind?: string;
  ceremonyId?: string;
  outcome?: string;
  reason?: string;
  credentialId?: string;
}

export const SCREENSHOT_DIR = path.join(process.cwd(), 'test-results', 'e2e');

export class RelyingPartyPages {
  constructor(
    readonly page: Page,
    readonly origin: string,
  ) {}

  async goto(pathname: string): Promise<void> {
    await this.page.goto(`${this.origin}${pathname}`);
  }

  /** The signed-in account id the server embedded in the page configuration. */
  async userId(): Promise<string> {
    const config = await this.page.locator('#rp-config').textContent();
    const userId = (JSON.parse(config ?? '{}') as { user?: { userId?: string } }).user?.userId;
    if (!userId) throw new Error('no signed-in user on this page');
    return userId;
  }

  async status(): Promise<PageStatus> {
    return this.page.locator('#status').evaluate((element) => ({ text: element.textContent ?? '', ...(element as HTMLElement).dataset }));
  }

  /** Waits until the status line reports an outcome. */
  async settledStatus(): Promise<PageStatus> {
    await this.page.locator('#status[data-outcome]').waitFor();
    return this.status();
  }

  // --- sign-up, upsell, account ----------------------------------------------------------------

  /** Signs up and continues past the backup codes; lands on the upsell or the account page. */
  async signUp(username: string, password: string): Promise<{ userId: string; backupCodes: string[] }> {
    await this.goto('/signup');
    await this.page.fill('#username', username);
    await this.page.fill('#password', password);
    await this.page.click('#signup-submit');
    await this.page.locator('#backup-panel').waitFor();
    const backupCodes = await this.page.locator('#backup-codes li').allTextContents();
    await this.page.click('#continue');
    await this.page.waitForURL(/\/(welcome|account)$/);
    return { userId: await this.userId(), backupCodes };
  }

  async upsellOffered(): Promise<boolean> {
    await Promise.race([this.page.locator('#upsell').waitFor(), this.page.waitForURL(/\/account$/)]);
    return this.page.url().endsWith('/welcome');
  }

  async acceptUpsell(): Promise<PageStatus> {
    await this.page.click('#upsell-accept');
    return this.settledStatus();
  }

  async dismissUpsell(): Promise<void> {
    await this.page.click('#upsell-dismiss');
    await this.page.waitForURL(/\/account$/);
  }

  async openAccount(): Promise<void> {
    if (!this.page.url().endsWith('/account')) await this.goto('/account');
    await this.page.locator('#user-id:not(:empty)').waitFor();
  }

  async addPasskey(): Promise<PageStatus> {
    await this.clearStatus();
    await this.page.click('#add-passkey');
    return this.settledStatus();
  }

  async addPasskeyAfterRecovery(): Promise<PageStatus> {
    await this.clearStatus();
    await this.page.click('#add-passkey-recovery');
    return this.settledStatus();
  }

  async passkeyIds(): Promise<string[]> {
    return this.page.locator('#passkeys tr').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.credentialId ?? ''));
  }

  async removePasskey(credentialId: string): Promise<PageStatus> {
    await this.clearStatus();
    await this.page.locator(`#passkeys tr[data-credential-id="${credentialId}"] button`).click();
    return this.settledStatus();
  }

  async signOut(): Promise<void> {
    await this.openAccount();
    await this.page.click('#sign-out');
    await this.page.waitForURL(`${this.origin}/`);
  }

  // --- sign-in -----------------------------------------------------------------------------

  /** Opens the sign-in page and waits until its autofill request is open in the username field. */
  async openSignIn(): Promise<void> {
    await this.goto('/login');
    await this.page.locator('html[data-autofill]').waitFor({ state: 'attached' });
  }

  /** The sign-in flow (`auth.flow.id`) of the open sign-in page. */
  async signInFlowId(): Promise<string> {
    const flowId = await this.page.locator('html').getAttribute('data-flow-id');
    if (!flowId) throw new Error('not on the sign-in page');
    return flowId;
  }

  /** Presses "Sign in with a passkey": either signed in (→ /account) or a failure status. */
  async signInWithPasskeyButton(): Promise<'signed_in' | PageStatus> {
    await this.clearStatus();
    await this.page.click('#passkey-sign-in');
    // On success the page shows it briefly, flushes its telemetry, then leaves for /account.
    await Promise.race([
      this.page.waitForURL(/\/account$/),
      this.page.locator('#status[data-outcome]:not([data-outcome=success])').waitFor(),
    ]);
    return this.page.url().endsWith('/account') ? 'signed_in' : this.status();
  }

  async signInWithPassword(username: string, password: string): Promise<void> {
    await this.page.fill('#username', username);
    await this.page.fill('#password', password);
    await this.page.click('#password-submit');
    await this.page.waitForURL(/\/(welcome|account)$/);
  }

  // --- recovery ----------------------------------------------------------------------------

  /** Starts a recovery; returns the code of the simulated e-mail (e-mail code recovery). */
  async startRecovery(username: string, method: 'email_code' | 'saved_recovery_code'): Promise<string | undefined> {
    await this.goto('/recover');
    await this.page.fill('#username', username);
    await this.page.check(`input[name=method][value=${method}]`);
    await this.page.click('#recovery-start-submit');
    await this.page.locator('#recovery-complete').waitFor();
    if (method !== 'email_code') return undefined;
    await this.page.locator('#inbox').waitFor();
    return (await this.page.locator('#inbox-code').textContent()) ?? undefined;
  }

  /** Submits a recovery code: recovered (→ /account?recovered=1) or a failure status. */
  async submitRecoveryCode(code: string): Promise<'recovered' | PageStatus> {
    await this.clearStatus();
    await this.page.fill('#code', code);
    await this.page.click('#recovery-complete-submit');
    await Promise.race([this.page.waitForURL(/\/account\?recovered=1$/), this.page.locator('#status[data-outcome]').waitFor()]);
    return this.page.url().includes('/account') ? 'recovered' : this.status();
  }

  // --- evidence ----------------------------------------------------------------------------

  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }

  private async clearStatus(): Promise<void> {
    await this.page.locator('#status').evaluate((element) => {
      element.textContent = '';
      for (const key of Object.keys((element as HTMLElement).dataset)) delete (element as HTMLElement).dataset[key];
    });
  }
}
