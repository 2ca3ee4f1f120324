import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { LoginForm } from '@/components/auth/login-form';
import { signIn } from '@/lib/auth/sign-in';

export const metadata: Metadata = { title: 'Sign in · Passkey rollout analytics' };

export default function LoginPage() {
  const auth = signIn();
  // Without PUBLIC_URL nobody signs in: the dashboard is open on loopback.
  if (!auth) notFound();
  return <LoginForm hasMembers={auth.store.members().length > 0} />;
}
