// Entry point of the filing page (client/file.html, served at /file): the correspondent's phone
// page. Its own bundle: lit, the outbox and socket.io-client (lazy); no Yjs, no editor, no desk.
import { applyTheme } from '../services/theme.js';
import './ld-filing-app.js';

applyTheme();

/**
 * The filing page's service worker: the same /sw.js as the desk, registered for /file with
 * `?shell=file`, so it keeps this page's shell only (the desk's chunks are not downloaded to a
 * correspondent's phone). Registered once the page is quiet, like the desk's.
 */
function registerFilingWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register('/sw.js?shell=file', { scope: '/file' }).catch(() => {
      /* no service worker here: the page works online only */
    });
  };
  const whenQuiet = () => setTimeout(() => ('requestIdleCallback' in window ? requestIdleCallback(register, { timeout: 3000 }) : register()), 1500);
  if (document.readyState === 'complete') whenQuiet();
  else addEventListener('load', whenQuiet, { once: true });
}

registerFilingWorker();
