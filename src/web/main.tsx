import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { ApiError } from './api/client.js';
import { AuthProvider, useAuth } from './auth/auth-context.js';
import { ConfirmProvider } from './components/confirm-dialog.js';
import { Layout } from './components/layout.js';
import { AccountPage, SessionsPage } from './pages/account-pages.js';
import { AcceptInvitePage } from './pages/accept-invite-page.js';
import { LoginPage, ResetPasswordRoute, SignupPage } from './pages/auth-pages.js';
import { DraftPage } from './pages/draft-page.js';
import { DraftsPage } from './pages/drafts-page.js';
import { HomePage, NotFoundPage } from './pages/home-page.js';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: (count, error) => !(error instanceof ApiError && error.problem.status < 500) && count < 2 },
  },
});

/** Sends signed-out visitors to log in, and back here afterwards. */
function RequireAuth({ children }: { children: ReactNode }) {
  const { state } = useAuth();
  const location = useLocation();
  if (state.status === 'loading') return <p role="status">Loading…</p>;
  if (state.status === 'signed-out') {
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  }
  return <>{children}</>;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <AuthProvider>
          <ConfirmProvider>
            <Routes>
              <Route element={<Layout />}>
                <Route index element={<HomePage />} />
                <Route path="signup" element={<SignupPage />} />
                <Route path="login" element={<LoginPage />} />
                <Route path="reset-password" element={<ResetPasswordRoute />} />
                <Route path="account" element={<RequireAuth><AccountPage /></RequireAuth>} />
                <Route path="sessions" element={<RequireAuth><SessionsPage /></RequireAuth>} />
                <Route path="drafts" element={<RequireAuth><DraftsPage /></RequireAuth>} />
                <Route path="drafts/:id" element={<RequireAuth><DraftPage /></RequireAuth>} />
                <Route path="ref/:token" element={<AcceptInvitePage />} />
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Routes>
          </ConfirmProvider>
        </AuthProvider>
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
