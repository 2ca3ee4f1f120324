/** What every page script shares: its configuration, the SDK instance, JSON calls, the status line. */
import { createBrowserTelemetry, type BrowserTelemetry } from '@passkey-rollout/telemetry/browser';
import type { PageConfig } from './page-config';

export function pageConfig(): PageConfig {
  const element = document.getElementById('rp-config');
  if (!element?.textContent) throw new Error('The page configuration is missing');
  return JSON.parse(element.textContent) as PageConfig;
}

/** One SDK instance per page, with the signed-in account's opaque ids when there is one. */
export function pageTelemetry(config: PageConfig): BrowserTelemetry {
  return createBrowserTelemetry({
    endpoint: config.telemetry.endpoint,
    token: config.telemetry.token,
    serviceName: config.telemetry.serviceName,
    common: {
      userId: config.user?.userId,
      sessionId: config.user?.sessionId,
      environment: config.telemetry.environment,
      attributes: { 'feature_flag.result.variant': config.telemetry.rolloutVariant },
    },
  });
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export async function api<T>(path: string, body?: unknown, method = 'POST'): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const payload = (await response.json().catch(() => ({}))) as { error?: string; reason?: string };
  if (!response.ok) throw new ApiError(response.status, payload.error ?? `Request failed (${response.status})`, payload.reason);
  return payload as T;
}

export function element<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing from the page`);
  return found as T;
}

export type StatusKind = 'info' | 'success' | 'error';

/** The page's status line; `data-*` facts (ceremony id, outcome, reason) make it easy to inspect. */
export function showStatus(text: string, kind: StatusKind, facts: Record<string, string | undefined> = {}): void {
  const status = element('status');
  status.textContent = text;
  status.dataset.kind = kind;
  for (const key of ['ceremonyId', 'outcome', 'reason', 'credentialId']) delete status.dataset[key];
  for (const [key, value] of Object.entries(facts)) if (value !== undefined) status.dataset[key] = value;
}

export function newFlowId(): string {
  return crypto.randomUUID();
}

/** Disables a button while `action` runs. */
export function busy(button: HTMLButtonElement, action: () => Promise<void>): () => void {
  return () => {
    if (button.disabled) return;
    button.disabled = true;
    action().finally(() => {
      button.disabled = false;
    });
  };
}

/**
 * Leave the page once the telemetry is delivered (at most `maxWaitMs`). The SDK flushes on page
 * hide too, but a flush waits for an export already in flight, and a page being unloaded does not
 * wait for that: records emitted meanwhile would be lost with the page.
 */
export async function leavePage(telemetry: BrowserTelemetry, url: string, maxWaitMs = 1500): Promise<void> {
  await Promise.race([telemetry.forceFlush().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, maxWaitMs))]);
  location.assign(url);
}

/** A link that leaves the page through `leavePage`. */
export function flushBeforeFollowing(telemetry: BrowserTelemetry, link: HTMLAnchorElement): void {
  link.addEventListener('click', (event) => {
    event.preventDefault();
    void leavePage(telemetry, link.href);
  });
}

/** Page state on `<html data-…>` (e.g. `data-autofill="waiting"`): for people and tests inspecting the page. */
export function markPage(key: string, value: string): void {
  document.documentElement.dataset[key] = value;
}
