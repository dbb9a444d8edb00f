/** setTimeout's longest delay; a longer wait is taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `onExpired` once the session's `expiresAt` has passed, so a connection opened with a
 * session does not outlive it. Returns the cancel function (call it when the connection ends).
 */
export function watchSessionExpiry(expiresAt: string, onExpired: () => void, now: () => number = Date.now): () => void {
  const deadline = Date.parse(expiresAt);
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const left = deadline - now();
    if (!(left > 0)) return onExpired(); // NaN (unparseable) counts as expired too
    timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}
