import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { User } from '../../contract/auth.js';
import { api } from '../api/client.js';

type AuthState = { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; user: User; sessionId: string };

const MAX_RETRY_MS = 30_000;

const AuthContext = createContext<{ state: AuthState; setUser(user: User): void } | null>(null);

/** Holds who is signed in; on load it asks the server once, using the httpOnly refresh cookie. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading' });
  const queryClient = useQueryClient();

  useEffect(() => {
    api.onAuthChange((auth) => {
      if (auth) setState({ status: 'signed-in', user: auth.user, sessionId: auth.sessionId });
      else {
        setState({ status: 'signed-out' });
        queryClient.clear();
      }
    });
    // Until the server can be asked, who is signed in is not known: ask again, backing off.
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const ask = (attempt: number) => {
      api.refresh().catch(() => {
        if (!stopped) retry = setTimeout(() => ask(attempt + 1), Math.min(MAX_RETRY_MS, 1000 * 2 ** attempt));
      });
    };
    ask(0);
    return () => {
      stopped = true;
      clearTimeout(retry);
    };
  }, [queryClient]);

  const value = useMemo(
    () => ({
      state,
      setUser: (user: User) => setState((s) => (s.status === 'signed-in' ? { ...s, user } : s)),
    }),
    [state],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth() {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth needs an AuthProvider');
  return value;
}
