/**
 * Real WebAuthn end to end: Debian's Chromium runs the reference relying party's pages with
 * virtual authenticators from the DevTools WebAuthn domain (real keys, real signatures, real
 * @simplewebauthn verification); the RP's browser SDK (via its same-origin proxy) and server SDK
 * send OTLP to the product started by the global setup; each scenario then asserts what reached
 * the product through /api/v1/events. Screenshots: test-results/e2e/<scenario>.png.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Browser, type BrowserContext } from 'playwright-core';
import { createRelyingParty, type RelyingParty } from '@/examples/relying-party/app';
import { validateRelyingPartyConfig } from '@/examples/relying-party/config';
import { WebAuthnDevTools, type VirtualAuthenticator } from './pages/rp-authenticator';
import { RelyingPartyPages } from './pages/rp-pages';
import { describeEvents, eventsNamed, hasEvents, productCredential, waitForProductEvents, type ProductEvent } from './pages/rp-product';
import { launchChromium } from '../helpers/chromium';

const SERVICE = 'e2e-reference-rp';

const baseUrl = inject('baseUrl');
let rp: RelyingParty;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  const config = validateRelyingPartyConfig({ product: baseUrl, token: inject('ingestToken'), port: 0, serviceName: SERVICE });
  rp = createRelyingParty(config, { log: (line) => console.error(line) });
  await rp.start();
  browser = await launchChromium();
}, 120_000);

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

afterAll(async () => {
  await browser?.close();
  await rp?.close();
});

async function openBrowser() {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  return { page, pages: new RelyingPartyPages(page, rp.origin), devtools: await WebAuthnDevTools.enable(page) };
}

/** The username is an e-mail address on purpose: it must never reach the product. */
function newPerson() {
  const tag = randomBytes(5).toString('hex');
  return { username: `e2e.${tag}@example.com`, password: `pw-${tag}-correct-horse` };
}

function only(events: ProductEvent[], name: string): ProductEvent {
  const matching = eventsNamed(events, name);
  expect(matching, `one ${name} in:\n${describeEvents(events)}`).toHaveLength(1);
  return matching[0] as ProductEvent;
}

/** Signs up and creates a synced passkey from the upsell; returns the account and the credential id. */
async function personWithSyncedPasskey(pages: RelyingPartyPages, platform: VirtualAuthenticator) {
  const person = newPerson();
  const { userId, backupCodes } = await pages.signUp(person.username, person.password);
  expect(await pages.upsellOffered()).toBe(true);
  const status = await pages.acceptUpsell();
  expect(status.outcome).toBe('success');
  const credential = await platform.onlyCredential();
  return { ...person, userId, backupCodes, credentialId: credential.id, registration: status };
}

/** Opens the sign-in page with its autofill request open (nobody picks the passkey yet). */
async function signInPageWithOpenAutofill(pages: RelyingPartyPages, platform: VirtualAuthenticator) {
  await platform.setUserPresence(false);
  await pages.openSignIn();
  await pages.page.locator('html[data-autofill=waiting]').waitFor({ state: 'attached' });
  await platform.setUserPresence(true);
}

/**
 * The dashboard's Lookup page (the product, not the RP) shows the ceremony — browser prompt and
 * server verification grouped under its id — and, when there is one, its credential id.
 */
