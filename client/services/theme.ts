/** Night-shift switch (ux.md §6): follows prefers-color-scheme until the user picks; the pick is remembered. */
export type Theme = 'light' | 'dark';

const KEY = 'livedesk:theme';
const media = () => matchMedia('(prefers-color-scheme: dark)');

export function storedTheme(): Theme | null {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'dark' || v === 'light' ? v : null;
  } catch {
    return null;
  }
}

export function effectiveTheme(): Theme {
  return storedTheme() ?? (media().matches ? 'dark' : 'light');
}

/** Sets data-theme on <html> (tokens in global.css); no attribute = follow the system. */
export function applyTheme(): void {
  const t = storedTheme();
  if (t) document.documentElement.dataset.theme = t;
  else delete document.documentElement.dataset.theme;
}

export function setTheme(t: Theme): void {
  try {
    localStorage.setItem(KEY, t);
  } catch {
    /* private mode: applies for this page only */
  }
  document.documentElement.dataset.theme = t;
}

/** Calls back when the system scheme changes (matters only while the user has not picked). */
export function onSystemThemeChange(fn: () => void): () => void {
  const m = media();
  m.addEventListener('change', fn);
  return () => m.removeEventListener('change', fn);
}
