import type { Metadata } from 'next';
import { Suspense } from 'react';
import { FailuresView } from '@/components/pages/failures/failures-view';

export const metadata: Metadata = { title: 'Failures · Passkey rollout analytics' };

export default function FailuresPage() {
  return (
    <Suspense>
      <FailuresView />
    </Suspense>
  );
}
