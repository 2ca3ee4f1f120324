import type { Metadata } from 'next';
import { Suspense } from 'react';
import { RetentionView } from '@/components/pages/retention/retention-view';

export const metadata: Metadata = { title: 'Passkey retention · Passkey rollout analytics' };

export default function RetentionPage() {
  return (
    <Suspense>
      <RetentionView />
    </Suspense>
  );
}
