import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, createRoutesFromElements, Navigate, Route, RouterProvider, useLocation } from 'react-router';
import { ApiError } from './api/client.js';
import { AuthProvider, useAuth } from './auth/auth-context.js';
import { ConfirmProvider } from './components/confirm-dialog.js';
import { Layout } from './components/layout.js';
import { AccountPage, SessionsPage } from './pages/account-pages.js';
import { AcceptInvitePage } from './pages/accept-invite-page.js';
import { AdminLayout } from './pages/admin/admin-layout.js';
import { GoalsPage } from './pages/coach/goals-page.js';
import { MirrorSessionPage } from './pages/coach/mirror-session-page.js';
import { MirrorSessionsPage } from './pages/coach/mirror-sessions-page.js';
import { TurnPage } from './pages/coach/turn-page.js';
import { LoginPage, ResetPasswordRoute, SignupPage } from './pages/auth-pages.js';
import { DraftsPage } from './pages/drafts-page.js';
import { HomePage, NotFoundPage } from './pages/home-page.js';
import { InsightsPage } from './pages/insights-page.js';
import { PlanPage } from './pages/plan-page.js';
import { ProfilePage } from './pages/profile-page.js';
import { TodayPage } from './pages/today-page.js';
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

// The draft and import pages carry the platforms' counting rules (twitter-text): loaded when first opened.
const draftPage = () => import('./pages/draft-page.js').then(({ DraftPage }) => ({ element: <RequireAuth><DraftPage /></RequireAuth> }));
const importPage = () => import('./pages/import-page.js').then(({ ImportPage }) => ({ element: <RequireAuth><ImportPage /></RequireAuth> }));
// The admin console's pages load when an admin opens one; AdminLayout decides who may see them.
const adminPage = (name: 'AdminUsersPage' | 'AdminUserPage' | 'AdminPlansPage' | 'AdminAuditPage') => () =>
  import('./pages/admin/index.js').then((pages) => {
    const Page = pages[name];
    return { element: <Page /> };
  });

// A data router: the draft page asks before a move inside the app would leave unsent text (useBlocker).
const router = createBrowserRouter(
  createRoutesFromElements(
    <Route element={<Layout />} hydrateFallbackElement={<p role="status">Loading…</p>}>
      <Route index element={<HomePage />} />
      <Route path="signup" element={<SignupPage />} />
      <Route path="login" element={<LoginPage />} />
      <Route path="reset-password" element={<ResetPasswordRoute />} />
      <Route path="account" element={<RequireAuth><AccountPage /></RequireAuth>} />
      <Route path="sessions" element={<RequireAuth><SessionsPage /></RequireAuth>} />
      <Route path="drafts" element={<RequireAuth><DraftsPage /></RequireAuth>} />
      <Route path="drafts/import" lazy={importPage} />
      <Route path="drafts/:id" lazy={draftPage} />
      <Route path="today" element={<RequireAuth><TodayPage /></RequireAuth>} />
      <Route path="insights" element={<RequireAuth><InsightsPage /></RequireAuth>} />
      <Route path="plan" element={<RequireAuth><PlanPage /></RequireAuth>} />
      <Route path="coach" element={<Navigate to="/coach/goals" replace />} />
      <Route path="coach/goals" element={<RequireAuth><GoalsPage /></RequireAuth>} />
      <Route path="coach/turn" element={<RequireAuth><TurnPage /></RequireAuth>} />
      <Route path="coach/mirror" element={<RequireAuth><MirrorSessionsPage /></RequireAuth>} />
      <Route path="coach/mirror/:id" element={<RequireAuth><MirrorSessionPage /></RequireAuth>} />
      <Route path="admin" element={<AdminLayout />}>
        <Route index lazy={adminPage('AdminUsersPage')} />
        <Route path="users/:id" lazy={adminPage('AdminUserPage')} />
        <Route path="plans" lazy={adminPage('AdminPlansPage')} />
        <Route path="audit" lazy={adminPage('AdminAuditPage')} />
      </Route>
      {/* Open to everyone: a profile holds only public facts. */}
      <Route path="u/:id" element={<ProfilePage />} />
      <Route path="ref/:token" element={<AcceptInvitePage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Route>,
  ),
);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <AuthProvider>
        <ConfirmProvider>
          <RouterProvider router={router} />
        </ConfirmProvider>
      </AuthProvider>
    </QueryClientProvider>
  </StrictMode>,
);
