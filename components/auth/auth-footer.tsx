import type { ReactNode } from 'react';
import styles from './auth.module.css';

/** The end of the sign-in and join cards: the ceremony's error, if any, and the way to the other page. */
export function AuthFooter({ error, children }: { error: string | null; children: ReactNode }) {
  return (
    <>
      {error ? (
        <p className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
      <p className={styles.note}>{children}</p>
    </>
  );
}
