// Night-shift theme picked on the desk (client/services/theme.ts): set before first paint.
// A file, not an inline script: the Content-Security-Policy allows scripts from this origin only.
/* global localStorage, document */
try {
  var t = localStorage.getItem('livedesk:theme');
  if (t === 'dark' || t === 'light') document.documentElement.dataset.theme = t;
} catch {
  // No storage (private mode): the page follows the system's scheme.
}
