'use client';

import { createContext, useContext, type ReactNode } from 'react';

/** Who is signed in, when sign-in is on (PUBLIC_URL or an SSO proxy); null on an open install. */
export interface Account {
  name: string;
  role: 'viewer' | 'admin';
  /** A passkey session (signs out here) or the SSO proxy's identity (signs out at the proxy). */
  via: 'passkey' | 'sso';
}

const AccountContext = createContext<Account | null>(null);

export function AccountProvider({ account, children }: { account: Account | null; children: ReactNode }) {
  return <AccountContext.Provider value={account}>{children}</AccountContext.Provider>;
}

/** The signed-in member; forms record them as the actor instead of asking for a name. */
export function useAccount(): Account | null {
  return useContext(AccountContext);
}
