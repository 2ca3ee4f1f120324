/**
 * Contact details outside `user.id` (DESIGN.md section 10, Privacy; ingest/derive/contact-details.ts):
 * replaced by a marker and counted, the record kept; versions, dates and id/version attributes never
 * taken for phone numbers; `user.id` still rejects its record; the quarantine redacts every value.
 */
import { describe, expect, it } from 'vitest';
import { storedEvent } from '@/ingest/columns';
import type { Attributes, DecodedLogRecord } from '@/ingest/decode';
import { contactDetailIn, isIdOrVersionKey, redactForQuarantine, redactRecord, REDACTED } from '@/ingest/derive/contact-details';
import { contactDetailsLogLine } from '@/ingest/sink';
import { mapRecord, mapRecords } from '@/ingest/to-rows';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const EMAIL = REDACTED.email;
const PHONE = REDACTED.phone;

function record(attributes: Attributes, extra: Partial<DecodedLogRecord> = {}): DecodedLogRecord {
  return {
    index: 0,
    timeMs: NOW - 1000,
    observedMs: 0,
    severityNumber: 9,
    severityText: 'INFO',
    body: null,
    attributes,
    traceId: '',
    spanId: '',
    eventName: 'support.ticket',
    resource: { 'service.name': 'rp' },
    scopeName: 'test',
    ...extra,
  };
}

const ticket = { 'user.id': 'u_1', 'support.ticket.id': 'T-1', 'support.ticket.stage': 'opened' } satisfies Attributes;

describe('contactDetailIn', () => {
  it.each([
    ['alice@example.com', 'email'],
    ['Contact: Alice Smith <alice@example.com> about her passkey', 'email'],
    ['alice%40example.com', 'email'],
    ['alice＠example.com', 'email'],
    ['+14155550123', 'phone'],
    ['+44 20 7946 0958', 'phone'],
    ['tel:+14155550123', 'phone'],
    ['(415) 555-0123', 'phone'],
    ['415-555-0123', 'phone'],
    ['415.555.0123', 'phone'], // a zero-padded group: not a version
    ['+33.1.23.45.67.89', 'phone'], // the + makes it a number even with dots only
    ['4155550123', 'phone'],
    ['４１５５５５０１２３', 'phone'],
  ] as const)('%j → %s', (value, kind) => {
    expect(contactDetailIn(value, 'support.ticket.category')).toBe(kind);
    expect(contactDetailIn(value)).toBe(kind); // the body: no key
  });

  describe('version numbers, dates and addresses are never phone numbers', () => {
    it.each([
      '10.0.19045', // Windows build
      '131.0.6778.85', // Chrome
      '18.1.1',
      '6.1.7601',
      '2024.10.15',
      '192.168.100.200',
      '１３１.０.６７７８.８５', // full-width digits fold to a version
      '2026-11-25',
      '25.11.2026',
      '11/25/2026',
      '2026-11-25 12:30:45',
      '2026-11-25T12:30:45.123Z',
      '2026-11-25T12:30:45+01:00',
    ])('%j', (value) => {
      expect(contactDetailIn(value, 'custom.value')).toBeNull();
      expect(contactDetailIn(value)).toBeNull();
    });
  });

  describe('id and version attributes are never phone numbers (but still e-mail addresses)', () => {
    it.each([
      ['session.id', '4155550123'],
      ['auth.flow.id', '+14155550123'],
      ['webauthn.ceremony.id', '415-555-0123'],
      ['webauthn.credential.id', '4155550123'],
      ['webauthn.aaguid', '4155550123'],
      ['support.ticket.id', '4155550123'],
      ['feature_flag.key', '4155550123'],
      ['browser.version', '415.555.0123'],
      ['os.version', '4155550123'],
      ['service.version', '4155550123'],
      ['service.instance.id', '4155550123'],
      ['order_id', '4155550123'],
      ['device.model.identifier', '4155550123'],
      ['app.build_version', '4155550123'],
    ])('%s = %j', (key, value) => {
      expect(isIdOrVersionKey(key)).toBe(true);
      expect(contactDetailIn(value, key)).toBeNull();
      expect(contactDetailIn('alice@example.com', key)).toBe('email');
    });
    it('a key that merely contains "id" or "version" is not exempt', () => {
      for (const key of ['video.duration', 'identity.phone', 'versioned', 'user.idle', 'support.phone_number']) {
        expect(isIdOrVersionKey(key)).toBe(false);
        expect(contactDetailIn('+14155550123', key)).toBe('phone');
      }
    });
  });

  it.each([
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    'NotAllowedError',
    'u_12345',
    '123456789', // a short number
    '1234567890123456', // 16+ digits
    'passkey 18_1',
    '',
    '   ',
    '@alice',
    'alice@localhost',
  ])('%j → null', (value) => {
    expect(contactDetailIn(value, 'custom.value')).toBeNull();
  });
});

