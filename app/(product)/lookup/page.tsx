import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LookupView } from '@/components/pages/lookup/lookup-view';

export const metadata: Metadata = { title: 'Lookup · Passkey rollout analytics' };

export default function LookupPage() {
  return (
    <Suspense>
      <LookupView />
    </Suspense>
  );
}
