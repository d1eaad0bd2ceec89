import { useEffect, useState } from 'react';

/** Where the reader's choice is kept; public/theme.js reads it before the first paint. */
const THEME_KEY = 'onering.theme';
type Theme = 'light' | 'dark';

const darkQuery = () => window.matchMedia('(prefers-color-scheme: dark)');

function pinnedTheme(): Theme | null {
  const theme = document.documentElement.dataset.theme;
  return theme === 'light' || theme === 'dark' ? theme : null;
}

function shownTheme(): Theme {
  return pinnedTheme() ?? (darkQuery().matches ? 'dark' : 'light');
}

/** Switches between the light and dark themes and remembers the choice; until then the system decides. */
export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(shownTheme);

  useEffect(() => {
    const query = darkQuery();
    const follow = () => setTheme(shownTheme());
    query.addEventListener('change', follow);
    return () => query.removeEventListener('change', follow);
  }, []);

  function toggle() {
    const next = theme === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    try {
      localStorage.setItem(THEME_KEY, next);
    } catch {
      // Storage refused (private mode, quota): the choice still holds for this page.
    }
    setTheme(next);
  }

  return (
    <button type="button" className="theme-toggle" aria-pressed={theme === 'dark'} title="Dark theme" onClick={toggle}>
      <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
        {theme === 'dark' ? (
          <path d="M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z" />
        ) : (
          <>
            <circle cx="12" cy="12" r="4" />
            <path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" />
          </>
        )}
      </svg>
      <span className="visually-hidden">Dark theme</span>
    </button>
  );
}
