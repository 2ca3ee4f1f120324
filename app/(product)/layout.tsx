import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { AppShell } from '@/components/kit/app-shell';
import { WindowAnchorSeed } from '@/components/kit/window-anchor-seed';
import { personOf } from '@/lib/auth/sign-in';
import { defaultEnvironment } from '@/lib/metrics/environment';
import { renderTime } from './first-reads';

export default async function ProductLayout({ children }: { children: ReactNode }) {
  // Rendered per request (the root layout awaits the connection): the configuration of this process,
  // and who is signed in (proxy.ts has already turned away anyone who is not).
  const person = personOf(await headers());
  const account = person && !('refused' in person) ? { name: person.name, role: person.role, via: person.via } : null;
  return (
    <>
      {/* before the shell: the preset window's "now" is the server's, as in the reads it started (first-reads.ts) */}
      <WindowAnchorSeed at={renderTime()} />
      <AppShell defaultEnvironment={defaultEnvironment()} account={account}>
        {children}
      </AppShell>
    </>
  );
}
