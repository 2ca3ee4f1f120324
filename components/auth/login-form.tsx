'use client';

import { useState } from 'react';
import { AuthFooter } from './auth-footer';
import styles from './auth.module.css';
import { nextPath, signInWithPasskey } from './passkey-client';

/** Sign in with a passkey: one button, the browser offers the passkeys it holds for this site. */
export function LoginForm({ hasMembers }: { hasMembers: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const signIn = async () => {
    setBusy(true);
    setError(null);
    try {
      await signInWithPasskey();
      window.location.replace(new URL(nextPath(window.location.search), window.location.origin).href);
    } catch (failure) {
      setError((failure as Error).message);
      setBusy(false);
    }
  };

  return (
    <main className={styles.page}>
      <div className={styles.card}>
        <h1 className={styles.title}>Passkey rollout analytics</h1>
        {hasMembers ? (
          <>
            <p className={styles.lead}>Sign in with the passkey you registered for this dashboard.</p>
            <button type="button" className={styles.primary} onClick={signIn} disabled={busy}>
              {busy ? 'Waiting for your passkey…' : 'Sign in with a passkey'}
            </button>
          </>
        ) : (
          <p className={styles.lead}>
            Nobody has joined yet. The first administrator joins with the setup code printed in the server&apos;s log at start (or by{' '}
            <code>npm run auth -- setup-code</code>).
          </p>
        )}
        <AuthFooter error={error}>
          Have an invitation or a setup code? <a href="/join">Join with a code</a>.
        </AuthFooter>
      </div>
    </main>
  );
}
