/**
 * A hand-built rollout population for the stage-gate scenarios (DESIGN.md section 5), with the
 * model it was built from so tests derive every expected count by counting users, not by reading
 * the API. Built so that, over the last 28 days with the default criteria:
 *
 *   1 → 2 ready          registration succeeds in every class with ≥ 100 ceremonies, holders' sign-in
 *                        succeeds, holders recover less often than non-holders
 *   2 → 3 inconclusive   upsell acceptance 28 % of exactly 500 shown: above 25 % but its interval still
 *                        reaches below it — too little sample to tell (tickets: < 2,000 active users)
 *   3 → 4 not_ready      20 % of standard holders sign in only with a password: the fallback-reliant
 *                        share of holders is clearly above 10 %
 *   4 → 5 not_ready      every high-risk user holds two attested device-bound keys, but one of them
 *                        recovered the account by SMS code
 *
 * Everything happens in [now − 20 days, now − 1 hour), so the six previous windows are empty.
 */
import { randomUUID } from 'node:crypto';
import { otlpJson, type Scalar, type TestRecord } from './otlp';

const DAY = 86_400_000;
const MINUTE = 60_000;

export interface PopulationUser {
  userId: string;
  group: 'holder' | 'high_risk' | 'non_holder';
  deviceClass: string;
  riskTier: 'standard' | 'high';
  /** Successful registrations (credentials), all live. */
  credentials: number;
  /** Signs in only with a password although holding a passkey. */
  fallbackReliant: boolean;
  passkeySignIns: number;
  passwordSignIns: number;
  failedAuthentications: number;
  failedRegistrations: number;
  recoveries: Array<{ method: string }>;
  upsellsShown: number;
  upsellsAccepted: number;
  tickets: number;
}

export interface StageGatesPopulation {
  users: PopulationUser[];
  records: TestRecord[];
}

export const STANDARD_HOLDERS = 220;
export const HIGH_RISK_USERS = 80;
export const NON_HOLDERS = 100;
export const UPSELLS_PER_NON_HOLDER = 5;
export const UPSELLS_ACCEPTED = 140;
export const NON_HOLDER_RECOVERIES = 40;

function standardHolderClass(index: number): string {
  if (index < 150) return 'desktop-windows';
  if (index < 210) return 'mobile-ios';
  return 'tablet-android';
}

