/* global document, localStorage */
// Runs before the first paint (a classic blocking script; the app's module runs later), so a reader who
// pinned a theme with the nav's toggle never sees the other one flash. Same key as theme-toggle.tsx.
try {
  const theme = localStorage.getItem('onering.theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
} catch {
  // Storage refused: the system's theme applies.
}