describe('redactRecord', () => {
  it('replaces contact details in attributes (nested too), the body and the resource, and counts them', () => {
    const input = record(
      {
        ...ticket,
        'support.ticket.category': 'alice@example.com',
        'support.ticket.channel': '+44 20 7946 0958',
        'rp.notes': ['ok', 'call 555', '+14155550123', { 'contact.mail': 'bob@example.org', 'contact.count': 2 }],
        'os.version': '10.0.19045',
        'browser.version': '131.0.6778.85',
        'support.ticket.opened': '2026-11-25 12:30:45',
      },
      {
        body: { text: 'reply to carol@example.net', at: ['2026-11-25', '4155550123'] },
        resource: { 'service.name': 'rp', 'service.version': '4155550123', 'host.owner': 'ops@example.com' },
      },
    );
    const { record: out, dropped } = redactRecord(input);
    expect(dropped).toBe(7);
    expect(out.attributes).toEqual({
      ...ticket,
      'support.ticket.category': EMAIL,
      'support.ticket.channel': PHONE,
      'rp.notes': ['ok', 'call 555', PHONE, { 'contact.mail': EMAIL, 'contact.count': 2 }],
      'os.version': '10.0.19045',
      'browser.version': '131.0.6778.85',
      'support.ticket.opened': '2026-11-25 12:30:45',
    });
    expect(out.body).toEqual({ text: EMAIL, at: ['2026-11-25', PHONE] });
    expect(out.resource).toEqual({ 'service.name': 'rp', 'service.version': '4155550123', 'host.owner': EMAIL });
    // The decoded record is not changed in place.
    expect(input.attributes['support.ticket.category']).toBe('alice@example.com');
  });

  it('returns the same record, uncounted, when there is nothing to replace', () => {
    const input = record({ ...ticket, 'os.version': '10.0.19045' }, { body: 'signed in' });
    const { record: out, dropped } = redactRecord(input);
    expect(dropped).toBe(0);
    expect(out).toBe(input);
  });

  it('leaves a top-level user.id to validation, and keeps a __proto__ key an own property', () => {
    const attributes: Attributes = { 'user.id': 'alice@example.com', 'x.mail': 'a@example.com' };
    Object.defineProperty(attributes, '__proto__', { value: 'b@example.com', enumerable: true, writable: true, configurable: true });
    const { record: out, dropped } = redactRecord(record(attributes));
    expect(dropped).toBe(2);
    expect(out.attributes['user.id']).toBe('alice@example.com');
    expect(Object.getOwnPropertyDescriptor(out.attributes, '__proto__')?.value).toBe(EMAIL);
    expect(Object.getPrototypeOf(out.attributes)).toBe(Object.prototype);
  });

  it('redacts a resource shared by many records once, and counts it on each record', () => {
    const resource = { 'service.name': 'rp', 'rp.contact': 'ops@example.com' };
    const records = [record({ ...ticket }, { resource, index: 0 }), record({ ...ticket }, { resource, index: 1 })];
    const outs = records.map(redactRecord);
    expect(outs.map((o) => o.dropped)).toEqual([1, 1]);
    expect(outs[0]!.record.resource).toBe(outs[1]!.record.resource);
  });
});

