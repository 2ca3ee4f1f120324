import type { Metadata } from 'next';
import { Suspense } from 'react';
import { SecurityView } from '@/components/pages/security/security-view';

export const metadata: Metadata = { title: 'Security · Passkey rollout analytics' };

export default function SecurityPage() {
  return (
    <Suspense>
      <SecurityView />
    </Suspense>
  );
}
