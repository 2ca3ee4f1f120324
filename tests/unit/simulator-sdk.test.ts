/**
 * The simulated population, driven through the real SDK (`createServerTelemetry`, strict privacy)
 * into an in-memory exporter, serialized as OTLP/protobuf exactly as the OTLP exporter sends it,
 * decoded and mapped by the ingest: nothing is rejected, every event name arrives, and the derived
 * columns (device class, provider, credential kind) come out as the model meant them.
 */
import { describe, expect, it } from 'vitest';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { decodeProtobuf } from '@/ingest/decode';
import { storedEvent } from '@/ingest/columns';
import { mapRecords } from '@/ingest/to-rows';
import { emitSimEvent, simulatePopulation, type SimEvent } from '@/lib/simulator';
import { createServerTelemetry } from '@passkey-rollout/telemetry/server';
import { DEVICE_CLASSES, EVENT_NAMES } from '@/lib/vocabulary';

const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);

function telemetryInto(exporter: InMemoryLogRecordExporter, serviceName: string) {
  const loggerProvider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  return createServerTelemetry({ loggerProvider, strictPrivacy: true });
}

describe('simulated population through the SDK and the ingest mapping', () => {
  const exporter = new InMemoryLogRecordExporter();
  const telemetry = { web: telemetryInto(exporter, 'acme-web'), api: telemetryInto(exporter, 'acme-api') };
  const simulated: SimEvent[] = [];
  for (const chunk of simulatePopulation({ users: 200, days: 30, seed: 3, now: NOW }, 64)) {
    for (const user of chunk) {
      for (const event of user.events) {
        emitSimEvent(telemetry, event);
        simulated.push(event);
      }
    }
  }
  const records = exporter.getFinishedLogRecords();
  const decoded = decodeProtobuf(ProtobufLogsSerializer.serializeRequest([...records]) as Uint8Array);
  const { rows, rejections } = mapRecords(decoded, NOW + 60_000);
  const events = rows.map(storedEvent);

  it('emits one record per simulated event, back-dated to the event time', () => {
    expect(records).toHaveLength(simulated.length);
    expect(decoded).toHaveLength(simulated.length);
    const times = decoded.map((r) => r.timeMs).sort((a, b) => a - b);
    const expected = simulated.map((e) => e.ctx.timestamp).sort((a, b) => a - b);
    // Nanoseconds since the epoch exceed 2^53: the decoder's float conversion may lose the last millisecond.
    const off = times.filter((t, i) => Math.abs(t - (expected[i] ?? 0)) > 1);
    expect(off).toEqual([]);
  });

  it('passes the ingest validation: nothing rejected, every event name present', () => {
    expect(rejections.map((r) => `${r.eventName}: ${r.detail}`).slice(0, 5)).toEqual([]);
    expect(rows).toHaveLength(simulated.length);
    expect(new Set(events.map((e) => e.event_name))).toEqual(new Set(EVENT_NAMES));
  });

  it('derives every device class, known providers and credential kinds from what it sends', () => {
    const classes = new Set(events.map((e) => e.device_class));
    for (const c of DEVICE_CLASSES.filter((d) => d !== 'other')) expect(classes).toContain(c);
    expect(classes).not.toContain('other');
    const registrations = events.filter((e) => e.event_name === 'passkey.registration' && e.result === 'success');
    expect(registrations.length).toBeGreaterThan(30);
    for (const r of registrations) {
      expect(r.provider_name).not.toBe('unknown');
      expect(r.credential_kind).toBe(r.flag_be ? 'synced' : 'device_bound');
    }
    const services = new Set(decoded.map((r) => r.resource['service.name']));
    expect(services).toEqual(new Set(['acme-web', 'acme-api']));
  });

  it('puts the service side and the browser side on the right service, and no contact details anywhere', () => {
    const browserSide = new Set(['passkey.prompt', 'passkey.client.capabilities', 'passkey.upsell']);
    const serverSide = new Set(['passkey.registration', 'passkey.authentication', 'auth.sign_in', 'account.recovery', 'support.ticket']);
    const problems: string[] = [];
    for (const record of decoded) {
      const side = record.resource['service.name'];
      if (browserSide.has(record.eventName) && side !== 'acme-web') problems.push(`${record.eventName} from ${String(side)}`);
      if (serverSide.has(record.eventName) && side !== 'acme-api') problems.push(`${record.eventName} from ${String(side)}`);
      for (const [key, value] of Object.entries(record.attributes)) {
        if (/challenge|public.?key|client.?data|e.?mail|phone/i.test(key)) problems.push(`key ${key}`);
        if (JSON.stringify(value).includes('@')) problems.push(`${key} contains @`);
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });
});
