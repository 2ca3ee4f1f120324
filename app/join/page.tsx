import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { JoinForm } from '@/components/auth/join-form';
import { signIn } from '@/lib/auth/sign-in';

export const metadata: Metadata = { title: 'Join · Passkey rollout analytics' };

export default function JoinPage() {
  if (!signIn()) notFound();
  return <JoinForm />;
}
