import type { ReactNode } from 'react';
import { AppShell } from '@/components/kit/app-shell';
import { defaultEnvironment } from '@/lib/metrics/environment';

export default function ProductLayout({ children }: { children: ReactNode }) {
  // Rendered per request (the root layout awaits the connection): the configuration of this process.
  return <AppShell defaultEnvironment={defaultEnvironment()}>{children}</AppShell>;
}
