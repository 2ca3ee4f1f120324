import type { Metadata } from 'next';
import { AuditView } from '@/components/pages/members/audit-view';

export const metadata: Metadata = { title: 'Audit log · Passkey rollout analytics' };

export default function AuditPage() {
  return <AuditView />;
}
