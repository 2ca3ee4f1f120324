/** Page objects for the core dashboard pages (Overview, Registration, Sign-in & fallback). */
import type { Page } from 'playwright-core';

export class CoreDashboardPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  async open(pathAndQuery: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}${pathAndQuery}`);
    await this.waitForPanels();
  }

  /** Waits until no panel is loading any more (data, empty or error). */
  async waitForPanels(): Promise<void> {
    await this.page.locator('[data-panel]').first().waitFor();
    await this.page.waitForFunction(() => document.querySelectorAll('[data-panel][data-state="loading"]').length === 0, undefined, {
      timeout: 90_000,
    });
  }

  /** data-state of every panel, by its test id. */
  async panelStates(): Promise<Record<string, string>> {
    return this.page.$$eval('[data-panel]', (panels) =>
      Object.fromEntries(panels.map((panel) => [panel.getAttribute('data-panel') ?? '', panel.getAttribute('data-state') ?? ''])),
    );
  }

  async errorMessages(): Promise<string[]> {
    return this.page.locator('[data-testid="panel-error"]').allInnerTexts();
  }

  stat(testId: string) {
    return this.page.locator(`[data-testid="${testId}"]`);
  }

  async statRaw(testId: string): Promise<string | null> {
    return this.stat(testId).getAttribute('data-value');
  }

  async statText(testId: string): Promise<string> {
    return (await this.stat(testId).locator('[data-field="value"]').innerText()).trim();
  }

  /** Waits until a stat's raw value differs from `previous` (after a filter change). */
  async waitForStatChange(testId: string, previous: string | null): Promise<void> {
    await this.page.waitForFunction(
      ([id, before]) => {
        const node = document.querySelector(`[data-testid="${id}"]`);
        return node !== null && node.getAttribute('data-value') !== before;
      },
      [testId, previous] as const,
      { timeout: 60_000 },
    );
  }

  async chooseFilterOption(filter: string, option: string): Promise<void> {
    const details = this.page.locator(`details[data-filter="${filter}"]`);
    await details.locator('summary').click();
    // A click (not check()): the box reflects the URL, which updates once the navigation commits.
    await details.locator(`input[value="${option}"]`).click();
  }

  async screenshot(file: string): Promise<void> {
    await this.page.screenshot({ path: file, fullPage: true });
  }
}
