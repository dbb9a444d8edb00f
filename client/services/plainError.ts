import { html, nothing } from 'lit';
import { ApiError, httpReason } from './apiClient.js';

export { httpReason };

/**
 * What went wrong, in words an editor on deadline reads at a glance (docs/ux.md, Errors): what
 * happened and whether trying again can help. Status codes and the server's own text never go in
 * the sentence; they go in `details`, shown under a "Details" disclosure [ER1].
 */
export interface PlainError {
  /** A clause to follow "Couldn't …: ", without a final full stop: "the desk server isn't answering just now". */
  reason: string;
  /** The network or the server is the trouble: the same request may work in a moment. */
  transient: boolean;
  /** For the Details disclosure: the HTTP status, the error id and the server's message. */
  details: string;
}

export function plainError(err: unknown): PlainError {
  if (err instanceof ApiError) {
    const transient = err.status === 0 || err.status === 429 || err.status >= 500;
    const details = err.status === 0 ? `No answer from the server (${err.code})` : `HTTP ${err.status} · ${err.code} · ${err.message}`;
    return { reason: httpReason(err.status), transient, details };
  }
  if (err instanceof Error && err.name === 'AbortError') return { reason: 'it was cancelled', transient: true, details: err.message };
  return { reason: 'something went wrong in this page', transient: true, details: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
}

/** The Details disclosure under an error: the codes, for whoever gets asked to help. */
export function errorDetails(details: string | undefined) {
  return details ? html`<details class="error-details" data-testid="error-details"><summary>Details</summary><code>${details}</code></details>` : nothing;
}
