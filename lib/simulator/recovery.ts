/**
 * Account recovery: which method a user recovers with (holders of a passkey have more options than
 * non-holders; high-risk accounts use hardware keys and recovery codes), how it ends, and what
 * follows — a ticket after a failure, a retry, or a passkey set up once the user is back in.
 */
import type { RecoveryMethod } from '@passkey-rollout/telemetry';
import { register } from './ceremonies';
import { HOUR, MINUTE, SECOND, type Journey, type RecoveryOptions, type SessionState } from './journey';
import type { SimDevice } from './population';
import type { Weighted } from './random';
import { stageAt } from './rollout';
import { maybeTicket } from './support-tickets';

const HOLDER_RECOVERY: Weighted<RecoveryMethod> = [
  ['other_bound_authenticator', 0.22],
  ['saved_recovery_code', 0.16],
  ['email_code', 0.24],
  ['email_magic_link', 0.12],
  ['sms_code', 0.14],
  ['identity_reproofing', 0.07],
  ['support_agent_override', 0.05],
];
const NON_HOLDER_RECOVERY: Weighted<RecoveryMethod> = [
  ['email_magic_link', 0.45],
  ['email_code', 0.25],
  ['sms_code', 0.24],
  ['support_agent_override', 0.04],
  ['identity_reproofing', 0.02],
];

function recoveryMethod(j: Journey, at: number): RecoveryMethod {
  const p = j.profile;
  if (p.highRisk) {
    const keys = j.live(at).filter((c) => c.provider.reach === 'security_key').length;
    return j.rng.weighted<RecoveryMethod>([
      ['hardware_key', keys >= 2 ? 0.6 : 0],
      ['saved_recovery_code', 0.3],
      ['identity_reproofing', 0.1],
    ]);
  }
  return j.rng.weighted(j.live(at).length > 0 ? HOLDER_RECOVERY : NON_HOLDER_RECOVERY);
}

export function recovery(j: Journey, t: number, device: SimDevice, options: RecoveryOptions = {}): void {
  const cause = options.cause ?? 'other';
  const flowId = j.id('flw');
  const sessionId = j.id('ses');
  const method = options.method ?? recoveryMethod(j, t);
  const ctx = (when: number) => j.userCtx(device, when, { sessionId, flowId, surface: 'recovery' });
  j.events.push({ kind: 'recovery', source: 'api', ctx: ctx(t), event: { stage: 'started', method } });
  const end =
    options.end ??
    j.rng.weighted<'completed' | 'failed' | 'abandoned'>([
      ['completed', 0.8],
      ['failed', 0.1],
      ['abandoned', 0.1],
    ]);
  const endAt = t + j.rng.logNormal(end === 'abandoned' ? 20 * MINUTE : 6 * MINUTE, 0.7);
  j.events.push({ kind: 'recovery', source: 'api', ctx: ctx(endAt), event: { stage: end, method } });
  if (end === 'failed') {
    maybeTicket(j, endAt, 'recovery', 0.5);
    if (j.rng.chance(0.5)) recovery(j, endAt + j.rng.between(1, 20) * HOUR, device, { cause });
    return;
  }
  if (end === 'abandoned') {
    maybeTicket(j, endAt, 'account_access', 0.02);
    return;
  }
  // Back in: a locked-out passwordless user (or anyone on a capable device, sometimes) sets up a passkey here.
  const state: SessionState = { device, sessionId, stage: stageAt(j.window, endAt) };
  const usableHere = j.usableOn(device, endAt).length > 0;
  if (!usableHere && device.apiAvailable && j.rng.chance(cause === 'locked_out' ? 0.8 : 0.15)) {
    register(j, endAt + j.rng.between(10, 60) * SECOND, state, 'recovery');
  }
}
