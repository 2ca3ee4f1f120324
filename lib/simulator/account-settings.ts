/**
 * What a signed-in session may lead to on the account side: the post-sign-in upsell, adding a
 * passkey from the settings page, deleting one (by the user or an admin), removing the password,
 * a step-up with a security key, tidying up after a lost phone — and the hardware keys high-risk
 * accounts enrol early.
 */
import { authenticate, register } from './ceremonies';
import { SECURITY_KEYS } from './catalog';
import { DAY, HOUR, SECOND, type Journey, type SessionState, type SimCredential } from './journey';
import type { Adoption, SimDevice } from './population';
import { stageAt } from './rollout';
import { maybeTicket } from './support-tickets';

const UPSELL_ACCEPTANCE: Readonly<Record<Adoption, number>> = { eager: 0.8, open: 0.52, reluctant: 0.18, never: 0.02 };
/** Chance per session that a user without a passkey adds one from the settings page. */
const SETTINGS_REGISTRATION: Readonly<Record<Adoption, number>> = { eager: 0.2, open: 0.012, reluctant: 0.003, never: 0 };

export function maybeUpsell(j: Journey, at: number, state: SessionState): number {
  const { device } = state;
  const eligible =
    device.apiAvailable && device.uvpaa && j.usableOn(device, at).length === 0 && at - j.lastUpsellAt > 14 * DAY && j.upsellDismissals < 3;
  if (!eligible) return at;
  j.lastUpsellAt = at;
  const flowId = j.id('flw');
  const ctx = (when: number) => j.ctx(device, when, { sessionId: state.sessionId, flowId, surface: 'post_sign_in_upsell' });
  j.events.push({ kind: 'upsell', source: 'web', ctx: ctx(at), event: { outcome: 'shown' } });
  const holderBonus = j.live(at).length > 0 ? 0.25 : 0;
  const decided = at + j.rng.logNormal(4_000, 0.6);
  if (!j.rng.chance(UPSELL_ACCEPTANCE[j.profile.adoption] + holderBonus)) {
    j.upsellDismissals += 1;
    j.events.push({ kind: 'upsell', source: 'web', ctx: ctx(decided), event: { outcome: 'dismissed' } });
    return decided;
  }
  j.events.push({ kind: 'upsell', source: 'web', ctx: ctx(decided), event: { outcome: 'accepted' } });
  return register(j, decided + SECOND, state, 'post_sign_in_upsell').at;
}

export function maybeSettingsRegistration(j: Journey, at: number, state: SessionState): number {
  const { device } = state;
  const holder = j.live(at).length > 0;
  const usableHere = j.usableOn(device, at).length > 0;
  let rate: number;
  if (!holder) rate = SETTINGS_REGISTRATION[j.profile.adoption] * (state.stage === 1 ? 1 : 0.5);
  else if (!usableHere)
    rate = j.profile.adoption === 'eager' ? 0.3 : 0.12; // add this laptop too
  else rate = 0.0003; // re-registering where a passkey already exists → credential_excluded
  if (!j.rng.chance(rate)) return at;
  return register(j, at + j.rng.between(5, 60) * SECOND, state, 'account_settings').at;
}

export function maybeDeleteCredential(j: Journey, at: number, state: SessionState): number {
  const live = j.live(at);
  if (live.length === 0 || !j.rng.chance(live.length > 1 ? 0.005 : 0.0015)) return at;
  // Tidying up: usually a password-manager passkey or a second one.
  const victim = live.find((c) => c.provider.reach === 'installed_manager') ?? j.rng.pick(live);
  return deleteCredential(j, at + j.rng.between(10, 90) * SECOND, state.device, victim, 'deleted_by_user', state.sessionId);
}

