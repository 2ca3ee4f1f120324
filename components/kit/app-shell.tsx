import { Suspense, type ReactNode } from 'react';
import { QueryProvider } from '@/lib/client/query-provider';
import { AccountProvider, type Account } from './account';
import { AppNav } from './app-nav';
import styles from './app-nav.module.css';
import { FilterBar } from './filter-bar';

/**
 * The dashboard shell: side navigation, the sticky global filter bar and one QueryClient.
 * Suspense: the nav and filters read the URL's search params on the client. `defaultEnvironment`
 * is the server's DEFAULT_ENVIRONMENT, which the filter bar shows when the URL names none.
 */
export function AppShell({
  children,
  filters = true,
  defaultEnvironment,
  account = null,
}: {
  children: ReactNode;
  filters?: boolean;
  defaultEnvironment?: string;
  /** The signed-in member (sign-in on), or null on an open install. */
  account?: Account | null;
}) {
  return (
    <QueryProvider>
      <AccountProvider account={account}>
        <div className={styles.shell}>
          <div className={styles.sideColumn}>
            <Suspense fallback={<aside className={styles.sidebar} />}>
              <AppNav account={account} />
            </Suspense>
          </div>
          <main className={styles.main}>
            {filters ? (
              <div className={styles.top}>
                <Suspense fallback={null}>
                  <FilterBar defaultEnvironment={defaultEnvironment} />
                </Suspense>
              </div>
            ) : null}
            <Suspense fallback={null}>{children}</Suspense>
          </main>
        </div>
      </AccountProvider>
    </QueryProvider>
  );
}
