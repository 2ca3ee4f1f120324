import type { Metadata } from 'next';
import { SigninView } from '@/components/pages/signin/signin-view';

export const metadata: Metadata = { title: 'Sign-in & fallback · Passkey rollout analytics' };

export default function SigninPage() {
  return <SigninView />;
}
