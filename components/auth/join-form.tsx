'use client';

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { AuthFooter } from './auth-footer';
import styles from './auth.module.css';
import { joinWithPasskey } from './passkey-client';

/**
 * Join with an invitation (or the setup code): a name and a new passkey. An invitation link carries
 * the code in its fragment (`/join#code=…`), which browsers never send to a server.
 */
export function JoinForm() {
  const codeInput = useRef<HTMLInputElement>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const takeCode = () => {
      const fromLink = new URLSearchParams(window.location.hash.slice(1)).get('code');
      if (fromLink && codeInput.current) {
        codeInput.current.value = fromLink;
        // Out of the address bar and the history: the code is single-use, but still a secret until used.
        history.replaceState(null, '', window.location.pathname);
      }
    };
    takeCode();
    // A link pasted into an open /join tab changes only the fragment.
    window.addEventListener('hashchange', takeCode);
    return () => window.removeEventListener('hashchange', takeCode);
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await joinWithPasskey(codeInput.current?.value ?? '', name);
      // A full load: the layout renders again with the new session.
      window.location.replace(new URL('/', window.location.origin).href);
    } catch (failure) {
      setError((failure as Error).message);
      setBusy(false);
    }
  };

  return (
    <main className={styles.page}>
      <form className={styles.card} onSubmit={submit}>
        <h1 className={styles.title}>Join the dashboard</h1>
        <p className={styles.lead}>Create a passkey for this dashboard with your invitation code. You will sign in with it from now on.</p>
        <label className={styles.field}>
          Invitation or setup code
          <input className={styles.input} name="code" ref={codeInput} autoComplete="off" spellCheck={false} required />
        </label>
        <label className={styles.field}>
          Your name (as the audit log and decisions will show it)
          <input
            className={styles.input}
            name="name"
            value={name}
            onChange={(event) => setName(event.target.value)}
            autoComplete="name"
            maxLength={80}
            required
          />
        </label>
        <button type="submit" className={styles.primary} disabled={busy}>
          {busy ? 'Waiting for your passkey…' : 'Create a passkey and join'}
        </button>
        <AuthFooter error={error}>
          Already joined? <a href="/login">Sign in</a>.
        </AuthFooter>
      </form>
    </main>
  );
}
