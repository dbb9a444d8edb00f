import type { AccountView } from '../../shared/schemas/account.js';
import { forgetLastKnown } from './lastKnown.js';

/**
 * The account this device was last signed in as, so a reload while the server cannot be reached
 * (offline, the service worker serving the page) opens that person's desk read-only from what the
 * device last saw (services/lastKnown.ts) instead of a sign-in form that cannot work. Written on
 * every confirmed session; forgotten, with that account's last-known data, on sign-out, on a 401,
 * and when another account signs in here, so nothing of one person is shown to the next.
 */
const KEY = 'livedesk:last-account';

export function rememberAccount(account: AccountView): void {
  const previous = lastAccount();
  if (previous && previous.id !== account.id) forgetLastKnown(previous.id);
  try {
    localStorage.setItem(KEY, JSON.stringify(account));
  } catch {
    /* storage off: no offline desk, nothing else lost */
  }
}

export function lastAccount(): AccountView | null {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? 'null') as AccountView | null;
    return v && typeof v.id === 'string' && typeof v.role === 'string' ? v : null;
  } catch {
    return null;
  }
}

/** Sign-out or a session the server no longer knows: drop the account and everything kept for it. */
export function forgetAccount(): void {
  const previous = lastAccount();
  if (previous) forgetLastKnown(previous.id);
  try {
    localStorage.removeItem(KEY);
  } catch {
    /* nothing stored */
  }
}
