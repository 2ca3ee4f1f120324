/**
 * A small population for the core dashboard pages, relative to now (the last few days, plus one
 * sign-in in the previous 28-day window): registrations (one via the post-sign-in upsell),
 * passkey and password sign-ins, fallbacks, cancels and failures on four device classes.
 * Every user id is prefixed with a per-run tag so runs never collide.
 */
import type { TestRecord } from '../../helpers/otlp';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

type Attributes = TestRecord['attributes'];
const IOS: Attributes = { 'device.class': 'mobile-ios', 'os.name': 'iOS', 'browser.name': 'Mobile Safari' };
const MAC: Attributes = { 'device.class': 'desktop-macos', 'os.name': 'macOS', 'browser.name': 'Safari' };
const WIN: Attributes = { 'device.class': 'desktop-windows', 'os.name': 'Windows', 'browser.name': 'Chrome' };
const AND: Attributes = { 'device.class': 'mobile-android', 'os.name': 'Android', 'browser.name': 'Chrome' };

const ICLOUD = { aaguid: 'fbfc3007-154e-4ecc-8c0b-6e020557d7bd', be: true };
const GPM = { aaguid: 'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4', be: true };
const HELLO = { aaguid: '08987058-cadc-4b81-b6e1-30de50dcbe96', be: false };
type Authenticator = typeof ICLOUD;

