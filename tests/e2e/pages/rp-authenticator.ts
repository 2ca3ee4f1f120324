/**
 * Chromium's DevTools `WebAuthn` domain as a page object: virtual authenticators that perform
 * real WebAuthn ceremonies (real keys, real signatures) without hardware or a person.
 */
import type { CDPSession, Page } from 'playwright-core';

type AuthenticatorOptions = {
  protocol: 'ctap2';
  transport: 'internal' | 'usb';
  hasResidentKey: boolean;
  hasUserVerification: boolean;
  isUserVerified?: boolean;
  automaticPresenceSimulation: boolean;
  defaultBackupEligibility: boolean;
  defaultBackupState: boolean;
};

export type AuthenticatorKind = 'synced' | 'device-bound' | 'no-user-verification';

export const AUTHENTICATOR_PRESETS: Record<AuthenticatorKind, AuthenticatorOptions> = {
  /** A platform authenticator whose passkeys sync (iCloud Keychain, Google Password Manager): BE = BS = 1. */
  synced: {
    protocol: 'ctap2',
    transport: 'internal',
    hasResidentKey: true,
    hasUserVerification: true,
    isUserVerified: true,
    automaticPresenceSimulation: true,
    defaultBackupEligibility: true,
    defaultBackupState: true,
  },
  /** A security key with a PIN: device-bound (BE = 0), discoverable, user-verifying. */
  'device-bound': {
    protocol: 'ctap2',
    transport: 'usb',
    hasResidentKey: true,
    hasUserVerification: true,
    isUserVerified: true,
    automaticPresenceSimulation: true,
    defaultBackupEligibility: false,
    defaultBackupState: false,
  },
  /** A basic security key: user presence only, no PIN or biometrics, no resident keys. */
  'no-user-verification': {
    protocol: 'ctap2',
    transport: 'usb',
    hasResidentKey: false,
    hasUserVerification: false,
    automaticPresenceSimulation: true,
    defaultBackupEligibility: false,
    defaultBackupState: false,
  },
};

export interface VirtualCredential {
  /** base64url, as the relying party and the telemetry write it. */
  id: string;
  backupEligibility: boolean;
  backupState: boolean;
  isResidentCredential: boolean;
  signCount: number;
}

/** DevTools returns standard base64 with padding; WebAuthn JSON uses base64url. */
export function base64ToBase64url(value: string): string {
  return value.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export class VirtualAuthenticator {
  constructor(
    private readonly cdp: CDPSession,
    readonly id: string,
    readonly kind: AuthenticatorKind,
  ) {}

  async credentials(): Promise<VirtualCredential[]> {
    const { credentials } = await this.cdp.send('WebAuthn.getCredentials', { authenticatorId: this.id });
    return credentials.map((c) => ({
      id: base64ToBase64url(c.credentialId),
      backupEligibility: c.backupEligibility ?? false,
      backupState: c.backupState ?? false,
      isResidentCredential: c.isResidentCredential,
      signCount: c.signCount,
    }));
  }

  /** The one credential this authenticator holds. */
  async onlyCredential(): Promise<VirtualCredential> {
    const credentials = await this.credentials();
    if (credentials.length !== 1) throw new Error(`expected one credential on the ${this.kind} authenticator, found ${credentials.length}`);
    return credentials[0] as VirtualCredential;
  }

  /** false: the user fails (or dismisses) the biometric / PIN check. */
  async setUserVerified(isUserVerified: boolean): Promise<void> {
    await this.cdp.send('WebAuthn.setUserVerified', { authenticatorId: this.id, isUserVerified });
  }

  /** false: nobody touches the authenticator, so requests wait (an autofill request stays open). */
  async setUserPresence(enabled: boolean): Promise<void> {
    await this.cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId: this.id, enabled });
  }

  async remove(): Promise<void> {
    await this.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: this.id });
  }
}

export class WebAuthnDevTools {
  private constructor(private readonly cdp: CDPSession) {}

  /** Virtual authenticators belong to the page's target and survive its navigations. */
  static async enable(page: Page): Promise<WebAuthnDevTools> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    return new WebAuthnDevTools(cdp);
  }

  async add(kind: AuthenticatorKind, overrides: Partial<AuthenticatorOptions> = {}): Promise<VirtualAuthenticator> {
    const { authenticatorId } = await this.cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { ...AUTHENTICATOR_PRESETS[kind], ...overrides },
    });
    return new VirtualAuthenticator(this.cdp, authenticatorId, kind);
  }
}
