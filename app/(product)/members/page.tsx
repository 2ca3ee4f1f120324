import type { Metadata } from 'next';
import { MembersView } from '@/components/pages/members/members-view';

export const metadata: Metadata = { title: 'Members · Passkey rollout analytics' };

export default function MembersPage() {
  return <MembersView />;
}
