/** Lookup's event detail: every field an event carries, empty ones left out, the trace linked through TRACE_URL_TEMPLATE. */
import { describe, expect, it } from 'vitest';
import { eventDetailRows, traceUrl } from '@/components/pages/lookup/event-detail';
import type { EventRow } from '@/lib/domain/event-rows';
import { parseEnv } from '@/lib/env';

const blank: EventRow = {
  timestamp: '2026-11-02T10:00:00.000Z',
  eventName: 'passkey.registration',
  userId: '',
  sessionId: '',
  flowId: '',
  ceremonyId: '',
  traceId: '',
  spanId: '',
  serviceName: '',
  riskTier: '',
  surface: '',
  deviceClass: '',
  deviceClassSource: '',
  browserName: '',
  browserVersion: '',
  osName: '',
  osVersion: '',
  ceremonyType: '',
  mediation: '',
  promptOutcome: '',
  promptDurationMs: null,
  errorType: '',
  clientFailureReason: '',
  result: '',
  failureReason: '',
  credentialId: '',
  aaguid: '',
  flags: { up: null, uv: null, be: null, bs: null },
  signCountAnomaly: null,
  attestationFormat: '',
  authenticatorAttachment: '',
  transports: [],
  rpId: '',
  origin: '',
  credentialKind: '',
  backedUp: null,
  providerName: '',
  providerKind: '',
  credentialAction: '',
  authMethod: '',
  fallbackFrom: '',
  fallbackReason: '',
  recoveryStage: '',
  recoveryMethod: '',
  ticketId: '',
  ticketCategory: '',
  ticketStage: '',
  upsellOutcome: '',
  featureFlagKey: '',
  featureFlagVariant: '',
  userAgent: '',
  environment: '',
  serviceVersion: '',
  receivedAt: '2026-11-02T10:00:01.000Z',
  ingestToken: '',
  attributes: {},
  resourceAttributes: {},
};

describe('eventDetailRows', () => {
  it('shows the flags, AAGUID and provider, origin and RP ID, transports, user agent and every attribute', () => {
    const rows = eventDetailRows(
      {
        ...blank,
        credentialId: 'cred-1',
        aaguid: 'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4',
        providerName: 'Google Password Manager',
        providerKind: 'synced',
        flags: { up: true, uv: true, be: true, bs: false },
        origin: 'https://shop.example',
        rpId: 'shop.example',
        transports: ['internal', 'hybrid'],
        userAgent: 'Mozilla/5.0 (Linux; Android 14)',
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        ingestToken: 'backend',
        attributes: { 'app.build': '1234' },
        resourceAttributes: { 'service.name': 'checkout' },
      },
      'https://jaeger.example/trace/{traceId}',
    );
    const byLabel = Object.fromEntries(rows.map((row) => [row.label, row]));
    expect(byLabel['Flags UP UV BE BS']?.value).toBe('1 1 1 0');
    expect(byLabel['AAGUID, provider']?.value).toBe('ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4 · Google Password Manager (synced)');
    expect(byLabel['Origin, RP ID']?.value).toBe('https://shop.example · shop.example');
    expect(byLabel['Transports']?.value).toBe('internal, hybrid');
    expect(byLabel['User agent']?.value).toBe('Mozilla/5.0 (Linux; Android 14)');
    expect(byLabel['Ingest token']?.value).toBe('backend');
    expect(byLabel['attribute app.build']?.value).toBe('1234');
    expect(byLabel['resource service.name']?.value).toBe('checkout');
    expect(byLabel['Trace / span']?.href).toBe('https://jaeger.example/trace/4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('leaves out what the event does not carry', () => {
    const labels = eventDetailRows(blank, null).map((row) => row.label);
    expect(labels).toEqual(['Time (UTC) / received', 'Device']);
  });
});

describe('TRACE_URL_TEMPLATE', () => {
  it('is an http(s) URL with {traceId}, and links nothing when unset', () => {
    expect(parseEnv({ TRACE_URL_TEMPLATE: 'https://tempo.example/explore?traceId={traceId}' }).TRACE_URL_TEMPLATE).toBe(
      'https://tempo.example/explore?traceId={traceId}',
    );
    expect(() => parseEnv({ TRACE_URL_TEMPLATE: 'https://tempo.example/explore' })).toThrow(/\{traceId\}/);
    expect(() => parseEnv({ TRACE_URL_TEMPLATE: 'javascript:alert(1)//{traceId}' })).toThrow(/http/);
    expect(parseEnv({}).TRACE_URL_TEMPLATE).toBeUndefined();
    expect(traceUrl(null, 'abc')).toBeUndefined();
    expect(traceUrl('https://x.example/{traceId}', '')).toBeUndefined();
    expect(traceUrl('https://x.example/{traceId}', 'a/b')).toBe('https://x.example/a%2Fb');
  });
});
