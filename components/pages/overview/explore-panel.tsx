'use client';

import Link from 'next/link';
import { Panel } from '@/components/kit/panel';
import { useGlobalParams } from '@/lib/client/use-global-params';
import { withGlobalParams } from '@/lib/client/global-params';
import styles from './overview.module.css';

const PAGES = [
  { href: '/registration', title: 'Registration', text: 'Ceremony success per device class, OS, browser and provider; upsell friction.' },
  { href: '/signin', title: 'Sign-in & fallback', text: 'Holders’ passkey success, fallback reasons and the fallback-reliant cohort.' },
  {
    href: '/journeys',
    title: 'Journeys',
    text: 'The paths sign-in, enrolment and recovery take, where they drop off, and how long each takes.',
  },
  { href: '/recovery', title: 'Recovery & support', text: 'Recovery load, phishable recovery and ticket drivers.' },
  { href: '/failures', title: 'Failures', text: 'A Pareto of failure reasons with drill-down to ceremonies.' },
  { href: '/security', title: 'Security', text: 'Origin / RP ID mismatches, counter anomalies, risky recoveries.' },
  { href: '/lookup', title: 'Lookup', text: 'One user, credential, flow or trace: its event timeline.' },
] as const;

export function ExplorePanel() {
  const { pageSearch } = useGlobalParams();
  return (
    <Panel title="Explore" subtitle="Same window and filters" span="two-thirds" testId="panel-explore">
      <div className={styles.links}>
        {PAGES.map((page) => (
          <Link key={page.href} href={withGlobalParams(page.href, pageSearch)} className={styles.linkCard}>
            <div className={styles.linkTitle}>{page.title}</div>
            <div className={styles.linkText}>{page.text}</div>
          </Link>
        ))}
      </div>
    </Panel>
  );
}
