/**
 * What a webhook receives (docs/alerts.md, "Payloads" and "Signatures"): the generic JSON payload,
 * the Slack-compatible incoming-webhook message (`{text, blocks}`), and the HMAC-SHA256 signature
 * over `<timestamp>.<body>`. Pure apart from node:crypto.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AlertEventKind, AlertSeverity, WebhookFormat } from '@/lib/contracts/alerts';

export const PAYLOAD_VERSION = 1;
export const SIGNATURE_HEADER = 'x-passkey-alerts-signature';
export const TIMESTAMP_HEADER = 'x-passkey-alerts-timestamp';
export const EVENT_ID_HEADER = 'x-passkey-alerts-id';

export interface AlertNotice {
  id: string;
  kind: AlertEventKind;
  at: Date;
  rule: { id: string; kind: string; severity: AlertSeverity; description: string };
  seriesKey: string;
  labels: Record<string, string>;
  summary: string;
  value: number | null;
  threshold: number | null;
  /** When the episode began (firing and resolved notices). */
  startedAt: Date | null;
}

/** The generic JSON payload. */
export function genericPayload(notice: AlertNotice, dashboardUrl: string | null) {
  return {
    version: PAYLOAD_VERSION,
    id: notice.id,
    kind: notice.kind,
    at: notice.at.toISOString(),
    rule: notice.rule,
    series: { key: notice.seriesKey, labels: notice.labels },
    summary: notice.summary,
    value: notice.value,
    threshold: notice.threshold,
    startedAt: notice.startedAt?.toISOString() ?? null,
    url: dashboardUrl,
    source: 'passkey-rollout-analytics',
  };
}

const HEADLINE: Record<AlertEventKind, string> = { firing: 'FIRING', resolved: 'RESOLVED', test: 'TEST' };

/** Slack's mrkdwn needs &, < and > escaped. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The Slack-compatible incoming-webhook message: `text` (the notification line) and Block Kit `blocks`. */
export function slackPayload(notice: AlertNotice, dashboardUrl: string | null) {
  const text = `[${HEADLINE[notice.kind]}] ${notice.rule.id} (${notice.rule.severity}): ${notice.summary}`;
  const labels = Object.entries(notice.labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
  const context = [
    labels ? `series: ${escapeSlack(labels)}` : null,
    notice.value !== null ? `value: ${notice.value}` : null,
    notice.threshold !== null ? `threshold: ${notice.threshold}` : null,
    dashboardUrl ? `<${dashboardUrl}|Open alerts>` : null,
  ].filter((part): part is string => part !== null);
  return {
    text,
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `*${HEADLINE[notice.kind]}* \`${escapeSlack(notice.rule.id)}\` — ${escapeSlack(notice.summary)}` },
      },
      ...(context.length > 0 ? [{ type: 'context', elements: context.map((part) => ({ type: 'mrkdwn', text: part })) }] : []),
    ],
  };
}

export function payloadBody(format: WebhookFormat, notice: AlertNotice, dashboardUrl: string | null): string {
  return JSON.stringify(format === 'slack' ? slackPayload(notice, dashboardUrl) : genericPayload(notice, dashboardUrl));
}

/** `v1=<hex HMAC-SHA256 of "<timestamp>.<body>" keyed with the secret>`. */
export function signature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The receiver's check: the signature matches and the timestamp is within `toleranceSeconds` of now. */
export function verifySignature(
  secret: string,
  header: { signature: string | null; timestamp: string | null },
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = 300,
): boolean {
  const timestamp = Number(header.timestamp);
  if (!header.signature || !Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signature(secret, timestamp, body));
  const given = Buffer.from(header.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The headers of one delivery: content type, the event id, and the signature when a secret is set. */
export function deliveryHeaders(body: string, eventId: string, secret: string | undefined, nowSeconds: number): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'passkey-rollout-analytics-alerts/1',
    [EVENT_ID_HEADER]: eventId,
  };
  if (secret) {
    headers[TIMESTAMP_HEADER] = String(nowSeconds);
    headers[SIGNATURE_HEADER] = signature(secret, nowSeconds, body);
  }
  return headers;
}

/** A webhook URL as shown and stored: its origin and a hash of the whole URL (Slack URLs hold a secret in the path). */
export function redactUrl(url: string): string {
  const hash = createHash('sha256').update(url).digest('hex').slice(0, 8);
  try {
    return `${new URL(url).origin}/…#${hash}`;
  } catch {
    return `invalid#${hash}`;
  }
}

export interface WebhookTarget {
  url: string;
  format: WebhookFormat;
  /** redactUrl(url). */
  target: string;
}

/**
 * ALERT_WEBHOOK_URLS entries: `https://…` (generic JSON; Slack's hooks.slack.com URLs default to
 * the Slack format) or `slack:https://…` / `json:https://…` to choose the format.
 */
export function parseWebhookTargets(entries: readonly string[]): WebhookTarget[] {
  return entries.map((entry) => {
    const match = /^(slack|json):(https?:\/\/.*)$/i.exec(entry);
    const url = match ? match[2]! : entry;
    if (!/^https?:\/\/[^/]/i.test(url)) throw new Error(`ALERT_WEBHOOK_URLS: '${redactUrl(url)}' is not an http(s) URL`);
    const format: WebhookFormat = match
      ? (match[1]!.toLowerCase() as WebhookFormat)
      : new URL(url).hostname === 'hooks.slack.com'
        ? 'slack'
        : 'json';
    return { url, format, target: redactUrl(url) };
  });
}