describe('through the row mapper', () => {
  it('keeps the record, stores the markers and counts them in contact_details_dropped', () => {
    const result = mapRecord(
      record(
        {
          ...ticket,
          'support.ticket.category': 'alice@example.com',
          'rp.caller': '+14155550123',
          'os.name': 'Windows',
          'os.version': '10.0.19045',
        },
        {
          body: 'call me at +1 415 555 0123? no: write to dave@example.com',
          resource: { 'service.name': 'rp', 'rp.owner': '+44 20 7946 0958' },
        },
      ),
      NOW,
    );
    if (!Array.isArray(result)) throw new Error(`rejected: ${result.detail}`);
    const row = storedEvent(result);
    expect(row.ticket_category).toBe(EMAIL);
    expect(row.attributes['rp.caller']).toBe(PHONE);
    expect(row.os_version).toBe('10.0.19045');
    expect(row.body).toBe(EMAIL);
    expect(row.resource_attributes['rp.owner']).toBe(PHONE);
    expect(row.contact_details_dropped).toBe(4);
    expect(JSON.stringify(result)).not.toMatch(/example\.com|415 555|7946/);
  });

  it('an id attribute holding an e-mail address is replaced; the record (with its required id) is kept', () => {
    const result = mapRecord(record({ ...ticket, 'support.ticket.id': 'ticket-for-alice@example.com' }), NOW);
    if (!Array.isArray(result)) throw new Error(`rejected: ${result.detail}`);
    expect(storedEvent(result)).toMatchObject({ ticket_id: EMAIL, contact_details_dropped: 1 });
  });

  it('a user.id that looks like contact details still rejects its record', () => {
    for (const userId of ['alice@example.com', '+14155550123', '4155550123']) {
      const result = mapRecord(record({ ...ticket, 'user.id': userId }), NOW);
      expect(Array.isArray(result)).toBe(false);
      if (!Array.isArray(result))
        expect(result).toMatchObject({ reason: 'invalid_attributes', detail: expect.stringMatching(/^user\.id: looks like/) });
    }
  });

  it('a record without contact details counts 0', () => {
    const result = mapRecord(record({ ...ticket, 'os.version': '10.0.19045', 'browser.version': '131.0.6778.85' }), NOW);
    if (!Array.isArray(result)) throw new Error(`rejected: ${result.detail}`);
    expect(storedEvent(result).contact_details_dropped).toBe(0);
  });

  it('a rejected record carries its redacted values; the quarantine redacts user.id too', () => {
    const { rejections } = mapRecords(
      [
        record(
          { ...ticket, 'user.id': 'alice@example.com', 'support.ticket.category': 'bob@example.com', 'rp.caller': '+14155550123' },
          { resource: { 'service.name': 'rp', 'rp.owner': 'ops@example.com' } },
        ),
      ],
      NOW,
    );
    expect(rejections).toHaveLength(1);
    const rejected = rejections[0]!.record;
    expect(rejected.attributes['support.ticket.category']).toBe(EMAIL);
    expect(rejected.attributes['rp.caller']).toBe(PHONE);
    const quarantined = { attributes: redactForQuarantine(rejected.attributes), resource: redactForQuarantine(rejected.resource) };
    expect(quarantined.attributes['user.id']).toBe(EMAIL);
    expect(JSON.stringify(quarantined)).not.toMatch(/@example\.com|4155550123/);
  });

  it('a rejection for another reason is redacted as well (unknown event, limits)', () => {
    const { rejections } = mapRecords(
      [
        record({ 'rp.caller': '+14155550123' }, { eventName: 'not.an.event' }),
        record({ 'rp.caller': 'alice@example.com' }, { limitViolation: 'too many' }),
      ],
      NOW,
    );
    expect(rejections.map((r) => r.reason)).toEqual(['unknown_event', 'limit_exceeded']);
    expect(rejections.map((r) => r.record.attributes['rp.caller'])).toEqual([PHONE, EMAIL]);
  });
});

describe('the operator log line', () => {
  it('counts replaced values per request, naming token and service, never a value', () => {
    const rows = mapRecords(
      [record({ ...ticket, 'rp.caller': '+14155550123', 'x.mail': 'alice@example.com' }), record({ ...ticket })],
      NOW,
      { tokenName: 'rp-prod' },
    ).rows;
    const line = contactDetailsLogLine(rows);
    expect(line).toMatch(/replaced 2 values .* in 1 of 2 stored records \(token 'rp-prod'; service 'rp'\)/);
    expect(line).not.toMatch(/example|4155550123/);
    expect(contactDetailsLogLine(rows.slice(1))).toBeUndefined();
  });
});
