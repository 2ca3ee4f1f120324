/** The real OpenTelemetry JS SDK as a test client: a LoggerProvider exporting over OTLP/HTTP. */
import { OTLPLogExporter as OTLPLogExporterJson } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OTLPLogExporterProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { SeverityNumber, type Attributes } from '@opentelemetry/api';

export type Protocol = 'proto' | 'json';

export function exportingLogger(options: {
  baseUrl: string;
  token: string;
  protocol: Protocol;
  serviceName?: string;
  compression?: 'gzip' | 'none';
}) {
  const config = {
    url: `${options.baseUrl}/v1/logs`,
    headers: { Authorization: `Bearer ${options.token}` },
    ...(options.compression ? { compression: options.compression as never } : {}),
  };
  const exporter = options.protocol === 'proto' ? new OTLPLogExporterProto(config) : new OTLPLogExporterJson(config);
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName ?? 'otel-sdk-test', 'deployment.environment.name': 'test' }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('passkey-telemetry', '1.0.0');
  return {
    provider,
    emit(eventName: string, attributes: Attributes, timestamp: number = Date.now()) {
      logger.emit({ eventName, timestamp, severityNumber: SeverityNumber.INFO, severityText: 'INFO', attributes });
    },
    async flush() {
      await provider.forceFlush();
    },
    async shutdown() {
      await provider.shutdown();
    },
  };
}
