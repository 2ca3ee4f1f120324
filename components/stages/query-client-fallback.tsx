'use client';

import { QueryClient, QueryClientContext, QueryClientProvider } from '@tanstack/react-query';
import { useContext, useState, type ReactNode } from 'react';
import styles from './stages.module.css';

/**
 * Uses the dashboard shell's QueryClient when the page is inside it, else a client (and a padded
 * frame) of its own — so the Stage gates page works in the shared shell and on its own.
 */
export function QueryClientFallback({ children }: { children: ReactNode }) {
  const existing = useContext(QueryClientContext);
  const [own] = useState(() => (existing ? null : new QueryClient()));
  if (existing || !own) return <>{children}</>;
  return (
    <QueryClientProvider client={own}>
      <div className={styles.standalone}>{children}</div>
    </QueryClientProvider>
  );
}
