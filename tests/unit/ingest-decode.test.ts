import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { SeverityNumber } from '@opentelemetry/api';
import { OTLPLogExporter as OTLPLogExporterJson } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OTLPLogExporterProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { describe, expect, it } from 'vitest';
import { storedEvent } from '@/ingest/columns';
import { decodeJson, decodeProtobuf, DecodeError } from '@/ingest/decode';
import { ExportLogsServiceRequest } from '@/ingest/otlp-proto';
import { mapRecords } from '@/ingest/to-rows';

/** The project's own OTLP/JSON example: every AnyValue kind, int64 as number and as string, hex ids in capitals. */
const OWN_EXAMPLE = path.resolve(import.meta.dirname, '../fixtures/otlp/logs.json');
/** The OTLP specification's example (opentelemetry-proto examples/logs.json), read from ../shared beside the clone. */
const SPEC_EXAMPLE = path.resolve(import.meta.dirname, '../../../shared/otlp-examples/logs.json');
const HAS_SPEC_EXAMPLE = fs.existsSync(SPEC_EXAMPLE);

describe('OTLP/JSON decoding', () => {
  it("decodes the project's own example (tests/fixtures/otlp/logs.json)", () => {
    const records = decodeJson(fs.readFileSync(OWN_EXAMPLE, 'utf8'));
    expect(records).toHaveLength(2);
    const resource = { 'service.name': 'acme-web', 'deployment.environment.name': 'staging' };
    expect(records[0]).toEqual({
      index: 0,
      timeMs: 1793610900123,
      observedMs: 1793610900456,
      severityNumber: 9,
      severityText: 'INFO',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      body: 'passkey prompt finished',
      eventName: 'passkey.prompt',
      attributes: {
        'webauthn.ceremony.type': 'registration',
        'passkey.prompt.outcome': 'success',
        'passkey.prompt.duration_ms': 1834.5,
        'app.first_visit': true,
        'app.attempt': 2,
        'app.experiments': ['passkey-first', 'eu'],
        'app.page': { route: '/account/security' },
      },
      resource,
      scopeName: '@passkey-rollout/telemetry',
    });
    expect(records[1]).toMatchObject({
      index: 1,
      timeMs: 1793610901000,
      observedMs: 0,
      severityNumber: 13,
      eventName: '',
      traceId: '',
      attributes: { 'app.render_ms': 2400 },
      resource,
    });
  });

  it("maps the own example's ceremony record and rejects its plain log record", () => {
    const { rows, rejections } = mapRecords(decodeJson(fs.readFileSync(OWN_EXAMPLE, 'utf8')), Date.UTC(2026, 10, 3));
    expect(rows.map(storedEvent)).toMatchObject([
      {
        event_name: 'passkey.prompt',
        service_name: 'acme-web',
        environment: 'staging',
        prompt_duration_ms: 1834.5,
        attributes: {
          'app.first_visit': 'true',
          'app.attempt': '2',
          'app.experiments': '["passkey-first","eu"]',
          'app.page': '{"route":"/account/security"}',
        },
      },
    ]);
    expect(rejections.map((r) => [r.index, r.reason])).toEqual([[1, 'unknown_event']]);
  });

  it.skipIf(!HAS_SPEC_EXAMPLE)(
    `accepts the specification example (opentelemetry-proto examples/logs.json)${HAS_SPEC_EXAMPLE ? '' : ' — skipped: ../shared/otlp-examples/logs.json is not beside this clone'}`,
    () => {
      const records = decodeJson(fs.readFileSync(SPEC_EXAMPLE, 'utf8'));
      expect(records).toHaveLength(1);
      const [record] = records;
      expect(record).toMatchObject({
        timeMs: 1544712660300,
        observedMs: 1544712660300,
        severityText: 'Information',
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: 'eee19b7ec3c1b174',
        body: 'Example log record',
        resource: { 'service.name': 'my.service' },
        scopeName: 'my.library',
        eventName: '',
      });
      expect(record!.attributes).toEqual({
        'string.attribute': 'some string',
        'boolean.attribute': true,
        'int.attribute': 10,
        'double.attribute': 637.704,
        'array.attribute': ['many', 'values'],
        'map.attribute': { 'some.map.key': 'some value' },
      });
    },
  );

  it('takes int64 as string or number, enums as integers or names, and ignores unknown fields', () => {
    const body = {
      resourceLogs: [
        {
          futureField: { anything: 1 },
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'rp' } }], droppedAttributesCount: 0 },
          scopeLogs: [
            {
              scope: { name: 's', version: '1' },
              logRecords: [
                {
                  timeUnixNano: '1732550400123000000',
                  severityNumber: 9,
                  eventName: 'auth.sign_in',
                  attributes: [{ key: 'n', value: { intValue: '9007199254740993' } }],
                },
                {
                  timeUnixNano: 1732550400123000000,
                  severityNumber: 'SEVERITY_NUMBER_WARN',
                  attributes: [{ key: 'n', value: { intValue: 42 } }],
                  flags: 1,
                  newThing: true,
                },
                { time_unix_nano: '1732550400000000000', event_name: 'passkey.prompt', trace_id: 'ABCDEF0123456789ABCDEF0123456789' },
                {
                  attributes: [
                    { key: 'd', value: { doubleValue: 'NaN' } },
                    { key: 'b', value: { bytesValue: 'AQID' } },
                    { key: 'empty', value: {} },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const records = decodeJson(JSON.stringify(body));
    expect(records.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(records[0]).toMatchObject({
      timeMs: 1732550400123,
      severityNumber: 9,
      eventName: 'auth.sign_in',
      attributes: { n: '9007199254740993' },
    });
    expect(records[1]).toMatchObject({ timeMs: 1732550400123, severityNumber: 13, attributes: { n: 42 } });
    expect(records[2]).toMatchObject({ timeMs: 1732550400000, eventName: 'passkey.prompt', traceId: 'abcdef0123456789abcdef0123456789' });
    expect(records[3]!.attributes.d).toBeNaN();
    expect(records[3]!.attributes).toMatchObject({ b: 'AQID', empty: null });
    expect(records[3]!.timeMs).toBe(0);
  });

  it('accepts an empty request and empty containers', () => {
    expect(decodeJson('{}')).toEqual([]);
    expect(decodeJson('{"resourceLogs":[{"scopeLogs":[{}]}]}')).toEqual([]);
  });

  it.each([
    ['malformed JSON', '{"resourceLogs": ['],
    ['a JSON array', '[1,2]'],
    [
      'base64 trace id (OTLP/JSON ids are hex)',
      JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ traceId: 'W47/95gDgQPSabYzgT/GDA==' }] }] }] }),
    ],
    ['a non-numeric timestamp', JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: 'yesterday' }] }] }] })],
    [
      'an attribute without key',
      JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ attributes: [{ value: { stringValue: 'x' } }] }] }] }] }),
    ],
    ['a severity out of range', JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ severityNumber: 99 }] }] }] })],
  ])('rejects %s with a DecodeError naming the problem', (_name, text) => {
    expect(() => decodeJson(text)).toThrow(DecodeError);
  });
});

