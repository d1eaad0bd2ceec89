import { Navigate, NavLink, Outlet, useLocation } from 'react-router';
import { useAuth } from '../../auth/auth-context.js';
import { NotFoundPage } from '../home-page.js';
import '../plan-pages.css';

/**
 * `/admin/*`: the admin console's frame. Someone signed out is sent to log in; someone signed in who is not
 * an admin meets the app's not-found page, as the API answers them 404.
 */
export function AdminLayout() {
  const { state } = useAuth();
  const location = useLocation();
  if (state.status === 'loading') return <p role="status">Loading…</p>;
  if (state.status === 'signed-out') return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (state.user.role !== 'admin') return <NotFoundPage />;
  return (
    <div className="admin-page stack wide">
      <nav className="admin-nav" aria-label="Admin">
        <NavLink to="/admin" end>
          Users
        </NavLink>
        <NavLink to="/admin/plans">Plans</NavLink>
        <NavLink to="/admin/audit">Audit log</NavLink>
      </nav>
      <Outlet />
    </div>
  );
}
