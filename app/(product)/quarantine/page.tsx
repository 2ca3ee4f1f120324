import type { Metadata } from 'next';
import { Suspense } from 'react';
import { QuarantineView } from '@/components/pages/quarantine/quarantine-view';

export const metadata: Metadata = { title: 'Quarantine · Passkey rollout analytics' };

export default function QuarantinePage() {
  return (
    <Suspense>
      <QuarantineView />
    </Suspense>
  );
}
