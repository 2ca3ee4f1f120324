/**
 * A small population for the detail pages (recovery, failures, security, lookup), placed relative
 * to now (the last few days) with ids unique to the run, so it coexists with whatever else the
 * shared e2e app holds. Every event goes through the real /v1/logs endpoint.
 */
import { expect } from 'vitest';
import { otlpJson, postLogs, uid, type TestRecord } from '../../helpers/otlp';

const HOUR_MS = 3_600_000;
const IOS = { 'device.class': 'mobile-ios', 'os.name': 'iOS', 'browser.name': 'Mobile Safari' };
const WIN = { 'device.class': 'desktop-windows', 'os.name': 'Windows', 'browser.name': 'Chrome' };
const AND = { 'device.class': 'mobile-android', 'os.name': 'Android', 'browser.name': 'Chrome Mobile' };

export interface DetailPopulation {
  holder: string;
  canceller: string;
  recoverer: string;
  attacker: string;
  holderCredential: string;
  newDeviceCredential: string;
  failedCeremony: string;
  cancelledCeremony: string;
  ticketId: string;
  records: TestRecord[];
}

export function detailPopulation(now = Date.now()): DetailPopulation {
  const run = uid('ui2').slice(4, 12);
  const holder = `ui2_holder_${run}`;
  const canceller = `ui2_canceller_${run}`;
  const recoverer = `ui2_recoverer_${run}`;
  const attacker = `ui2_attacker_${run}`;
  const holderCredential = `cred_ui2_${run}`;
  const newDeviceCredential = `cred_ui2_new_${run}`;
  const failedCeremony = `cer_ui2_fail_${run}`;
  const cancelledCeremony = `cer_ui2_cancel_${run}`;
  const regCeremony = `cer_ui2_reg_${run}`;
  const ticketId = `tk_ui2_${run}`;
  const ago = (hours: number) => now - hours * HOUR_MS;
  const rec = (eventName: string, hoursAgo: number, attributes: TestRecord['attributes']): TestRecord => ({
    eventName,
    timeMs: ago(hoursAgo),
    attributes,
  });

  const records: TestRecord[] = [
    // the holder registers a passkey on iOS and signs in with it
    rec('passkey.prompt', 72, {
      'user.id': holder,
      'webauthn.ceremony.id': regCeremony,
      'webauthn.ceremony.type': 'registration',
      'passkey.prompt.outcome': 'success',
      ...IOS,
    }),
    rec('passkey.registration', 71.99, {
      'user.id': holder,
      'webauthn.ceremony.id': regCeremony,
      'passkey.result': 'success',
      'webauthn.credential.id': holderCredential,
      ...IOS,
    }),
    rec('auth.sign_in', 71.9, { 'user.id': holder, 'auth.method': 'passkey', 'auth.result': 'success', ...IOS }),
    // a failed authentication: the prompt succeeded, the server refused (user not verified)
    rec('passkey.prompt', 48, {
      'user.id': holder,
      'webauthn.ceremony.id': failedCeremony,
      'webauthn.ceremony.type': 'authentication',
      'passkey.prompt.outcome': 'success',
      'passkey.surface': 'login_page',
      ...IOS,
    }),
    rec('passkey.authentication', 47.99, {
      'user.id': holder,
      'webauthn.ceremony.id': failedCeremony,
      'passkey.result': 'failure',
      'webauthn.failure.reason': 'user_not_verified',
      'webauthn.credential.id': holderCredential,
      'passkey.surface': 'login_page',
      ...IOS,
    }),
    // …and a support ticket an hour later
    rec('support.ticket', 47, {
      'user.id': holder,
      'support.ticket.id': ticketId,
      'support.ticket.stage': 'opened',
      'support.ticket.category': 'sign_in_problem',
      'support.ticket.channel': 'email',
    }),
    // a phishable recovery by the holder, then a passkey from a device class never used before
    rec('account.recovery', 30, {
      'user.id': holder,
      'account.recovery.stage': 'started',
      'account.recovery.method': 'email_magic_link',
      'auth.flow.id': `flow_ui2_${run}`,
      ...IOS,
    }),
    rec('account.recovery', 29.9, {
      'user.id': holder,
      'account.recovery.stage': 'completed',
      'account.recovery.method': 'email_magic_link',
      'auth.flow.id': `flow_ui2_${run}`,
      ...IOS,
    }),
    rec('passkey.registration', 25, {
      'user.id': holder,
      'webauthn.ceremony.id': `cer_ui2_newdev_${run}`,
      'passkey.result': 'success',
      'webauthn.credential.id': newDeviceCredential,
      ...WIN,
    }),
    // a cancelled authentication by another user (a cancel, not a failure)
    rec('auth.sign_in', 40, { 'user.id': canceller, 'auth.method': 'password', 'auth.result': 'success', ...AND }),
    rec('passkey.prompt', 20, {
      'user.id': canceller,
      'webauthn.ceremony.id': cancelledCeremony,
      'webauthn.ceremony.type': 'authentication',
      'passkey.prompt.outcome': 'error',
      'error.type': 'NotAllowedError',
      'webauthn.client.failure_reason': 'user_cancelled_or_timed_out',
      ...AND,
    }),
    // a non-holder's sms recovery that fails
    rec('auth.sign_in', 50, { 'user.id': recoverer, 'auth.method': 'password', 'auth.result': 'success', ...WIN }),
    rec('account.recovery', 10, {
      'user.id': recoverer,
      'account.recovery.stage': 'started',
      'account.recovery.method': 'sms_code',
      'auth.flow.id': `flow_ui2_r_${run}`,
      ...WIN,
    }),
    rec('account.recovery', 9.9, {
      'user.id': recoverer,
      'account.recovery.stage': 'failed',
      'account.recovery.method': 'sms_code',
      'auth.flow.id': `flow_ui2_r_${run}`,
      ...WIN,
    }),
    // an origin mismatch from a phishing proxy
    rec('passkey.authentication', 5, {
      'user.id': attacker,
      'webauthn.ceremony.id': `cer_ui2_evil_${run}`,
      'passkey.result': 'failure',
      'webauthn.failure.reason': 'origin_mismatch',
      'webauthn.origin': `https://evil-${run}.example`,
      'webauthn.rp.id': 'example.com',
      ...AND,
    }),
  ];
  return {
    holder,
    canceller,
    recoverer,
    attacker,
    holderCredential,
    newDeviceCredential,
    failedCeremony,
    cancelledCeremony,
    ticketId,
    records,
  };
}

export async function ingestPopulation(baseUrl: string, token: string, population: DetailPopulation): Promise<void> {
  const response = await postLogs(baseUrl, JSON.stringify(otlpJson(population.records)), {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
  });
  expect(response.status).toBe(200);
}
