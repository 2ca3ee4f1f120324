import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AlertsView } from '@/components/pages/alerts/alerts-view';

export const metadata: Metadata = { title: 'Alerts · Passkey rollout analytics' };

export default function AlertsPage() {
  return (
    <Suspense>
      <AlertsView />
    </Suspense>
  );
}
