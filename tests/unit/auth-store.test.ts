/**
 * The dashboard's people (lib/auth/store.ts, lib/auth/session.ts): single-use invitations even when
 * two requests race, sessions that stop at once when revoked, signed cookies that refuse forgery,
 * and the last administrator kept. The store is the real SQLite (node:sqlite), in a temp directory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthStore, InvitationError, MemberError, normalizeCode, type NewPasskey } from '@/lib/auth/store';
import { consumeChallenge, issueChallenge } from '@/lib/auth/challenges';
import { cookieValue, signSession, verifySessionValue } from '@/lib/auth/session';
import { signInConfig } from '@/lib/auth/config';
import { parseEnv } from '@/lib/env';

let dir: string;
let now: number;
let store: AuthStore;

const passkey = (id: string): NewPasskey => ({
  id,
  publicKey: new Uint8Array([1, 2, 3]),
  counter: 0,
  transports: ['internal'],
  deviceType: 'multiDevice',
  backedUp: true,
});

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-auth-'));
  now = Date.UTC(2026, 11, 5, 10);
  store = new AuthStore(path.join(dir, 'auth.sqlite'), () => now);
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('invitations', () => {
  it('keeps only the hash of a code, accepts it however it is typed, and lets it be used exactly once', () => {
    const { invitation, code } = store.createInvitation({ role: 'viewer', createdBy: 'member:ana', ttlMs: 3_600_000 });
    expect(code).toMatch(/^[A-Z2-7]{5}(-[A-Z2-7]{5}){3}$/);
    const raw =
      fs.readFileSync(path.join(dir, 'auth.sqlite')).toString('latin1') +
      fs.readFileSync(path.join(dir, 'auth.sqlite-wal')).toString('latin1');
    expect(raw).not.toContain(normalizeCode(code));
    expect(store.usableInvitation(code.toLowerCase().replace(/-/g, ' ')).id).toBe(invitation.id);

    const member = store.redeemInvitation(invitation.id, { name: 'Ben', userHandle: 'h1' }, passkey('cred-1'));
    expect(member).toMatchObject({ name: 'Ben', role: 'viewer', invitedBy: 'member:ana' });
    expect(store.passkey('cred-1')?.memberId).toBe(member.id);
    expect(() => store.usableInvitation(code)).toThrow(new InvitationError('used'));
    // a second redemption of the same invitation (the racing request) changes nothing
    expect(() => store.redeemInvitation(invitation.id, { name: 'Eve', userHandle: 'h2' }, passkey('cred-2'))).toThrow(/already used/);
    expect(store.members().map((m) => m.name)).toEqual(['Ben']);
    expect(store.passkey('cred-2')).toBeUndefined();
  });

  it('of two stores (two processes) racing on one invitation, exactly one wins', () => {
    const other = new AuthStore(path.join(dir, 'auth.sqlite'), () => now);
    try {
      const { invitation } = store.createInvitation({ role: 'admin', createdBy: 'system', ttlMs: 3_600_000 });
      const outcomes = [store, other, store, other].map((s, i) => {
        try {
          s.redeemInvitation(invitation.id, { name: `p${i}`, userHandle: `h${i}` }, passkey(`c${i}`));
          return 'won';
        } catch (error) {
          return (error as InvitationError).problem;
        }
      });
      expect(outcomes).toEqual(['won', 'used', 'used', 'used']);
      expect(other.members()).toHaveLength(1);
    } finally {
      other.close();
    }
  });

  it('refuses an expired, a revoked and an unknown code, each with its own reason', () => {
    const expiring = store.createInvitation({ role: 'viewer', createdBy: 'x', ttlMs: 1000 });
    const revoked = store.createInvitation({ role: 'viewer', createdBy: 'x', ttlMs: 3_600_000 });
    expect(store.revokeInvitation(revoked.invitation.id)).toBe(true);
    expect(store.revokeInvitation(revoked.invitation.id)).toBe(false);
    now += 1000;
    expect(() => store.usableInvitation(expiring.code)).toThrow(new InvitationError('expired'));
    expect(() => store.redeemInvitation(expiring.invitation.id, { name: 'a', userHandle: 'a' }, passkey('a'))).toThrow(
      new InvitationError('expired'),
    );
    expect(() => store.usableInvitation(revoked.code)).toThrow(new InvitationError('revoked'));
    expect(() => store.usableInvitation('AAAAA-BBBBB-CCCCC-DDDDD')).toThrow(new InvitationError('unknown'));
  });

  it('a setup code made for an existing member adds a passkey to them and makes them an administrator', () => {
    const first = store.createInvitation({ role: 'viewer', createdBy: 'x', ttlMs: 3_600_000 });
    const ana = store.redeemInvitation(first.invitation.id, { name: 'Ana', userHandle: 'ha' }, passkey('old'));
    const recovery = store.createInvitation({ role: 'admin', createdBy: 'system', ttlMs: 3_600_000, memberId: ana.id });
    const again = store.redeemInvitation(recovery.invitation.id, { name: 'ignored', userHandle: 'ignored' }, passkey('new'));
    expect(again).toMatchObject({ id: ana.id, name: 'Ana', role: 'admin', userHandle: 'ha' });
    expect(store.passkeysOf(ana.id).map((p) => p.id)).toEqual(['old', 'new']);
    expect(store.members()).toHaveLength(1);
  });
});

describe('sessions', () => {
  function member(role: 'viewer' | 'admin', name: string) {
    const { invitation } = store.createInvitation({ role, createdBy: 'x', ttlMs: 3_600_000 });
    return store.redeemInvitation(invitation.id, { name, userHandle: `h-${name}` }, passkey(`c-${name}`));
  }

  it('live until it expires or is revoked, and ended for a removed member or a changed role', () => {
    const admin = member('admin', 'Ana');
    const viewer = member('viewer', 'Ben');
    const a = store.createSession(admin.id, 60_000);
    const b = store.createSession(viewer.id, 60_000);
    expect(store.liveSession(a.id)?.member.name).toBe('Ana');
    expect(store.revokeSession(a.id)).toBe(true);
    expect(store.liveSession(a.id)).toBeUndefined();

    expect(store.setRole(viewer.id, 'admin').sessions).toBe(1);
    expect(store.liveSession(b.id)).toBeUndefined();
    const c = store.createSession(viewer.id, 60_000);
    expect(store.liveSession(c.id)?.member.role).toBe('admin');
    now += 60_000;
    expect(store.liveSession(c.id)).toBeUndefined();

    const d = store.createSession(viewer.id, 60_000);
    const removed = store.removeMember(viewer.id);
    expect(removed).toMatchObject({ passkeys: 1, sessions: 1 });
    expect(store.liveSession(d.id)).toBeUndefined();
    expect(store.passkey('c-Ben')).toBeUndefined();
  });

  it('never loses the last administrator', () => {
    const admin = member('admin', 'Ana');
    expect(() => store.removeMember(admin.id)).toThrow(MemberError);
    expect(() => store.setRole(admin.id, 'viewer')).toThrow(/last administrator/);
    member('admin', 'Cy');
    expect(store.setRole(admin.id, 'viewer').member.role).toBe('viewer');
  });

  it('signed cookies: the id comes back only with an intact signature, before expiry', () => {
    const key = store.sessionKey();
    expect(store.sessionKey().equals(key)).toBe(true);
    const value = signSession(key, { id: 'abc', expiresAt: now + 1000 });
    expect(verifySessionValue(key, value, now)).toBe('abc');
    expect(verifySessionValue(key, value, now + 1000)).toBeUndefined();
    const [id, expires, mac] = value.split('.');
    expect(verifySessionValue(key, `${id}.${Number(expires) + 999999}.${mac}`, now)).toBeUndefined();
    expect(verifySessionValue(key, `xyz.${expires}.${mac}`, now)).toBeUndefined();
    expect(verifySessionValue(Buffer.alloc(32), value, now)).toBeUndefined();
    expect(verifySessionValue(key, 'garbage', now)).toBeUndefined();
    expect(cookieValue(`a=1; pa_session=${value}; b=2`, 'pa_session')).toBe(value);
  });

  it('single-use challenges bound to their purpose and invitation, within their lifetime', () => {
    const join = issueChallenge(store, 'join', { invitationId: 'inv', userHandle: 'hh' });
    expect(consumeChallenge(store, join.base64url, 'sign_in', 60_000)).toBeUndefined();
    const again = issueChallenge(store, 'join', { invitationId: 'inv', userHandle: 'hh' });
    expect(consumeChallenge(store, again.base64url, 'join', 60_000)).toEqual({ invitationId: 'inv', userHandle: 'hh' });
    expect(consumeChallenge(store, again.base64url, 'join', 60_000)).toBeUndefined();
    const late = issueChallenge(store, 'sign_in');
    now += 60_000;
    expect(consumeChallenge(store, late.base64url, 'sign_in', 60_000)).toBeUndefined();
  });
});

describe('PUBLIC_URL', () => {
  it('names the RP ID and origin; refuses an IP address, a path and plain http beyond localhost', () => {
    expect(signInConfig(parseEnv({ PUBLIC_URL: 'https://analytics.example.com/' }))).toMatchObject({
      origin: 'https://analytics.example.com',
      rpId: 'analytics.example.com',
      secureCookies: true,
    });
    expect(signInConfig(parseEnv({ PUBLIC_URL: 'http://localhost:3000' }))).toMatchObject({
      rpId: 'localhost',
      host: 'localhost:3000',
      secureCookies: false,
    });
    expect(signInConfig(parseEnv({}))).toBeUndefined();
    expect(() => parseEnv({ PUBLIC_URL: 'https://10.0.0.5' })).toThrow(/not the IP address 10.0.0.5/);
    expect(() => parseEnv({ PUBLIC_URL: 'https://example.com/dashboard' })).toThrow(/origin only/);
    expect(() => parseEnv({ PUBLIC_URL: 'http://analytics.example.com' })).toThrow(/must be https/);
  });
});
