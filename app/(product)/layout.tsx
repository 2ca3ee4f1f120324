import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { AppShell } from '@/components/kit/app-shell';
import { signedInOf } from '@/lib/auth/sign-in';
import { defaultEnvironment } from '@/lib/metrics/environment';

export default async function ProductLayout({ children }: { children: ReactNode }) {
  // Rendered per request (the root layout awaits the connection): the configuration of this process,
  // and who is signed in (proxy.ts has already sent anyone who is not to /login).
  const signedIn = signedInOf(await headers());
  const account = signedIn ? { name: signedIn.member.name, role: signedIn.member.role } : null;
  return (
    <AppShell defaultEnvironment={defaultEnvironment()} account={account}>
      {children}
    </AppShell>
  );
}