export function buildStageGatesPopulation(now: number, runId = randomUUID().slice(0, 8)): StageGatesPopulation {
  const start = now - 20 * DAY;
  const users: PopulationUser[] = [];
  const records: TestRecord[] = [];
  let clock = 0;
  /** Distinct, increasing timestamps inside a day range of the population. */
  const at = (dayOffset: number) => start + dayOffset * DAY + (clock++ % 600) * MINUTE;
  const id = (kind: string) => `${kind}-${runId}-${randomUUID().slice(0, 12)}`;

  const emit = (eventName: string, user: PopulationUser, timeMs: number, attributes: Record<string, Scalar>) => {
    records.push({
      eventName,
      timeMs,
      attributes: { 'user.id': user.userId, 'device.class': user.deviceClass, 'user.risk_tier': user.riskTier, ...attributes },
    });
  };

  for (let index = 0; index < STANDARD_HOLDERS; index++) {
    const fallbackReliant = index % 5 === 0;
    users.push({
      userId: `sg-${runId}-holder-${index}`,
      group: 'holder',
      deviceClass: standardHolderClass(index),
      riskTier: 'standard',
      credentials: index % 4 === 0 ? 1 : 2,
      fallbackReliant,
      passkeySignIns: fallbackReliant ? 0 : 3,
      passwordSignIns: fallbackReliant ? 1 : 0,
      // Four of the fallback-reliant holders tried their passkey and failed.
      failedAuthentications: fallbackReliant && index < 20 ? 1 : 0,
      failedRegistrations: 0,
      recoveries: [],
      upsellsShown: 0,
      upsellsAccepted: 0,
      tickets: fallbackReliant && index === 0 ? 1 : 0,
    });
  }
  for (let index = 0; index < HIGH_RISK_USERS; index++) {
    users.push({
      userId: `sg-${runId}-admin-${index}`,
      group: 'high_risk',
      deviceClass: 'desktop-macos',
      riskTier: 'high',
      credentials: 2,
      fallbackReliant: false,
      passkeySignIns: 2,
      passwordSignIns: 0,
      failedAuthentications: 0,
      failedRegistrations: 0,
      recoveries: index === 0 ? [{ method: 'sms_code' }] : [],
      upsellsShown: 0,
      upsellsAccepted: 0,
      tickets: 0,
    });
  }
  const failedRegistrationClasses = [
    'desktop-windows',
    'desktop-windows',
    'desktop-windows',
    'desktop-windows',
    'desktop-windows',
    'mobile-ios',
    'mobile-ios',
    'tablet-android',
    'tablet-android',
    'tablet-android',
  ];
  for (let index = 0; index < NON_HOLDERS; index++) {
    users.push({
      userId: `sg-${runId}-member-${index}`,
      group: 'non_holder',
      deviceClass: failedRegistrationClasses[index] ?? 'desktop-windows',
      riskTier: 'standard',
      credentials: 0,
      fallbackReliant: false,
      passkeySignIns: 0,
      passwordSignIns: 2,
      failedAuthentications: 0,
      failedRegistrations: index < failedRegistrationClasses.length ? 1 : 0,
      recoveries: index < NON_HOLDER_RECOVERIES ? [{ method: 'email_magic_link' }] : [],
      upsellsShown: UPSELLS_PER_NON_HOLDER,
      upsellsAccepted: index < UPSELLS_ACCEPTED / 2 ? 2 : 0,
      tickets: 0,
    });
  }

  for (const user of users) {
    const synced = user.group !== 'high_risk';
    const credentialIds: string[] = [];
    for (let n = 0; n < user.credentials; n++) {
      const credentialId = id('cred');
      credentialIds.push(credentialId);
      emit('passkey.registration', user, at(n), {
        'webauthn.ceremony.id': id('reg'),
        'webauthn.credential.id': credentialId,
        'passkey.result': 'success',
        'webauthn.flags.be': synced,
        'webauthn.flags.bs': synced,
        'webauthn.attestation.format': synced ? 'none' : 'packed',
        'passkey.surface': 'account_settings',
      });
    }
    for (let n = 0; n < user.failedRegistrations; n++) {
      emit('passkey.registration', user, at(1), {
        'webauthn.ceremony.id': id('reg'),
        'passkey.result': 'failure',
        'webauthn.failure.reason': 'attestation_untrusted',
        'passkey.surface': 'account_settings',
      });
    }
    for (let n = 0; n < user.failedAuthentications; n++) {
      emit('passkey.authentication', user, at(8), {
        'webauthn.ceremony.id': id('auth'),
        'webauthn.credential.id': credentialIds[0] ?? id('cred'),
        'passkey.result': 'failure',
        'webauthn.failure.reason': 'bad_signature',
      });
    }
    for (let n = 0; n < user.passkeySignIns; n++) {
      const time = at(10 + n);
      emit('passkey.authentication', user, time, {
        'webauthn.ceremony.id': id('auth'),
        'webauthn.credential.id': credentialIds[n % credentialIds.length] ?? id('cred'),
        'passkey.result': 'success',
      });
      emit('auth.sign_in', user, time + 1000, { 'auth.method': 'passkey', 'auth.result': 'success' });
    }
    for (let n = 0; n < user.passwordSignIns; n++) {
      emit('auth.sign_in', user, at(12 + n), { 'auth.method': 'password', 'auth.result': 'success' });
    }
    for (let n = 0; n < user.upsellsShown; n++) {
      const time = at(13 + n);
      emit('passkey.upsell', user, time, { 'passkey.upsell.outcome': 'shown', 'passkey.surface': 'post_sign_in_upsell' });
      if (n < user.upsellsAccepted) {
        emit('passkey.upsell', user, time + 1000, { 'passkey.upsell.outcome': 'accepted', 'passkey.surface': 'post_sign_in_upsell' });
      }
    }
    for (const recovery of user.recoveries) {
      const flow = id('flow');
      const time = at(18);
      emit('account.recovery', user, time, {
        'auth.flow.id': flow,
        'account.recovery.stage': 'started',
        'account.recovery.method': recovery.method,
      });
      emit('account.recovery', user, time + 60_000, {
        'auth.flow.id': flow,
        'account.recovery.stage': 'completed',
        'account.recovery.method': recovery.method,
      });
    }
    for (let n = 0; n < user.tickets; n++) {
      // Opened an hour after the failed passkey sign-in (day 8): attributed to it, so passkey-related.
      emit('support.ticket', user, start + 8 * DAY + 599 * MINUTE + 3_600_000, {
        'support.ticket.id': id('ticket'),
        'support.ticket.stage': 'opened',
        'support.ticket.category': 'passkey_sign_in',
      });
    }
  }
  return { users, records };
}

/** Sends the records through the real OTLP/HTTP ingest in batches; fails on anything but a clean 200. */
export async function ingestPopulation(baseUrl: string, token: string, records: readonly TestRecord[], batchSize = 2000): Promise<void> {
  for (let offset = 0; offset < records.length; offset += batchSize) {
    const batch = records.slice(offset, offset + batchSize);
    const response = await fetch(`${baseUrl}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(otlpJson(batch)),
    });
    const body = await response.text();
    if (response.status !== 200 || /rejectedLogRecords"\s*:\s*"?[1-9]/.test(body)) {
      throw new Error(`ingest answered ${response.status}: ${body.slice(0, 500)}`);
    }
  }
}
