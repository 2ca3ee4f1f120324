import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { AppShell } from '@/components/kit/app-shell';
import { personOf } from '@/lib/auth/sign-in';
import { defaultEnvironment } from '@/lib/metrics/environment';

export default async function ProductLayout({ children }: { children: ReactNode }) {
  // Rendered per request (the root layout awaits the connection): the configuration of this process,
  // and who is signed in (proxy.ts has already turned away anyone who is not).
  const person = personOf(await headers());
  const account = person && !('refused' in person) ? { name: person.name, role: person.role, via: person.via } : null;
  return (
    <AppShell defaultEnvironment={defaultEnvironment()} account={account}>
      {children}
    </AppShell>
  );
}
