import type { Metadata } from 'next';
import { Suspense } from 'react';
import { JourneysView } from '@/components/pages/journeys/journeys-view';

export const metadata: Metadata = { title: 'Journeys · Passkey rollout analytics' };

export default function JourneysPage() {
  return (
    <Suspense>
      <JourneysView />
    </Suspense>
  );
}
