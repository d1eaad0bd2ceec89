import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { api } from '../api/client.js';
import { useAuth } from '../auth/auth-context.js';

/** The page frame: brand, navigation for who is signed in, and the page itself. */
export function Layout() {
  const { state } = useAuth();
  const navigate = useNavigate();

  async function logout() {
    await api.logout().catch(() => undefined);
    navigate('/login');
  }

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top-bar">
        <Link to="/" className="brand">
          <span aria-hidden="true">◯</span> OneRing
        </Link>
        <nav aria-label="Main">
          {state.status === 'signed-in' ? (
            <>
              <NavLink to="/drafts">Drafts</NavLink>
              <NavLink to="/account">Account</NavLink>
              <NavLink to="/sessions">Devices</NavLink>
              <span className="who" data-testid="signed-in-as">
                {state.user.displayName}
              </span>
              <button type="button" className="link-button" onClick={logout}>
                Log out
              </button>
            </>
          ) : state.status === 'signed-out' ? (
            <>
              <NavLink to="/login">Log in</NavLink>
              <NavLink to="/signup">Sign up</NavLink>
            </>
          ) : null}
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
