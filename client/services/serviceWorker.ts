/**
 * Registers the service worker (client/sw.ts, built as /sw.js) in production builds. It waits
 * until the page has loaded and gone quiet, so on a slow phone its first download of the shell
 * never competes with the page's own first requests; from the second open on it serves the shell.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = (): void => {
    // Offline, the script cannot come: wait for the network rather than fail (and log) now.
    if (!navigator.onLine) return void addEventListener('online', register, { once: true });
    navigator.serviceWorker.register('/sw.js').catch(() => {
      /* no service worker (private mode, blocked, the network dropped): the page works as before, online only */
    });
  };
  const whenQuiet = () => setTimeout(() => ('requestIdleCallback' in window ? requestIdleCallback(register, { timeout: 5000 }) : register()), 3000);
  if (document.readyState === 'complete') whenQuiet();
  else addEventListener('load', whenQuiet, { once: true });
}
