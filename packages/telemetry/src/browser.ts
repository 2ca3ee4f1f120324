/**
 * Browser entry point of the ceremony telemetry SDK (no Node imports).
 *
 * Why the prompt tracker is careful: `passkey.prompt` must be emitted exactly once per
 * create()/get() call, even when the promise never settles (a watchdog reports `no_response`),
 * when the user leaves the page with the prompt open (`abandoned`, emitted on `pagehide` and
 * flushed in the same task), and when a newer prompt replaces it (`superseded`). An AbortError
 * counts as the relying party's (`aborted_by_rp`) only when the signal we handed to the call
 * fired; otherwise the browser aborted it (`aborted_by_browser`).
 *
 * Transport: OTLP/HTTP JSON to `${endpoint}/v1/logs` through a BatchLogRecordProcessor. The
 * exporter's browser build sends with `fetch(..., { keepalive: true })` while the pending
 * keepalive budget allows (64 KiB, 9 requests), so the batch flushed on page hide survives the
 * navigation; it does not use `navigator.sendBeacon` (which cannot carry the Authorization header).
 */
import { diag } from '@opentelemetry/api';
import {
  BatchLogRecordProcessor,
  LoggerProvider,
  type BatchLogRecordProcessorOptions,
  type LogRecordExporter,
} from '@opentelemetry/sdk-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MEDIATIONS } from './vocabulary.ts';
import { ATTR_BROWSER_BRANDS, ATTR_BROWSER_LANGUAGE, ATTR_BROWSER_MOBILE, ATTR_BROWSER_PLATFORM, ATTR_SERVICE_NAME } from './attributes.ts';
import { classifyClientError, simpleWebAuthnAbortKind } from './classify.ts';
import { createPasskeyTelemetry, type PasskeyTelemetry } from './core.ts';
import type { TelemetryAttributes } from './privacy.ts';
import type {
  CapabilitiesEvent,
  CeremonyType,
  ClientFailureReason,
  CommonAttributes,
  EventContext,
  FallbackEvent,
  Mediation,
  PromptOutcome,
  Surface,
  UpsellOutcome,
} from './types.ts';

export * from './index.ts';

/** Default watchdog: a modal prompt that has not settled after 5 minutes is reported `no_response`. */
export const DEFAULT_WATCHDOG_MS = 5 * 60_000;

// --- the host, injectable for tests ----------------------------------------------------------

export interface NavigatorLike {
  credentials?: Pick<CredentialsContainer, 'create' | 'get'>;
  userAgent?: string;
  language?: string;
  userAgentData?: {
    brands?: readonly { brand: string; version: string }[];
    mobile?: boolean;
    platform?: string;
  };
}

export interface PublicKeyCredentialLike {
  getClientCapabilities?: () => Promise<Record<string, boolean | undefined>>;
  isUserVerifyingPlatformAuthenticatorAvailable?: () => Promise<boolean>;
  isConditionalMediationAvailable?: () => Promise<boolean>;
}

