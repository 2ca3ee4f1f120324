import type { Metadata } from 'next';
import { OverviewView } from '@/components/pages/overview/overview-view';

export const metadata: Metadata = { title: 'Overview · Passkey rollout analytics' };

export default function OverviewPage() {
  return <OverviewView />;
}
