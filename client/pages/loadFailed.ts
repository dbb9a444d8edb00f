import { css, html, nothing } from 'lit';
import { errorDetails, type PlainError } from '../services/plainError.js';
import { formatTimeOrDate } from '../format.js';
import { icons } from '../components/icons.js';

export interface LoadFailedView {
  /** What could not be loaded, for the sentence: "this live file", "the live files". */
  what: string;
  error: PlainError;
  /** When this device last saw the data it shows instead (ISO), or null when it has none. */
  savedAt: string | null;
  timeZone: string;
  /** A Try again is under way. */
  retrying: boolean;
  onRetry: () => void;
  /** Offer the way back to the live files list (the live-file page). */
  back: boolean;
  /** What the last-known copy allows, after the reason (default: "Read-only until it loads."). */
  note?: string;
}

/**
 * The state of a page whose data did not load [ER2, ER3, ER4]: in plain words, what happened and
 * what is shown instead, with a Try again that works and the codes under Details. With last-known data
 * the page shows it read-only beneath; without, it says so rather than leaving a blank page.
 * A template for the page's own shadow root; styles in `loadFailedStyles`.
 */
export function loadFailed(v: LoadFailedView) {
  const stale = v.savedAt !== null;
  const title = stale ? "Couldn't reach the desk; showing what this device last saw" : v.error.transient ? "Couldn't reach the desk" : `Couldn't open ${v.what}`;
  const why = stale
    ? html`Saved here at <time datetime=${v.savedAt!}>${formatTimeOrDate(v.savedAt!, v.timeZone)}</time>: ${v.error.reason}. ${v.note ?? 'Read-only until it loads.'}`
    : v.error.transient
      ? html`${capital(v.error.reason)}, and this device has nothing saved of ${v.what} to show meanwhile.`
      : html`${capital(v.error.reason)}.`;
  return html`<div class="load-failed ${stale ? 'stale' : ''}" role="status" data-testid="load-failed" data-stale=${String(stale)}>
      ${icons.cloudOff()}
      <div class="load-failed-text"><strong>${title}</strong> <span>${why}</span> ${errorDetails(v.error.details)}</div>
      <div class="load-failed-actions">
        <button class="primary" data-testid="try-again" ?disabled=${v.retrying} @click=${v.onRetry}>${v.retrying ? 'Trying again…' : 'Try again'}</button>
        ${v.back ? html`<a class="btn ghost" href="#/">Back to live files</a>` : nothing}
      </div>
    </div>`;
}

function capital(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

export const loadFailedStyles = css`
  .load-failed { display: flex; flex-wrap: wrap; align-items: flex-start; gap: var(--s2) var(--s3); margin: var(--s3) 0;
    padding: var(--s3); border-radius: var(--r2); background: var(--warn-bg); color: var(--text); border: 1px solid var(--border); }
  .load-failed > .icon { color: var(--warn); flex: none; margin-top: 2px; }
  .load-failed-text { flex: 1 1 260px; min-width: 0; line-height: 1.5; }
  .load-failed-text strong { display: block; }
  .load-failed-actions { display: flex; gap: var(--s2); flex-wrap: wrap; align-items: center; }
  .error-details { margin-top: var(--s1); font-size: 14px; color: var(--text-muted); }
  .error-details summary { cursor: pointer; min-height: 24px; }
  .error-details code { font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
  /* Phones: a compact notice, so the last-known cards start high on the screen. */
  @media (max-width: 600px) {
    .load-failed { font-size: 14px; padding: var(--s2) var(--s3); gap: var(--s1) var(--s2); margin: var(--s2) 0; }
    .load-failed-text strong { font-size: 15px; }
    .load-failed-actions { flex-basis: 100%; justify-content: flex-end; }
    .load-failed-actions > * { min-height: 44px; }
  }
`;