export interface DocumentLike {
  readonly visibilityState: string;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

export interface WindowLike {
  navigator?: NavigatorLike;
  document?: DocumentLike;
  PublicKeyCredential?: PublicKeyCredentialLike;
  crypto?: { randomUUID?: () => string; getRandomValues?: <T extends Uint8Array>(array: T) => T };
  addEventListener(type: 'pagehide', listener: () => void): void;
  removeEventListener(type: 'pagehide', listener: () => void): void;
}

// --- options and API -------------------------------------------------------------------------

export interface BrowserTelemetryOptions {
  /** Base URL of the product (like OTEL_EXPORTER_OTLP_ENDPOINT); records go to `${endpoint}/v1/logs`. */
  endpoint?: string;
  /** Ingest token, sent as `Authorization: Bearer <token>`. */
  token?: string;
  serviceName: string;
  /** Extra resource attributes (`service.version`, …). */
  resourceAttributes?: Record<string, string>;
  common?: CommonAttributes;
  /** Replaces the OTLP exporter (tests, or a custom transport). */
  exporter?: LogRecordExporter;
  /** Batch tuning (defaults: 1 s delay, 512 per export). */
  batch?: Pick<BatchLogRecordProcessorOptions, 'scheduledDelayMillis' | 'maxExportBatchSize' | 'maxQueueSize' | 'exportTimeoutMillis'>;
  /** Default watchdog for modal prompts; conditional (autofill) prompts have none unless a call sets one. */
  watchdogMs?: number;
  /** Add `user_agent.original` and the low-entropy client hints (`browser.*`) to every event. Default true. */
  describeBrowser?: boolean;
  strictPrivacy?: boolean;
  /** The host page; defaults to `globalThis`. */
  window?: WindowLike;
  /** Defaults to `window.navigator`. */
  navigator?: NavigatorLike;
}

export interface PromptOptions {
  surface: Surface;
  flowId?: string;
  /** Use your own id (e.g. to know it even when the prompt fails); default `crypto.randomUUID()`. */
  ceremonyId?: string;
  /** Your AbortSignal: an abort through it is recorded as `aborted_by_rp`. */
  signal?: AbortSignal;
  /** Override the watchdog for this call (0 disables it). */
  watchdogMs?: number;
  /** For the callback form: the mediation the callback uses (`conditional` for autofill). Default `optional`. */
  mediation?: Mediation;
  /** Extra per-event context (user, session, risk tier…). */
  context?: EventContext;
}

export interface TrackedPrompt<T> {
  result: T;
  /** Send it with the response to the server, which passes it to `verifyRegistration/Authentication`. */
  ceremonyId: string;
}

/** `navigator.credentials.create()` options, including `mediation` (conditional create). */
export type PasskeyCreationOptions = CredentialCreationOptions & { mediation?: CredentialMediationRequirement };

export type PerformCeremony<T> = (signal: AbortSignal) => Promise<T>;

export interface BrowserTelemetry extends PasskeyTelemetry {
  readonly loggerProvider: LoggerProvider;
  /** Wrap `navigator.credentials.create(options)`, or a callback such as `() => startRegistration(...)`. */
  trackCreate(options: PasskeyCreationOptions, prompt: PromptOptions): Promise<TrackedPrompt<Credential | null>>;
  trackCreate<T>(perform: PerformCeremony<T>, prompt: PromptOptions): Promise<TrackedPrompt<T>>;
  /** Wrap `navigator.credentials.get(options)`, or a callback such as `() => startAuthentication(...)`. */
  trackGet(options: CredentialRequestOptions, prompt: PromptOptions): Promise<TrackedPrompt<Credential | null>>;
  trackGet<T>(perform: PerformCeremony<T>, prompt: PromptOptions): Promise<TrackedPrompt<T>>;
  /** Emits `passkey.client.capabilities` once per page (later calls return the same report). */
  reportCapabilities(ctx?: EventContext): Promise<CapabilitiesEvent>;
  trackUpsell(outcome: UpsellOutcome, ctx?: EventContext): void;
  trackFallback(event: FallbackEvent, ctx?: EventContext): void;
  newCeremonyId(): string;
}

// --- implementation --------------------------------------------------------------------------

interface PendingPrompt {
  finish(outcome: Exclude<PromptOutcome, 'success' | 'error'>): void;
  controller: AbortController;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function isMediation(value: unknown): value is Mediation {
  return typeof value === 'string' && (MEDIATIONS as readonly string[]).includes(value);
}

function uuidFrom(host: WindowLike | undefined): string {
  const crypto = host?.crypto ?? (globalThis as { crypto?: WindowLike['crypto'] }).crypto;
  if (crypto?.randomUUID) return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  if (crypto?.getRandomValues) crypto.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function browserDescription(nav: NavigatorLike | undefined): { userAgent?: string; attributes: TelemetryAttributes } {
  const hints = nav?.userAgentData;
  return {
    userAgent: nav?.userAgent || undefined,
    attributes: {
      [ATTR_BROWSER_BRANDS]: hints?.brands?.map((b) => `${b.brand} ${b.version}`),
      [ATTR_BROWSER_MOBILE]: hints?.mobile,
      [ATTR_BROWSER_PLATFORM]: hints?.platform || undefined,
      [ATTR_BROWSER_LANGUAGE]: nav?.language || undefined,
    },
  };
}

export function createBrowserTelemetry(options: BrowserTelemetryOptions): BrowserTelemetry {
  const host = options.window ?? (typeof window !== 'undefined' ? (window as unknown as WindowLike) : undefined);
  const nav = options.navigator ?? host?.navigator;

  let exporter = options.exporter;
  if (!exporter) {
    if (!options.endpoint) throw new TypeError('createBrowserTelemetry: pass `endpoint` (the product base URL) or `exporter`');
    exporter = new OTLPLogExporter({
      url: `${trimSlash(options.endpoint)}/v1/logs`,
      headers: options.token ? { Authorization: `Bearer ${options.token}` } : {},
    });
  }
  const loggerProvider = new LoggerProvider({
    resource: resourceFromAttributes({ ...options.resourceAttributes, [ATTR_SERVICE_NAME]: options.serviceName }),
    processors: [
      // We flush on page hide ourselves (below), on the injected window, after recording abandoned prompts.
      new BatchLogRecordProcessor({ ...options.batch, exporter, disableAutoFlushOnDocumentHide: true }),
    ],
  });

  const described = options.describeBrowser === false ? undefined : browserDescription(nav);
  const common: CommonAttributes = {
    userAgent: described?.userAgent,
    ...options.common,
    attributes: { ...described?.attributes, ...options.common?.attributes },
  };
  const core = createPasskeyTelemetry({ loggerProvider, common, strictPrivacy: options.strictPrivacy });

  let pending: PendingPrompt | undefined;
  let capabilities: Promise<CapabilitiesEvent> | undefined;

  function flush(): void {
    loggerProvider.forceFlush().catch((error: unknown) => diag.warn(`passkey telemetry: flush failed: ${String(error)}`));
  }
  const onPageHide = () => {
    pending?.finish('abandoned');
    flush();
  };
  const onVisibilityChange = () => {
    if (host?.document?.visibilityState === 'hidden') flush();
  };
  host?.addEventListener('pagehide', onPageHide);
  host?.document?.addEventListener('visibilitychange', onVisibilityChange);

  function track<T>(
    ceremonyType: CeremonyType,
    perform: PerformCeremony<T>,
    mediation: Mediation | undefined,
    prompt: PromptOptions,
    optionsSignal?: AbortSignal | null,
  ): Promise<TrackedPrompt<T>> {
    const ceremonyId = prompt.ceremonyId ?? uuidFrom(host);
    const ctx: EventContext = { ...prompt.context, surface: prompt.surface, flowId: prompt.flowId ?? prompt.context?.flowId };
    const startedAt = Date.now();

    // A newer prompt replaces the pending one: record it as superseded, then abort it.
    const previous = pending;
    if (previous) {
      previous.finish('superseded');
      previous.controller.abort(new DOMException('Superseded by a newer passkey prompt', 'AbortError'));
    }

    // Our signal: aborted by the caller's signal(s), or by us when superseded.
    const controller = new AbortController();
    for (const callerSignal of [prompt.signal, optionsSignal]) {
      if (!callerSignal) continue;
      if (callerSignal.aborted) controller.abort(callerSignal.reason);
      else callerSignal.addEventListener('abort', () => controller.abort(callerSignal.reason), { once: true });
    }

    let done = false;
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const record = (outcome: PromptOutcome, failure?: { errorType: string; reason: ClientFailureReason }) => {
      if (done) return;
      done = true;
      if (watchdog !== undefined) clearTimeout(watchdog);
      if (pending === entry) pending = undefined;
      core.recordPrompt(
        {
          ceremonyType,
          ceremonyId,
          mediation,
          outcome,
          durationMs: Date.now() - startedAt,
          errorType: failure?.errorType,
          failureReason: failure?.reason,
        },
        ctx,
      );
    };
    const entry: PendingPrompt = { finish: (outcome) => record(outcome), controller };
    pending = entry;

    const watchdogMs = prompt.watchdogMs ?? (mediation === 'conditional' ? 0 : (options.watchdogMs ?? DEFAULT_WATCHDOG_MS));
    if (watchdogMs > 0) watchdog = setTimeout(() => record('no_response'), watchdogMs);

    let call: Promise<T>;
    try {
      call = Promise.resolve(perform(controller.signal));
    } catch (error) {
      call = Promise.reject(error);
    }
    return call.then(
      (result) => {
        if (result === null) record('error', { errorType: 'unknown', reason: 'other' });
        else record('success');
        return { result, ceremonyId };
      },
      (error: unknown) => {
        const abortedByUs = controller.signal.aborted;
        if (simpleWebAuthnAbortKind(error) === 'superseded') record('superseded');
        else if (abortedByUs && error === controller.signal.reason && !(error instanceof Error && error.name === 'AbortError')) {
          // Aborted with a custom reason: the call rejects with that reason itself.
          record('error', { errorType: 'AbortError', reason: 'aborted_by_rp' });
        } else record('error', classifyClientError(error, { ceremonyType, abortedByUs }));
        throw error;
      },
    );
  }

  function credentials(): Pick<CredentialsContainer, 'create' | 'get'> {
    const container = nav?.credentials;
    if (!container) throw new TypeError('navigator.credentials is not available (WebAuthn needs a secure context)');
    return container;
  }

  function trackCreate<T>(
    input: PasskeyCreationOptions | PerformCeremony<T>,
    prompt: PromptOptions,
  ): Promise<TrackedPrompt<T | Credential | null>> {
    if (typeof input === 'function') return track('registration', input, prompt.mediation ?? 'optional', prompt);
    const mediation = isMediation(input.mediation) ? input.mediation : 'optional';
    return track('registration', (signal) => credentials().create({ ...input, signal }), mediation, prompt, input.signal);
  }

  function trackGet<T>(
    input: CredentialRequestOptions | PerformCeremony<T>,
    prompt: PromptOptions,
  ): Promise<TrackedPrompt<T | Credential | null>> {
    if (typeof input === 'function') return track('authentication', input, prompt.mediation ?? 'optional', prompt);
    const mediation = isMediation(input.mediation) ? input.mediation : 'optional';
    return track('authentication', (signal) => credentials().get({ ...input, signal }), mediation, prompt, input.signal);
  }

  async function detectCapabilities(ctx: EventContext | undefined): Promise<CapabilitiesEvent> {
    const pkc = host?.PublicKeyCredential;
    const apiAvailable = pkc !== undefined && typeof nav?.credentials?.create === 'function';
    let reported: Record<string, boolean | undefined> | undefined;
    if (pkc && typeof pkc.getClientCapabilities === 'function') {
      try {
        reported = await pkc.getClientCapabilities();
      } catch (error) {
        diag.debug(`passkey telemetry: getClientCapabilities failed: ${String(error)}`);
      }
    }
    const supported: string[] = [];
    const unsupported: string[] = [];
    for (const [name, value] of Object.entries(reported ?? {})) {
      if (value === true) supported.push(name);
      else if (value === false) unsupported.push(name);
    }
    const legacy = async (method: (() => Promise<boolean>) | undefined): Promise<boolean | undefined> => {
      if (typeof method !== 'function') return undefined;
      try {
        return await method.call(pkc);
      } catch {
        return undefined;
      }
    };
    const fromCapabilities = (name: string) => (typeof reported?.[name] === 'boolean' ? reported[name] : undefined);
    const uvpaa =
      fromCapabilities('userVerifyingPlatformAuthenticator') ?? (await legacy(pkc?.isUserVerifyingPlatformAuthenticatorAvailable));
    const conditionalGet = fromCapabilities('conditionalGet') ?? (await legacy(pkc?.isConditionalMediationAvailable));
    const hasLegacy =
      typeof pkc?.isUserVerifyingPlatformAuthenticatorAvailable === 'function' ||
      typeof pkc?.isConditionalMediationAvailable === 'function';
    const event: CapabilitiesEvent = {
      apiAvailable,
      uvpaa,
      conditionalGet,
      supported: reported ? supported : undefined,
      unsupported: reported ? unsupported : undefined,
      source: reported ? 'get_client_capabilities' : hasLegacy ? 'legacy' : 'none',
    };
    core.recordCapabilities(event, ctx);
    return event;
  }

  return {
    ...core,
    loggerProvider,
    trackCreate: trackCreate as BrowserTelemetry['trackCreate'],
    trackGet: trackGet as BrowserTelemetry['trackGet'],
    reportCapabilities(ctx) {
      capabilities ??= detectCapabilities(ctx);
      return capabilities;
    },
    trackUpsell(outcome, ctx) {
      core.recordUpsell({ outcome }, ctx);
    },
    trackFallback(event, ctx) {
      core.recordFallback(event, ctx);
    },
    newCeremonyId: () => uuidFrom(host),
    forceFlush: () => loggerProvider.forceFlush(),
    async shutdown() {
      host?.removeEventListener('pagehide', onPageHide);
      host?.document?.removeEventListener('visibilitychange', onVisibilityChange);
      await loggerProvider.shutdown();
    },
  };
}
