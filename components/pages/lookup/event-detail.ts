/** Everything an event carries, as labelled rows for Lookup's detail (empty fields left out). */
import type { EventRow } from '@/lib/domain/event-rows';
import { fillUrlTemplate } from '@/lib/domain/url-templates';

export interface DetailRow {
  label: string;
  value: string;
  /** A link for the value (the trace viewer). */
  href?: string;
}

const flag = (value: boolean | null) => (value === null ? '—' : value ? '1' : '0');

/** The trace viewer's URL for a trace id, from TRACE_URL_TEMPLATE (`{traceId}` replaced); undefined without either. */
export function traceUrl(template: string | null, traceId: string): string | undefined {
  return fillUrlTemplate(template, '{traceId}', traceId);
}

export function eventDetailRows(event: EventRow, traceUrlTemplate: string | null): DetailRow[] {
  const flags = event.flags;
  const anyFlag = flags.up !== null || flags.uv !== null || flags.be !== null || flags.bs !== null;
  const rows: Array<DetailRow | null> = [
    { label: 'Time (UTC) / received', value: `${event.timestamp} / ${event.receivedAt}` },
    event.serviceName || event.serviceVersion || event.environment
      ? {
          label: 'Service, release, environment',
          value: [event.serviceName || '—', event.serviceVersion || '—', event.environment || '—'].join(' · '),
        }
      : null,
    event.ingestToken ? { label: 'Ingest token', value: event.ingestToken } : null,
    event.userId ? { label: 'User', value: event.userId } : null,
    event.sessionId ? { label: 'Session', value: event.sessionId } : null,
    event.flowId ? { label: 'Flow', value: event.flowId } : null,
    event.traceId
      ? {
          label: 'Trace / span',
          value: `${event.traceId}${event.spanId ? ` / ${event.spanId}` : ''}`,
          href: traceUrl(traceUrlTemplate, event.traceId),
        }
      : null,
    {
      label: 'Device',
      value:
        `${event.deviceClass || '—'} (from ${event.deviceClassSource || '—'}) · ${event.osName} ${event.osVersion} · ${event.browserName} ${event.browserVersion}`.trim(),
    },
    event.userAgent ? { label: 'User agent', value: event.userAgent } : null,
    event.ceremonyType || event.mediation
      ? { label: 'Ceremony type, mediation', value: `${event.ceremonyType || '—'} · ${event.mediation || '—'}` }
      : null,
    event.promptOutcome ? { label: 'Prompt outcome', value: event.promptOutcome } : null,
    event.promptDurationMs !== null ? { label: 'Prompt duration', value: `${event.promptDurationMs} ms` } : null,
    event.errorType || event.clientFailureReason
      ? { label: 'Error type, client reason', value: `${event.errorType || '—'} · ${event.clientFailureReason || '—'}` }
      : null,
    event.result || event.failureReason
      ? { label: 'Result, server reason', value: `${event.result || '—'} · ${event.failureReason || '—'}` }
      : null,
    event.credentialId ? { label: 'Credential', value: event.credentialId } : null,
    event.aaguid || event.providerName
      ? { label: 'AAGUID, provider', value: `${event.aaguid || '—'} · ${event.providerName || '—'} (${event.providerKind || '—'})` }
      : null,
    anyFlag ? { label: 'Flags UP UV BE BS', value: [flags.up, flags.uv, flags.be, flags.bs].map(flag).join(' ') } : null,
    event.credentialKind || event.backedUp !== null
      ? { label: 'Credential kind, backed up', value: `${event.credentialKind || '—'} · ${flag(event.backedUp)}` }
      : null,
    event.signCountAnomaly !== null ? { label: 'Sign count anomaly', value: flag(event.signCountAnomaly) } : null,
    event.attestationFormat || event.authenticatorAttachment
      ? { label: 'Attestation, attachment', value: `${event.attestationFormat || '—'} · ${event.authenticatorAttachment || '—'}` }
      : null,
    event.transports.length > 0 ? { label: 'Transports', value: event.transports.join(', ') } : null,
    event.origin || event.rpId ? { label: 'Origin, RP ID', value: `${event.origin || '—'} · ${event.rpId || '—'}` } : null,
    event.authMethod || event.fallbackFrom || event.fallbackReason
      ? {
          label: 'Method, fallback from, reason',
          value: `${event.authMethod || '—'} · ${event.fallbackFrom || '—'} · ${event.fallbackReason || '—'}`,
        }
      : null,
    event.recoveryStage || event.recoveryMethod
      ? { label: 'Recovery stage, method', value: `${event.recoveryStage || '—'} · ${event.recoveryMethod || '—'}` }
      : null,
    event.ticketId ? { label: 'Ticket', value: `${event.ticketId} · ${event.ticketCategory || '—'} · ${event.ticketStage || '—'}` } : null,
    event.upsellOutcome ? { label: 'Upsell outcome', value: event.upsellOutcome } : null,
    event.credentialAction ? { label: 'Credential action', value: event.credentialAction } : null,
    event.featureFlagKey || event.featureFlagVariant
      ? { label: 'Feature flag, variant', value: `${event.featureFlagKey || '—'} · ${event.featureFlagVariant || '—'}` }
      : null,
    event.riskTier ? { label: 'Risk tier', value: event.riskTier } : null,
    event.surface ? { label: 'Surface', value: event.surface } : null,
    ...Object.entries(event.attributes)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, value]) => ({ label: `attribute ${key}`, value })),
    ...Object.entries(event.resourceAttributes)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, value]) => ({ label: `resource ${key}`, value })),
  ];
  return rows.filter((row): row is DetailRow => row !== null);
}
