/** Page objects for the detail pages (recovery, failures, security, lookup). */
import type { Locator, Page } from 'playwright-core';

export class DetailPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  async open(path: string, heading: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}${path}`);
    await this.page.getByRole('heading', { name: heading, level: 1 }).waitFor({ timeout: 60_000 });
  }

  panel(testId: string): Locator {
    return this.page.locator(`section[data-panel="${testId}"]`);
  }

  /** Waits until the panel has left its loading state and returns that state. */
  async settled(testId: string): Promise<string | null> {
    const panel = this.panel(testId);
    await panel.waitFor({ timeout: 60_000 });
    await this.page.waitForFunction(
      (id) => document.querySelector(`section[data-panel="${id}"]`)?.getAttribute('data-state') !== 'loading',
      testId,
      {
        timeout: 90_000,
      },
    );
    return panel.getAttribute('data-state');
  }

  async errorCount(): Promise<number> {
    return this.page.locator('[data-testid="panel-error"]').count();
  }

  async screenshot(file: string): Promise<void> {
    // From the top, so the shell's sticky bar sits where it belongs in the full-page image.
    await this.page.evaluate(() => window.scrollTo(0, 0));
    await this.page.screenshot({ path: file, fullPage: true });
  }
}
