'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { withGlobalParams } from '@/lib/client/global-params';
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

function isCurrent(pathname: string, href: string): boolean {
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
}

/** The side navigation; links carry the global window and filters to the next page. */
export function AppNav() {
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
    </aside>
  );
}
