import type { Metadata } from 'next';
import { StageGatesView } from '@/components/stages/stage-gates-view';

export const metadata: Metadata = { title: 'Stage gates · Passkey rollout analytics' };

export default function StagesPage() {
  return <StageGatesView />;
}
