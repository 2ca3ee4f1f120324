/**
 * What the model produces: one SDK call each — the record method's event and its context — and
 * which side of the relying party would make it (`web`: the browser SDK, `api`: the server SDK).
 * Plain data, so the model stays pure and tests can inspect it before anything is emitted.
 */
import type {
  AuthenticationEvent,
  CapabilitiesEvent,
  CredentialLifecycleEvent,
  EventContext,
  FallbackEvent,
  FeatureFlagEvent,
  PromptEvent,
  RecoveryEvent,
  RegistrationEvent,
  SignInEvent,
  SupportTicketEvent,
  UpsellEvent,
  UserEventContext,
  PasskeyTelemetry,
} from '@passkey-rollout/telemetry';

export type SimSource = 'web' | 'api';

/** Every context carries a back-dated time. */
export type SimContext = EventContext & { timestamp: number };
export type SimUserContext = UserEventContext & { timestamp: number };

export type SimEvent =
  | { kind: 'capabilities'; source: 'web'; ctx: SimContext; event: CapabilitiesEvent }
  | { kind: 'prompt'; source: 'web'; ctx: SimContext; event: PromptEvent }
  | { kind: 'upsell'; source: 'web'; ctx: SimContext; event: UpsellEvent }
  | { kind: 'fallback'; source: SimSource; ctx: SimContext; event: FallbackEvent }
  | { kind: 'registration'; source: 'api'; ctx: SimContext; event: RegistrationEvent }
  | { kind: 'authentication'; source: 'api'; ctx: SimContext; event: AuthenticationEvent }
  | { kind: 'lifecycle'; source: 'api'; ctx: SimUserContext; event: CredentialLifecycleEvent }
  | { kind: 'signIn'; source: 'api'; ctx: SimContext; event: SignInEvent }
  | { kind: 'passwordRemoved'; source: 'api'; ctx: SimUserContext }
  | { kind: 'recovery'; source: 'api'; ctx: SimUserContext; event: RecoveryEvent }
  | { kind: 'ticket'; source: 'api'; ctx: SimUserContext; event: SupportTicketEvent }
  | { kind: 'featureFlag'; source: 'api'; ctx: SimContext; event: FeatureFlagEvent };

export type SimEventKind = SimEvent['kind'];

/** The telemetry instances the events go to: the browser side and the server side. */
export interface SimTelemetry {
  web: PasskeyTelemetry;
  api: PasskeyTelemetry;
}

/** Hands one simulated event to the SDK's matching record method. */
export function emitSimEvent(telemetry: SimTelemetry, sim: SimEvent): void {
  const target = sim.source === 'web' ? telemetry.web : telemetry.api;
  switch (sim.kind) {
    case 'capabilities':
      return target.recordCapabilities(sim.event, sim.ctx);
    case 'prompt':
      return target.recordPrompt(sim.event, sim.ctx);
    case 'upsell':
      return target.recordUpsell(sim.event, sim.ctx);
    case 'fallback':
      return target.recordFallback(sim.event, sim.ctx);
    case 'registration':
      return target.recordRegistration(sim.event, sim.ctx);
    case 'authentication':
      return target.recordAuthentication(sim.event, sim.ctx);
    case 'lifecycle':
      return target.recordCredentialLifecycle(sim.event, sim.ctx);
    case 'signIn':
      return target.recordSignIn(sim.event, sim.ctx);
    case 'passwordRemoved':
      return target.recordPasswordRemoved(sim.ctx);
    case 'recovery':
      return target.recordRecovery(sim.event, sim.ctx);
    case 'ticket':
      return target.recordSupportTicket(sim.event, sim.ctx);
    case 'featureFlag':
      return target.recordFeatureFlag(sim.event, sim.ctx);
  }
}

/** The event name each kind becomes on the wire. */
export const EVENT_NAME_OF_KIND = {
  capabilities: 'passkey.client.capabilities',
  prompt: 'passkey.prompt',
  upsell: 'passkey.upsell',
  fallback: 'auth.fallback',
  registration: 'passkey.registration',
  authentication: 'passkey.authentication',
  lifecycle: 'passkey.credential.lifecycle',
  signIn: 'auth.sign_in',
  passwordRemoved: 'auth.password.removed',
  recovery: 'account.recovery',
  ticket: 'support.ticket',
  featureFlag: 'feature_flag.evaluation',
} as const satisfies Record<SimEventKind, string>;