async function expectLookupShows(name: string, ceremonyId: string, credentialId?: string) {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/lookup?ceremonyId=${encodeURIComponent(ceremonyId)}`);
  const ceremony = page.locator(`[data-testid="lookup-timeline"] [data-ceremony="${ceremonyId}"]`);
  await ceremony.waitFor({ timeout: 30_000 });
  if (credentialId) await ceremony.getByText(credentialId).first().waitFor({ timeout: 10_000 });
  await page.screenshot({ path: `test-results/e2e/lookup-${name}.png`, fullPage: true });
}

describe('real WebAuthn ceremonies reach the product', () => {
  it('registration of a synced passkey from the post-sign-in upsell', async () => {
    const { pages, devtools } = await openBrowser();
    const platform = await devtools.add('synced');
    const person = await personWithSyncedPasskey(pages, platform);
    const credential = await platform.onlyCredential();
    expect(credential).toMatchObject({ backupEligibility: true, backupState: true, isResidentCredential: true });
    expect(person.registration.credentialId).toBe(credential.id);
    await pages.screenshot('registration-synced-upsell');

    const ceremony = await waitForProductEvents(
      baseUrl,
      { ceremonyId: person.registration.ceremonyId ?? '' },
      hasEvents('passkey.prompt', 'passkey.registration'),
    );
    const prompt = only(ceremony, 'passkey.prompt');
    const registration = only(ceremony, 'passkey.registration');
    expect(prompt).toMatchObject({
      userId: person.userId,
      surface: 'post_sign_in_upsell',
      ceremonyType: 'registration',
      mediation: 'optional',
      promptOutcome: 'success',
      deviceClass: 'desktop-linux',
      serviceName: `${SERVICE}-web`,
    });
    expect(registration).toMatchObject({
      userId: person.userId,
      flowId: prompt.flowId,
      surface: 'post_sign_in_upsell',
      result: 'success',
      credentialId: credential.id,
      flags: { up: true, uv: true, be: true, bs: true },
      credentialKind: 'synced',
      backedUp: true,
      attestationFormat: 'none',
      rpId: 'localhost',
      origin: rp.origin,
      deviceClass: 'desktop-linux',
      serviceName: SERVICE,
    });
    expect(registration.transports).toContain('internal');

    const journey = await waitForProductEvents(
      baseUrl,
      { userId: person.userId },
      (events) => eventsNamed(events, 'passkey.upsell').length >= 2,
    );
    expect(
      eventsNamed(journey, 'passkey.upsell')
        .map((e) => e.upsellOutcome)
        .sort(),
    ).toEqual(['accepted', 'shown']);
    expect(
      journey.every((e) => e.deviceClass === 'desktop-linux'),
      describeEvents(journey),
    ).toBe(true);
    await expectLookupShows('registration-synced', person.registration.ceremonyId ?? '', credential.id);
  });

  it('registration of a device-bound passkey (security key) from account settings', async () => {
    const { pages, devtools } = await openBrowser();
    const key = await devtools.add('device-bound');
    const person = newPerson();
    const { userId } = await pages.signUp(person.username, person.password);
    // No platform authenticator on this device: no upsell, straight to the account.
    expect(await pages.upsellOffered()).toBe(false);
    await pages.openAccount();
    const status = await pages.addPasskey();
    expect(status).toMatchObject({ outcome: 'success' });
    const credential = await key.onlyCredential();
    expect(credential).toMatchObject({ backupEligibility: false, backupState: false });
    expect(await pages.passkeyIds()).toEqual([credential.id]);
    await pages.screenshot('registration-device-bound-settings');

    const ceremony = await waitForProductEvents(
      baseUrl,
      { ceremonyId: status.ceremonyId ?? '' },
      hasEvents('passkey.prompt', 'passkey.registration'),
    );
    expect(only(ceremony, 'passkey.prompt')).toMatchObject({
      userId,
      surface: 'account_settings',
      promptOutcome: 'success',
      deviceClass: 'desktop-linux',
    });
    const registration = only(ceremony, 'passkey.registration');
    expect(registration).toMatchObject({
      userId,
      result: 'success',
      credentialId: credential.id,
      flags: { up: true, uv: true, be: false, bs: false },
      credentialKind: 'device_bound',
      backedUp: false,
      authenticatorAttachment: 'cross-platform',
      deviceClass: 'desktop-linux',
    });
    expect(registration.transports).toContain('usb');
    const state = await productCredential(baseUrl, credential.id);
    expect(state).toMatchObject({ userId, credentialKind: 'device_bound', deleted: false });
    await expectLookupShows('registration-device-bound', status.ceremonyId ?? '', credential.id);
  });

  it('sign-in with the passkey button (superseding the open autofill request), then with autofill', async () => {
    const { pages, devtools, page } = await openBrowser();
    const platform = await devtools.add('synced');
    const person = await personWithSyncedPasskey(pages, platform);
    await pages.signOut();

    await signInPageWithOpenAutofill(pages, platform);
    expect(await pages.signInWithPasskeyButton()).toBe('signed_in');
    await pages.screenshot('sign-in-modal');
    const signedIn = await waitForProductEvents(baseUrl, { userId: person.userId }, (events) =>
      events.some((e) => e.eventName === 'passkey.authentication' && e.surface === 'login_page'),
    );
    const authentication = eventsNamed(signedIn, 'passkey.authentication').find((e) => e.surface === 'login_page') as ProductEvent;
    const ceremony = await waitForProductEvents(
      baseUrl,
      { ceremonyId: authentication.ceremonyId },
      hasEvents('passkey.prompt', 'passkey.authentication', 'auth.sign_in'),
    );
    // The login page does not know who is signing in: the prompt has no user id, the server events do.
    expect(only(ceremony, 'passkey.prompt')).toMatchObject({
      userId: '',
      surface: 'login_page',
      ceremonyType: 'authentication',
      mediation: 'optional',
      promptOutcome: 'success',
      deviceClass: 'desktop-linux',
    });
    expect(only(ceremony, 'passkey.authentication')).toMatchObject({
      userId: person.userId,
      result: 'success',
      credentialId: person.credentialId,
      flags: { up: true, uv: true, be: true, bs: true },
      credentialKind: 'synced',
      deviceClass: 'desktop-linux',
    });
    expect(only(ceremony, 'auth.sign_in')).toMatchObject({ userId: person.userId, authMethod: 'passkey', result: 'success' });
    await expectLookupShows('sign-in', authentication.ceremonyId, person.credentialId);
    const flow = await waitForProductEvents(baseUrl, { flowId: authentication.flowId }, (events) =>
      events.some((e) => e.eventName === 'passkey.prompt' && e.surface === 'login_autofill'),
    );
    expect(eventsNamed(flow, 'passkey.prompt').find((e) => e.surface === 'login_autofill')).toMatchObject({
      mediation: 'conditional',
      promptOutcome: 'superseded',
    });

    // Autofill: the virtual authenticator answers the conditional request as a user picking the passkey.
    await pages.signOut();
    await pages.goto('/login');
    await page.waitForURL(/\/account$/);
    const autofilled = await waitForProductEvents(baseUrl, { userId: person.userId }, (events) =>
      events.some((e) => e.eventName === 'passkey.authentication' && e.surface === 'login_autofill'),
    );
    const viaAutofill = eventsNamed(autofilled, 'passkey.authentication').find((e) => e.surface === 'login_autofill') as ProductEvent;
    expect(viaAutofill).toMatchObject({ result: 'success', credentialId: person.credentialId });
    const autofillCeremony = await waitForProductEvents(baseUrl, { ceremonyId: viaAutofill.ceremonyId }, hasEvents('passkey.prompt'));
    expect(only(autofillCeremony, 'passkey.prompt')).toMatchObject({
      mediation: 'conditional',
      promptOutcome: 'success',
      surface: 'login_autofill',
    });
    await pages.screenshot('sign-in-autofill');
  });

  it('user cancel: the prompt rejects with NotAllowedError, a cancel and no server event', async () => {
    const { pages, devtools } = await openBrowser();
    const platform = await devtools.add('synced');
    await personWithSyncedPasskey(pages, platform);
    await pages.signOut();

    await signInPageWithOpenAutofill(pages, platform);
    await platform.setUserVerified(false); // the user dismisses the biometric check
    const status = await pages.signInWithPasskeyButton();
    expect(status).toMatchObject({ outcome: 'prompt_error', reason: 'user_cancelled_or_timed_out' });
    await pages.screenshot('user-cancel');
    const ceremonyId = (status as { ceremonyId: string }).ceremonyId;

    const ceremony = await waitForProductEvents(baseUrl, { ceremonyId }, hasEvents('passkey.prompt'));
    expect(only(ceremony, 'passkey.prompt')).toMatchObject({
      surface: 'login_page',
      promptOutcome: 'error',
      errorType: 'NotAllowedError',
      clientFailureReason: 'user_cancelled_or_timed_out',
      deviceClass: 'desktop-linux',
    });
    expect(ceremony.map((e) => e.eventName)).toEqual(['passkey.prompt']);
    await expectLookupShows('user-cancel', ceremonyId);
  });

  it('leaving the sign-in page with the autofill request open: the prompt is recorded abandoned, flushed on page hide', async () => {
    const { pages, devtools, page } = await openBrowser();
    const platform = await devtools.add('synced');
    await personWithSyncedPasskey(pages, platform);
    await pages.signOut();
    await platform.setUserPresence(false); // nobody picks the offered passkey
    await pages.openSignIn();
    await page.locator('html[data-autofill=waiting]').waitFor({ state: 'attached' });
    const flowId = await pages.signInFlowId();
    // Let the page's first batch go out, so the page-hide flush has no export in flight to wait for.
    await waitForProductEvents(baseUrl, { flowId }, hasEvents('passkey.client.capabilities'));
    await page.click('a[href="/recover"]');
    await page.waitForURL(/\/recover$/);
    await pages.screenshot('autofill-abandoned');

    const flow = await waitForProductEvents(baseUrl, { flowId }, hasEvents('passkey.prompt'));
    expect(only(flow, 'passkey.prompt')).toMatchObject({
      userId: '',
      surface: 'login_autofill',
      ceremonyType: 'authentication',
      mediation: 'conditional',
      promptOutcome: 'abandoned',
      deviceClass: 'desktop-linux',
    });
  });

  it('fallback to password after a cancelled passkey prompt: auth.fallback and a password sign-in in one flow', async () => {
    const { pages, devtools } = await openBrowser();
    const platform = await devtools.add('synced');
    const person = await personWithSyncedPasskey(pages, platform);
    await pages.signOut();

    await signInPageWithOpenAutofill(pages, platform);
    await platform.setUserVerified(false);
    const status = await pages.signInWithPasskeyButton();
    expect(status).toMatchObject({ outcome: 'prompt_error' });
    await pages.signInWithPassword(person.username, person.password);
    await pages.screenshot('fallback-to-password');

    const cancelled = await waitForProductEvents(
      baseUrl,
      { ceremonyId: (status as { ceremonyId: string }).ceremonyId },
      hasEvents('passkey.prompt'),
    );
    const flowId = only(cancelled, 'passkey.prompt').flowId;
    const flow = await waitForProductEvents(baseUrl, { flowId }, hasEvents('auth.fallback', 'auth.sign_in'));
    expect(only(flow, 'auth.fallback')).toMatchObject({
      userId: person.userId,
      fallbackFrom: 'passkey',
      authMethod: 'password',
      fallbackReason: 'prompt_abandoned',
      deviceClass: 'desktop-linux',
    });
    expect(only(flow, 'auth.sign_in')).toMatchObject({ userId: person.userId, authMethod: 'password', result: 'success' });
  });

  it('a credential excluded on re-registration: InvalidStateError → credential_excluded, no server event', async () => {
    const { pages, devtools } = await openBrowser();
    const platform = await devtools.add('synced');
    const person = await personWithSyncedPasskey(pages, platform);
    await pages.openAccount();
    const status = await pages.addPasskey();
    expect(status).toMatchObject({ outcome: 'prompt_error', reason: 'credential_excluded' });
    expect(await platform.credentials()).toHaveLength(1);
    await pages.screenshot('credential-excluded');

    const ceremony = await waitForProductEvents(baseUrl, { ceremonyId: status.ceremonyId ?? '' }, hasEvents('passkey.prompt'));
    expect(only(ceremony, 'passkey.prompt')).toMatchObject({
      userId: person.userId,
      surface: 'account_settings',
      ceremonyType: 'registration',
      promptOutcome: 'error',
      errorType: 'InvalidStateError',
      clientFailureReason: 'credential_excluded',
    });
    expect(ceremony.map((e) => e.eventName)).toEqual(['passkey.prompt']);
  });

  it('user verification not performed: a key without UV is refused by the server (user_not_verified); a failed UV check is a browser NotAllowedError', async () => {
    const { pages, devtools } = await openBrowser();
    const basicKey = await devtools.add('no-user-verification');
    const person = newPerson();
    const { userId } = await pages.signUp(person.username, person.password);
    expect(await pages.upsellOffered()).toBe(false);
    await pages.openAccount();

    const refused = await pages.addPasskey();
    expect(refused).toMatchObject({ outcome: 'verification_failed', reason: 'user_not_verified' });
    const made = await basicKey.onlyCredential();
    expect(made.isResidentCredential).toBe(false);
    expect(await pages.passkeyIds()).toEqual([]);
    await pages.screenshot('user-not-verified');
    const ceremony = await waitForProductEvents(
      baseUrl,
      { ceremonyId: refused.ceremonyId ?? '' },
      hasEvents('passkey.prompt', 'passkey.registration'),
    );
    expect(only(ceremony, 'passkey.prompt')).toMatchObject({ userId, promptOutcome: 'success' });
    expect(only(ceremony, 'passkey.registration')).toMatchObject({
      userId,
      result: 'failure',
      failureReason: 'user_not_verified',
      credentialId: made.id,
      flags: { up: true, uv: false, be: false, bs: false },
      deviceClass: 'desktop-linux',
    });

    // A user-verifying authenticator whose check fails: Chromium rejects before anything reaches the server.
    await basicKey.remove();
    await devtools.add('synced', { isUserVerified: false });
    const failedCheck = await pages.addPasskey();
    expect(failedCheck).toMatchObject({ outcome: 'prompt_error', reason: 'user_cancelled_or_timed_out' });
    const browserOnly = await waitForProductEvents(baseUrl, { ceremonyId: failedCheck.ceremonyId ?? '' }, hasEvents('passkey.prompt'));
    expect(only(browserOnly, 'passkey.prompt')).toMatchObject({ promptOutcome: 'error', errorType: 'NotAllowedError' });
    expect(browserOnly.map((e) => e.eventName)).toEqual(['passkey.prompt']);
  });

  it('an unknown credential: deleted on the RP, still on the device, used to sign in → unknown_credential', async () => {
    const { pages, devtools } = await openBrowser();
    const platform = await devtools.add('synced');
    const person = await personWithSyncedPasskey(pages, platform);
    await pages.openAccount();
    expect(await pages.removePasskey(person.credentialId)).toMatchObject({ outcome: 'deleted' });
    expect(await pages.passkeyIds()).toEqual([]);
    const lifecycle = await waitForProductEvents(baseUrl, { credentialId: person.credentialId }, hasEvents('passkey.credential.lifecycle'));
    expect(only(lifecycle, 'passkey.credential.lifecycle')).toMatchObject({ userId: person.userId, credentialAction: 'deleted_by_user' });
    expect(await productCredential(baseUrl, person.credentialId)).toMatchObject({ deleted: true, credentialKind: 'synced' });
    await pages.signOut();

    await signInPageWithOpenAutofill(pages, platform);
    const status = await pages.signInWithPasskeyButton();
    expect(status).toMatchObject({ outcome: 'verification_failed', reason: 'unknown_credential' });
    await pages.screenshot('unknown-credential');
    const ceremony = await waitForProductEvents(
      baseUrl,
      { ceremonyId: (status as { ceremonyId: string }).ceremonyId },
      hasEvents('passkey.prompt', 'passkey.authentication'),
    );
    expect(only(ceremony, 'passkey.prompt')).toMatchObject({ userId: '', promptOutcome: 'success', surface: 'login_page' });
    expect(only(ceremony, 'passkey.authentication')).toMatchObject({
      // Attributed through the user handle the passkey carries, although nobody is signed in.
      userId: person.userId,
      result: 'failure',
      failureReason: 'unknown_credential',
      credentialId: person.credentialId,
      flags: { be: true, bs: true },
      deviceClass: 'desktop-linux',
    });
    expect(eventsNamed(ceremony, 'auth.sign_in')).toEqual([]);
    await expectLookupShows('unknown-credential', (status as { ceremonyId: string }).ceremonyId, person.credentialId);
  });

  it('recovery by e-mail code, then a new passkey on the recovery surface; no e-mail address ever reaches the product', async () => {
    const { pages, devtools } = await openBrowser();
    await devtools.add('synced');
    const person = newPerson();
    const { userId } = await pages.signUp(person.username, person.password);
    expect(await pages.upsellOffered()).toBe(true);
    await pages.dismissUpsell();
    await pages.signOut();

    const code = await pages.startRecovery(person.username, 'email_code');
    expect(code).toMatch(/^\d{6}$/);
    await pages.screenshot('recovery-email-inbox');
    expect(await pages.submitRecoveryCode(code as string)).toBe('recovered');
    const added = await pages.addPasskeyAfterRecovery();
    expect(added).toMatchObject({ outcome: 'success' });
    await pages.screenshot('recovery-email-done');

    const events = await waitForProductEvents(
      baseUrl,
      { userId },
      (all) =>
        eventsNamed(all, 'account.recovery').length >= 2 &&
        all.some((e) => e.eventName === 'passkey.registration' && e.surface === 'recovery'),
    );
    const recovery = eventsNamed(events, 'account.recovery');
    expect(recovery.map((e) => e.recoveryStage).sort()).toEqual(['completed', 'started']);
    expect(recovery.every((e) => e.recoveryMethod === 'email_code' && e.flowId === recovery[0]?.flowId)).toBe(true);
    expect(eventsNamed(events, 'auth.sign_in').find((e) => e.flowId === recovery[0]?.flowId)).toMatchObject({
      authMethod: 'email_code',
      result: 'success',
    });
    expect(
      eventsNamed(events, 'passkey.upsell')
        .map((e) => e.upsellOutcome)
        .sort(),
    ).toEqual(['dismissed', 'shown']);
    expect(eventsNamed(events, 'passkey.registration').find((e) => e.surface === 'recovery')).toMatchObject({
      result: 'success',
      credentialId: added.credentialId,
    });
    const everything = JSON.stringify(events);
    expect(everything).not.toContain(person.username);
    expect(everything).not.toContain('@example.com');
  });

  it('recovery by backup code: a wrong code first, then a saved one', async () => {
    const { pages } = await openBrowser();
    const person = newPerson();
    const { userId, backupCodes } = await pages.signUp(person.username, person.password);
    expect(backupCodes).toHaveLength(8);
    expect(await pages.upsellOffered()).toBe(false); // no authenticator at all on this device
    await pages.signOut();

    expect(await pages.startRecovery(person.username, 'saved_recovery_code')).toBeUndefined();
    const wrong = await pages.submitRecoveryCode('aaaa-aaaa');
    expect(wrong).toMatchObject({ outcome: 'recovery_failed', text: expect.stringContaining('2 attempt(s) left') });
    expect(await pages.submitRecoveryCode(backupCodes[0] as string)).toBe('recovered');
    await pages.screenshot('recovery-backup-code');

    const events = await waitForProductEvents(baseUrl, { userId }, (all) => eventsNamed(all, 'account.recovery').length >= 2);
    const recovery = eventsNamed(events, 'account.recovery');
    expect(recovery.map((e) => e.recoveryStage).sort()).toEqual(['completed', 'started']);
    expect(recovery.every((e) => e.recoveryMethod === 'saved_recovery_code')).toBe(true);
    expect(eventsNamed(events, 'auth.sign_in').find((e) => e.flowId === recovery[0]?.flowId)).toMatchObject({
      authMethod: 'recovery_code',
      result: 'success',
    });
  });
});
