import type { Metadata } from 'next';
import { Suspense } from 'react';
import { RecoveryView } from '@/components/pages/recovery/recovery-view';

export const metadata: Metadata = { title: 'Recovery & support · Passkey rollout analytics' };

export default function RecoveryPage() {
  return (
    <Suspense>
      <RecoveryView />
    </Suspense>
  );
}