function encode(object: Record<string, unknown>): Uint8Array {
  return ExportLogsServiceRequest.encode(ExportLogsServiceRequest.fromObject(object)).finish();
}

describe('OTLP protobuf decoding', () => {
  const fixture = encode({
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'rp' } }] },
        scopeLogs: [
          {
            scope: { name: 'scope-a' },
            logRecords: [
              {
                timeUnixNano: '1732550400123456789',
                observedTimeUnixNano: '1732550401000000000',
                severityNumber: 9,
                severityText: 'INFO',
                eventName: 'passkey.authentication',
                traceId: Buffer.from('5b8efff798038103d269b633813fc60c', 'hex'),
                spanId: Buffer.from('eee19b7ec3c1b174', 'hex'),
                body: { stringValue: 'hello' },
                attributes: [
                  { key: 's', value: { stringValue: 'x' } },
                  { key: 'b', value: { boolValue: true } },
                  { key: 'i', value: { intValue: -5 } },
                  { key: 'big', value: { intValue: '9007199254740993' } },
                  { key: 'd', value: { doubleValue: 1.5 } },
                  { key: 'a', value: { arrayValue: { values: [{ stringValue: 'usb' }, { stringValue: 'nfc' }] } } },
                  { key: 'm', value: { kvlistValue: { values: [{ key: 'k', value: { intValue: 1 } }] } } },
                  { key: 'y', value: { bytesValue: Buffer.from([1, 2, 3]) } },
                ],
              },
            ],
          },
          { scope: { name: 'scope-b' }, logRecords: [{ eventName: 'auth.sign_in' }] },
        ],
      },
    ],
  });

  it('decodes every AnyValue kind, ids as hex and nanosecond times as milliseconds', () => {
    const records = decodeProtobuf(fixture);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      index: 0,
      timeMs: 1732550400123,
      observedMs: 1732550401000,
      severityNumber: 9,
      eventName: 'passkey.authentication',
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      body: 'hello',
      scopeName: 'scope-a',
      resource: { 'service.name': 'rp' },
      attributes: { s: 'x', b: true, i: -5, big: '9007199254740993', d: 1.5, a: ['usb', 'nfc'], m: { k: 1 }, y: 'AQID' },
    });
    expect(records[1]).toMatchObject({ index: 1, eventName: 'auth.sign_in', timeMs: 0, traceId: '', scopeName: 'scope-b' });
  });

  it('skips unknown fields, as the wire format requires', () => {
    // field 99 (varint) appended at the top level and field 50 (length-delimited) inside nothing
    const withUnknown = Buffer.concat([Buffer.from(fixture), Buffer.from([0x98, 0x06, 0x01])]);
    expect(decodeProtobuf(withUnknown)).toHaveLength(2);
  });

  it('decodes an empty body as an empty request', () => {
    expect(decodeProtobuf(new Uint8Array())).toEqual([]);
  });

  it('rejects a truncated message', () => {
    expect(() => decodeProtobuf(fixture.subarray(0, fixture.length - 7))).toThrow(DecodeError);
  });

  it('rejects random bytes', () => {
    let seed = 7;
    const random = Buffer.alloc(512, 0).map(() => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed & 0xff;
    });
    expect(() => decodeProtobuf(random)).toThrow(DecodeError);
  });
});