export function buildCorePopulation(tag: string, nowMs = Date.now()): TestRecord[] {
  const records: TestRecord[] = [];
  let seq = 0;
  // Day d (negative = days ago) at `hour` UTC-ish offsets from now, always in the past.
  const at = (daysAgo: number, hours = 0) => nowMs - daysAgo * DAY_MS + hours * HOUR_MS;
  const user = (n: string) => `${tag}-${n}`;
  const emit = (eventName: string, timeMs: number, attributes: Attributes) => records.push({ eventName, timeMs, attributes });
  const ceremonyId = () => `${tag}-cer-${++seq}`;
  const credential = (id: string, authenticator: Authenticator) => ({ id: `${tag}-${id}`, authenticator });
  const credentialAttributes = (c: ReturnType<typeof credential>, withAaguid: boolean): Attributes => ({
    'webauthn.credential.id': c.id,
    ...(withAaguid ? { 'webauthn.aaguid': c.authenticator.aaguid } : {}),
    'webauthn.flags.up': true,
    'webauthn.flags.uv': true,
    'webauthn.flags.be': c.authenticator.be,
    'webauthn.flags.bs': c.authenticator.be,
  });
  const prompt = (
    u: string,
    t: number,
    device: Attributes,
    type: string,
    id: string,
    outcome: string,
    extra: Attributes = {},
    surface = 'account_settings',
  ) =>
    emit('passkey.prompt', t, {
      'user.id': u,
      ...device,
      'webauthn.ceremony.id': id,
      'webauthn.ceremony.type': type,
      'webauthn.mediation': 'optional',
      'passkey.prompt.outcome': outcome,
      'passkey.surface': surface,
      ...extra,
    });
  const signIn = (u: string, t: number, device: Attributes, method: string) =>
    emit('auth.sign_in', t, { 'user.id': u, ...device, 'auth.method': method, 'auth.result': 'success' });
  const register = (u: string, t: number, device: Attributes, c: ReturnType<typeof credential>, surface = 'account_settings') => {
    const id = ceremonyId();
    prompt(u, t, device, 'registration', id, 'success', {}, surface);
    emit('passkey.registration', t + 1000, {
      'user.id': u,
      ...device,
      'webauthn.ceremony.id': id,
      'passkey.result': 'success',
      'webauthn.authenticator.attachment': c.authenticator.be ? 'platform' : 'cross-platform',
      ...credentialAttributes(c, true),
    });
  };
  const passkeySignIn = (u: string, t: number, device: Attributes, c: ReturnType<typeof credential>, serverFailure?: string) => {
    const id = ceremonyId();
    prompt(u, t, device, 'authentication', id, 'success', {}, 'login_page');
    emit('passkey.authentication', t + 1000, {
      'user.id': u,
      ...device,
      'webauthn.ceremony.id': id,
      'passkey.result': serverFailure ? 'failure' : 'success',
      ...(serverFailure ? { 'webauthn.failure.reason': serverFailure } : {}),
      ...credentialAttributes(c, false),
    });
    if (!serverFailure) signIn(u, t + 2000, device, 'passkey');
  };
  const fallback = (u: string, t: number, device: Attributes, method: string, reason: string) =>
    emit('auth.fallback', t, {
      'user.id': u,
      ...device,
      'auth.fallback.from': 'passkey',
      'auth.method': method,
      'auth.fallback.reason': reason,
    });
  const upsell = (u: string, t: number, device: Attributes, outcome: string) =>
    emit('passkey.upsell', t, { 'user.id': u, ...device, 'passkey.upsell.outcome': outcome, 'passkey.surface': 'post_sign_in_upsell' });

  // p01: iOS holder, two passkey sign-ins.
  const c01 = credential('c01', ICLOUD);
  register(user('p01'), at(4), IOS, c01);
  passkeySignIn(user('p01'), at(3), IOS, c01);
  passkeySignIn(user('p01'), at(1), IOS, c01);
  // p02: passkeys on macOS and iOS (multi-device), signs in on macOS.
  const c02a = credential('c02a', ICLOUD);
  const c02b = credential('c02b', ICLOUD);
  register(user('p02'), at(4), MAC, c02a);
  register(user('p02'), at(3), IOS, c02b);
  passkeySignIn(user('p02'), at(2), MAC, c02a);
  // p03: Windows Hello at sign-up, then a passkey sign-in.
  const c03 = credential('c03', HELLO);
  register(user('p03'), at(3), WIN, c03, 'signup');
  passkeySignIn(user('p03'), at(2), WIN, c03);
  // p04: password, upsell shown → accepted → registered, later a passkey sign-in.
  const c04 = credential('c04', GPM);
  signIn(user('p04'), at(3), AND, 'password');
  upsell(user('p04'), at(3, 0.01), AND, 'shown');
  upsell(user('p04'), at(3, 0.02), AND, 'accepted');
  register(user('p04'), at(3, 0.03), AND, c04, 'post_sign_in_upsell');
  passkeySignIn(user('p04'), at(1), AND, c04);
  // p05: no passkey; falls back to an SMS code.
  fallback(user('p05'), at(2), AND, 'sms_code', 'no_passkey_for_account');
  signIn(user('p05'), at(2, 0.01), AND, 'sms_code');
  // p06: Windows holder cancels the prompt and signs in with a password.
  const c06 = credential('c06', HELLO);
  register(user('p06'), at(4), WIN, c06);
  prompt(
    user('p06'),
    at(2),
    WIN,
    'authentication',
    ceremonyId(),
    'error',
    { 'error.type': 'NotAllowedError', 'webauthn.client.failure_reason': 'user_cancelled_or_timed_out' },
    'login_page',
  );
  fallback(user('p06'), at(2, 0.01), WIN, 'password', 'prompt_abandoned');
  signIn(user('p06'), at(2, 0.02), WIN, 'password');
  // p07: iOS registration abandoned (a cancel), then a server-side failure; password sign-in.
  signIn(user('p07'), at(3), IOS, 'password');
  prompt(user('p07'), at(3, 0.1), IOS, 'registration', ceremonyId(), 'abandoned');
  const failedId = ceremonyId();
  prompt(user('p07'), at(3, 0.2), IOS, 'registration', failedId, 'success');
  emit('passkey.registration', at(3, 0.2) + 1000, {
    'user.id': user('p07'),
    ...IOS,
    'webauthn.ceremony.id': failedId,
    'passkey.result': 'failure',
    'webauthn.failure.reason': 'attestation_policy_violation',
  });
  // p08: password, upsell shown and dismissed.
  signIn(user('p08'), at(2), WIN, 'password');
  upsell(user('p08'), at(2, 0.01), WIN, 'shown');
  upsell(user('p08'), at(2, 0.02), WIN, 'dismissed');
  // p09: Android registration fails in the browser; password sign-in.
  signIn(user('p09'), at(1), AND, 'password');
  prompt(user('p09'), at(1, 0.1), AND, 'registration', ceremonyId(), 'error', {
    'error.type': 'InvalidStateError',
    'webauthn.client.failure_reason': 'credential_excluded',
  });
  // p10: passkey registered on macOS, signs in with a password on Windows (cross-platform gap).
  const c10 = credential('c10', ICLOUD);
  register(user('p10'), at(5), MAC, c10);
  signIn(user('p10'), at(1), WIN, 'password');
  // p11: active only in the previous 28-day window.
  signIn(user('p11'), at(35), WIN, 'password');
  // p12: Windows holder whose passkey fails server verification; falls back to a one-time code.
  const c12 = credential('c12', HELLO);
  register(user('p12'), at(5), WIN, c12);
  passkeySignIn(user('p12'), at(1), WIN, c12, 'bad_signature');
  fallback(user('p12'), at(1, 0.01), WIN, 'password_otp', 'verification_failed');
  signIn(user('p12'), at(1, 0.02), WIN, 'password_otp');
  return records;
}
