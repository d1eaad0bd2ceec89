import { useEffect, useRef } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { api } from '../api/client.js';
import { useAuth } from '../auth/auth-context.js';
import { Avatar } from './avatar.js';
import { ThemeToggle } from './theme-toggle.js';

/** OneRing's mark: a ring in the accent colour. */
export function RingMark({ size = 22 }: { size?: number }) {
  return (
    <svg className="brand-mark" aria-hidden="true" width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="3.5">
      <circle cx="12" cy="12" r="8.5" />
    </svg>
  );
}

/**
 * The page frame: brand, navigation for who is signed in, and the page itself. Below desktop width the
 * signed-in links take a row of their own under the brand and the account tools; on a phone the brand
 * shows only its mark and the signed-in name only its avatar (the name is still read out).
 */
export function Layout() {
  const { state } = useAuth();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const nav = useRef<HTMLElement>(null);
  // On a phone the links are one row that scrolls sideways: the current page's link is brought into it.
  useEffect(() => {
    const row = nav.current;
    const active = row?.querySelector<HTMLElement>('a.active');
    if (!row || !active || row.scrollWidth <= row.clientWidth) return;
    // The nav is positioned, so a link's offsetLeft is its place in the row.
    const start = active.offsetLeft;
    if (start < row.scrollLeft || start + active.offsetWidth > row.scrollLeft + row.clientWidth) row.scrollLeft = start - (row.clientWidth - active.offsetWidth) / 2;
  }, [pathname, state.status]);

  async function logout() {
    await api.logout().catch(() => undefined);
    navigate('/login');
  }

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className={state.status === 'signed-in' ? 'top-bar signed-in' : 'top-bar'}>
        <Link to="/" className="brand" aria-label="OneRing home">
          <RingMark />
          <span className="brand-name">OneRing</span>
        </Link>
        {state.status === 'signed-in' ? (
          <>
            <nav className="nav" aria-label="Main" ref={nav}>
              <NavLink to="/drafts">Drafts</NavLink>
              <NavLink to="/today">Today</NavLink>
              <NavLink to="/coach">Coach</NavLink>
              <NavLink to="/insights">Insights</NavLink>
              <NavLink to={`/u/${state.user.id}`}>Profile</NavLink>
              <NavLink to="/account">Account</NavLink>
              <NavLink to="/sessions">Devices</NavLink>
              <NavLink to="/plan">Plan</NavLink>
              {state.user.role === 'admin' && <NavLink to="/admin">Admin</NavLink>}
            </nav>
            <div className="bar-tools">
              <span className="who">
                <Avatar userId={state.user.id} displayName={state.user.displayName} size="small" decorative />
                <span className="who-name">
                  <span className="visually-hidden">Signed in as </span>
                  <span data-testid="signed-in-as">{state.user.displayName}</span>
                </span>
              </span>
              <ThemeToggle />
              <button type="button" className="link-button" onClick={logout}>
                Log out
              </button>
            </div>
          </>
        ) : (
          <div className="bar-tools">
            {state.status === 'signed-out' && (
              <nav className="nav" aria-label="Main">
                <NavLink to="/login">Log in</NavLink>
                <NavLink to="/signup">Sign up</NavLink>
              </nav>
            )}
            <ThemeToggle />
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
