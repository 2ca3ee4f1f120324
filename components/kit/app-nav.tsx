'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { withGlobalParams } from '@/lib/client/global-params';
import type { Account } from './account';
import styles from './app-nav.module.css';

export const NAV_ITEMS = [
  { href: '/', label: 'Overview' },
  { href: '/registration', label: 'Registration' },
  { href: '/signin', label: 'Sign-in & fallback' },
  { href: '/retention', label: 'Passkey retention' },
  { href: '/journeys', label: 'Journeys' },
  { href: '/recovery', label: 'Recovery & support' },
  { href: '/failures', label: 'Failures' },
  { href: '/security', label: 'Security' },
  { href: '/lookup', label: 'Lookup' },
  { href: '/quarantine', label: 'Quarantine' },
  { href: '/stages', label: 'Stage gates' },
  { href: '/alerts', label: 'Alerts' },
] as const;

/** Administration: members (with sign-in) and the audit log, for administrators and on an open install. */
export const ADMIN_ITEMS = [
  { href: '/members', label: 'Members' },
  { href: '/audit', label: 'Audit log' },
] as const;

function isCurrent(pathname: string, href: string): boolean {
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
}

/** The side navigation; links carry the global window and filters to the next page. */
export function AppNav({ account = null }: { account?: Account | null }) {
  const pathname = usePathname();
  const search = useSearchParams();
  const current = new URLSearchParams(search.toString());
  return (
    <aside className={styles.sidebar}>
      <Link href={withGlobalParams('/', current)} className={styles.brand}>
        Passkey rollout
        <small>analytics</small>
      </Link>
      <nav className={styles.nav} aria-label="Dashboard">
        {NAV_ITEMS.map((item) => (
          <Link
            key={item.href}
            href={item.href === '/stages' || item.href === '/alerts' ? item.href : withGlobalParams(item.href, current)}
            className={styles.link}
            aria-current={isCurrent(pathname, item.href) ? 'page' : undefined}
          >
            {item.label}
          </Link>
        ))}
      </nav>
      {account === null || account.role === 'admin' ? (
        <nav className={styles.nav} aria-label="Administration">
          <div className={styles.section}>Administration</div>
          {ADMIN_ITEMS.map((item) => (
            <Link
              key={item.href}
              href={item.href}
              className={styles.link}
              aria-current={isCurrent(pathname, item.href) ? 'page' : undefined}
            >
              {item.label}
            </Link>
          ))}
        </nav>
      ) : null}
      {account ? <SignedInAs account={account} /> : null}
    </aside>
  );
}

function SignedInAs({ account }: { account: Account }) {
  const signOut = async () => {
    await fetch('/api/auth/sign-out', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).catch(
      () => undefined,
    );
    window.location.replace(new URL('/login', window.location.origin).href);
  };
  return (
    <div className={styles.account} data-testid="signed-in-as">
      <span>
        {account.name} <small>({account.role})</small>
      </span>
      {account.via === 'passkey' ? (
        <button type="button" className={styles.signOut} onClick={signOut}>
          Sign out
        </button>
      ) : (
        <small title="Signed in by the SSO proxy: sign out there">SSO</small>
      )}
    </div>
  );
}
