import type { Metadata } from 'next';
import { RegistrationView } from '@/components/pages/registration/registration-view';

export const metadata: Metadata = { title: 'Registration · Passkey rollout analytics' };

export default function RegistrationPage() {
  return <RegistrationView />;
}