function deleteCredential(
  j: Journey,
  at: number,
  device: SimDevice,
  credential: SimCredential,
  action: 'deleted_by_user' | 'deleted_by_admin',
  sessionId?: string,
): number {
  credential.deletedAt = at;
  // Deleting it from the account does not delete it from the authenticator, which keeps offering it.
  credential.staleOnDevice = action === 'deleted_by_user' && j.rng.chance(0.6);
  j.events.push({
    kind: 'lifecycle',
    source: 'api',
    ctx: j.userCtx(device, at, { sessionId, surface: 'account_settings' }),
    event: { action, credentialId: credential.id, flags: { be: credential.provider.synced, bs: credential.backedUp } },
  });
  return at;
}

export function maybeRemovePassword(j: Journey, at: number, state: SessionState): void {
  if (j.passwordRemovedAt !== undefined) return;
  if (!j.rng.chance(j.profile.prefersPassword ? 0.003 : j.profile.adoption === 'eager' ? 0.08 : 0.03)) return;
  j.passwordRemovedAt = at;
  j.events.push({
    kind: 'passwordRemoved',
    source: 'api',
    ctx: j.userCtx(state.device, at + 20 * SECOND, { sessionId: state.sessionId, surface: 'account_settings' }),
  });
}

export function stepUp(j: Journey, at: number, state: SessionState): number {
  const key = j.usableOn(state.device, at).find((c) => c.provider.reach === 'security_key');
  if (!key) return at;
  const outcome = authenticate(j, at, state, j.id('flw'), key, { surface: 'step_up', mediation: 'required', ceremonyId: j.rng.uuid() });
  return outcome.at + j.rng.between(2, 10) * SECOND;
}

/** The first session after losing a phone: a ticket, and the old device's passkeys tidied up. */
export function afterLostDevice(j: Journey, at: number, state: SessionState): number {
  const lost = j.profile.lostDevice;
  if (!lost || j.lostDeviceHandled || at < lost.at) return at;
  j.lostDeviceHandled = true;
  const holder = j.live(lost.at).length > 0;
  maybeTicket(j, lost.at + j.rng.between(1, 30) * HOUR, 'lost_device', holder ? 0.3 : 0.05);
  for (const credential of j.live(at)) {
    if (credential.deviceKey === lost.deviceKey && credential.provider.reach === 'this_device' && j.rng.chance(0.6)) {
      at = deleteCredential(j, at + j.rng.between(10, 60) * SECOND, state.device, credential, 'deleted_by_user', state.sessionId);
    }
  }
  return at;
}

/** High-risk accounts (admins, finance) enrol attested hardware keys early; most keep a spare. */
export function enrolHighRiskKeys(j: Journey): void {
  const highRisk = j.profile.highRisk;
  if (!highRisk) return;
  const span = j.window.end - j.window.start;
  let at = j.window.start + j.rng.between(0.005, 0.15) * span;
  const device = j.profile.devices[0] as SimDevice;
  const state: SessionState = { device, stage: stageAt(j.window, at), sessionId: j.id('ses') };
  if (highRisk.setup === 'synced_only') {
    register(j, at, state, 'account_settings', device.model.os === 'macos' ? 'icloud' : 'googlePasswordManager');
    return;
  }
  const keys = highRisk.setup === 'two_keys' ? 2 : 1;
  let enrolled = 0;
  for (let attempt = 0; attempt < 6 && enrolled < keys; attempt++) {
    const result = register(j, at, state, 'account_settings', j.rng.weighted(SECURITY_KEYS));
    if (result.credential) enrolled += 1;
    at = result.at + j.rng.between(0.2, 72) * HOUR;
  }
  // Occasionally a key is lost: the admin revokes it and a replacement is enrolled.
  const keysHeld = j.live(at).filter((c) => c.provider.reach === 'security_key');
  if (keysHeld.length > 0 && j.rng.chance(0.08)) {
    const lostAt = at + j.rng.between(0.2, 0.6) * (j.window.end - at);
    deleteCredential(j, lostAt, device, keysHeld[0] as SimCredential, 'deleted_by_admin');
    register(
      j,
      lostAt + j.rng.between(1, 4) * DAY,
      { ...state, stage: stageAt(j.window, lostAt) },
      'account_settings',
      j.rng.weighted(SECURITY_KEYS),
    );
  }
}
