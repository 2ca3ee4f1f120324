/**
 * Contact details outside user.id (DESIGN.md section 10, Privacy), end to end on the real embedded
 * ClickHouse: e-mail addresses and phone numbers in attributes, the body and resource attributes
 * are replaced by a marker and counted, the record kept and `partial_success` silent; version
 * numbers stay; a user.id that is contact details still rejects its record; the quarantine keeps
 * no contact details at all.
 *
 * First through the running app's /v1/logs (what /api/v1/events shows), then through the same
 * ingest handler on a store of this test's own, to read what the API does not show (body, resource
 * attributes, the contact_details_dropped column, the quarantine) and the operator's log line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createIngestHandler } from '@/ingest/handler';
import { createStorage, type Storage } from '@/lib/clickhouse';
import { parseEnv } from '@/lib/env';
import { migrate } from '@/lib/migrate';
import { otlpJson, otlpProtobuf, postLogs, uid, waitForEvents, type TestRecord } from '../helpers/otlp';

const baseUrl = inject('baseUrl');
const token = inject('ingestToken');
const EMAIL = '[redacted e-mail address]';
const PHONE = '[redacted phone number]';

function records(userId: string, ticketId: string): TestRecord[] {
  return [
    {
      eventName: 'support.ticket',
      attributes: {
        'user.id': userId,
        'support.ticket.id': ticketId,
        'support.ticket.stage': 'opened',
        'support.ticket.category': 'alice@example.com',
        'support.ticket.channel': '+44 20 7946 0958',
        'rp.callback': '(415) 555-0123',
        'rp.contacts': ['ok', 'bob@example.org', '4155550123'],
        'os.name': 'Windows',
        'os.version': '10.0.19045',
        'browser.name': 'Chrome',
        'browser.version': '131.0.6778.85',
        'rp.build': '131.0.6778.85',
        'rp.opened_on': '2026-11-25',
      },
    },
    // user.id that is contact details: rejected, as before
    { eventName: 'auth.password.removed', attributes: { 'user.id': 'carol@example.com', 'rp.marker': ticketId } },
  ];
}

describe('through the running app', () => {
  it.each(['json', 'protobuf'] as const)(
    '%s: replaced and kept; version numbers kept; a contact-details user.id still rejected',
    async (format) => {
      const userId = uid('cd');
      const ticketId = uid('ticket');
      const resource = { 'service.name': 'contact-details-test', 'rp.owner': 'ops@example.com', 'service.version': '4155550123' };
      const response = await postLogs(
        baseUrl,
        format === 'json'
          ? JSON.stringify(otlpJson(records(userId, ticketId), resource))
          : otlpProtobuf(records(userId, ticketId), resource),
        {
          authorization: `Bearer ${token}`,
          'content-type': format === 'json' ? 'application/json' : 'application/x-protobuf',
        },
      );
      expect(response.status).toBe(200);
      if (format === 'json') {
        const body = (await response.json()) as { partialSuccess?: { rejectedLogRecords?: string; errorMessage?: string } };
        // Only the user.id record is rejected; the replaced values are not mentioned.
        expect(body.partialSuccess?.rejectedLogRecords).toBe('1');
        expect(body.partialSuccess?.errorMessage).toMatch(/user\.id: looks like an e-mail address/);
        expect(body.partialSuccess?.errorMessage).not.toMatch(/example\.(com|org)|4155550123|(?<![0-9a-f_])7946/);
      }
      const { events } = await waitForEvents(baseUrl, `userId=${userId}`, 1);
      expect(events).toHaveLength(1);
      const event = events[0]!;
      expect(event).toMatchObject({ ticketId, ticketCategory: EMAIL, osVersion: '10.0.19045', browserVersion: '131.0.6778.85' });
      expect(event.attributes).toMatchObject({
        'rp.callback': PHONE,
        'rp.contacts': JSON.stringify(['ok', EMAIL, PHONE]),
        'rp.build': '131.0.6778.85',
        'rp.opened_on': '2026-11-25',
      });
      // service.version '4155550123' is a version attribute: kept as sent; every other contact detail is gone
      // (?<![0-9a-f_]): a random hex id (uid) may hold the digits 7946 too
      expect(JSON.stringify({ ...event, serviceVersion: '', resourceAttributes: undefined })).not.toMatch(
        /example\.(com|org)|4155550123|(?<![0-9a-f_])7946|555-0123/,
      );
    },
  );
});

describe('through the ingest handler, on a store of its own', () => {
  let store: Storage;
  let dataDir: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-contact-details-'));
    store = createStorage(parseEnv({ DATA_DIR: dataDir }));
    await migrate(store);
  }, 120_000);
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('stores markers in body, attributes and resource, counts them per row, logs the count, and quarantines nothing identifying', async () => {
    const warn = console.warn;
    console.warn = (line: string) => logLines.push(line);
    try {
      const handler = createIngestHandler({
        client: () => store.client,
        ready: async () => undefined,
        tokens: () => [{ name: 'rp-prod', scope: 'ingest', secret: 'contact-details-secret' }],
        maxBodyBytes: 1024 * 1024,
        corsOrigins: [],
        log: () => undefined,
      });
      const userId = uid('cd');
      const ticketId = uid('ticket');
      const payload = otlpJson(records(userId, ticketId), {
        'service.name': 'contact-details-test',
        'rp.owner': 'ops@example.com',
        'service.version': '4155550123',
      });
      const logRecords = payload.resourceLogs[0]!.scopeLogs[0]!.logRecords as Array<Record<string, unknown>>;
      logRecords[0]!.body = { stringValue: 'customer wrote from dave@example.net' };
      const response = await handler(
        new Request('http://localhost/v1/logs', {
          method: 'POST',
          headers: { authorization: 'Bearer contact-details-secret', 'content-type': 'application/json' },
          body: JSON.stringify(payload),
        }),
      );
      expect(response.status).toBe(200);

      const [row] = await (
        await store.client.query({
          query:
            'SELECT body, attributes, resource_attributes, ticket_category, os_version, contact_details_dropped FROM ceremony_events WHERE user_id = {userId:String}',
          query_params: { userId },
          format: 'JSONEachRow',
        })
      ).json<{
        body: string;
        attributes: Record<string, string>;
        resource_attributes: Record<string, string>;
        ticket_category: string;
        os_version: string;
        contact_details_dropped: number;
      }>();
      expect(row).toBeDefined();
      expect(row!.body).toBe(EMAIL);
      expect(row!.ticket_category).toBe(EMAIL);
      expect(row!.os_version).toBe('10.0.19045');
      expect(row!.resource_attributes).toMatchObject({ 'rp.owner': EMAIL, 'service.version': '4155550123' });
      // category, channel, callback, two list elements, the body, the resource owner
      expect(Number(row!.contact_details_dropped)).toBe(7);
      expect(JSON.stringify(row)).not.toMatch(/example\.(com|org|net)|(?<![0-9a-f_])7946|555-0123/);

      const quarantined = await (
        await store.client.query({
          query: "SELECT raw_record FROM quarantine WHERE JSONExtractString(raw_record, 'attributes', 'rp.marker') = {ticketId:String}",
          query_params: { ticketId },
          format: 'JSONEachRow',
        })
      ).json<{ raw_record: string }>();
      expect(quarantined).toHaveLength(1);
      const raw = JSON.parse(quarantined[0]!.raw_record) as { attributes: Record<string, string>; resource: Record<string, string> };
      expect(raw.attributes['user.id']).toBe(EMAIL);
      expect(raw.resource['rp.owner']).toBe(EMAIL);
      expect(quarantined[0]!.raw_record).not.toMatch(/example\.(com|org|net)/);

      expect(logLines.filter((line) => line.includes('contact details'))).toEqual([
        expect.stringMatching(/replaced 7 values .* in 1 of 1 stored record \(token 'rp-prod'; service 'contact-details-test'\)/),
      ]);
    } finally {
      console.warn = warn;
    }
  });
});