/** Captures what the real OpenTelemetry JS exporters put on the wire. */
async function captureExport(protocol: 'proto' | 'json'): Promise<{ body: Buffer; contentType: string }> {
  let captured: { body: Buffer; contentType: string } | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
      captured = { body, contentType: String(req.headers['content-type']) };
      res.writeHead(200, { 'content-type': String(req.headers['content-type']) });
      res.end(protocol === 'json' ? '{}' : Buffer.alloc(0));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/logs`;
  const exporter = protocol === 'proto' ? new OTLPLogExporterProto({ url }) : new OTLPLogExporterJson({ url });
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'captured-rp' }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  provider.getLogger('passkey').emit({
    eventName: 'passkey.prompt',
    timestamp: 1732550400123,
    severityNumber: SeverityNumber.INFO,
    attributes: {
      'webauthn.ceremony.type': 'authentication',
      'passkey.prompt.outcome': 'error',
      'passkey.prompt.duration_ms': 1234.5,
      'webauthn.transports': ['internal', 'hybrid'],
      'webauthn.flags.uv': true,
      'retry.count': 3,
    },
  });
  await provider.forceFlush();
  await provider.shutdown();
  server.close();
  if (!captured) throw new Error('the exporter sent nothing');
  return captured;
}

describe('payloads captured from the OpenTelemetry JS exporters', () => {
  it.each(['proto', 'json'] as const)('decodes the %s exporter payload', async (protocol) => {
    const { body, contentType } = await captureExport(protocol);
    expect(contentType).toBe(protocol === 'proto' ? 'application/x-protobuf' : 'application/json');
    const records = protocol === 'proto' ? decodeProtobuf(body) : decodeJson(body.toString('utf8'));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      eventName: 'passkey.prompt',
      timeMs: 1732550400123,
      severityNumber: 9,
      resource: { 'service.name': 'captured-rp' },
      scopeName: 'passkey',
      attributes: {
        'webauthn.ceremony.type': 'authentication',
        'passkey.prompt.outcome': 'error',
        'passkey.prompt.duration_ms': 1234.5,
        'webauthn.transports': ['internal', 'hybrid'],
        'webauthn.flags.uv': true,
        'retry.count': 3,
      },
    });
  });
});

describe('timestamps keep their exact millisecond', () => {
  it.each(['1732550400123000000', '1732550400999999999', '1795639761414000000'])('%s ns', (nanos) => {
    const expected = Number(BigInt(nanos) / 1_000_000n);
    const json = decodeJson(JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: nanos }] }] }] }));
    expect(json[0]!.timeMs).toBe(expected);
    const pb = decodeProtobuf(encode({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: nanos }] }] }] }));
    expect(pb[0]!.timeMs).toBe(expected);
  });
});
