import { html, nothing } from 'lit';
import { icons } from '../components/icons.js';
import { Limits } from '../../shared/limits.js';
import { CollabClose } from '../../shared/collab/closeCodes.js';
import type { CollabDocState } from '../controllers/CollabDoc.js';

/**
 * The header banner about the desk document's size (order, pins, key marks of the live file): a
 * warning well before the server's cap, and what happened once the server refused a change for it.
 * The entries are documents of their own and stay editable either way. Styled by ld-live-file-page.styles.ts.
 */
export function deskSizeBanner(st: CollabDocState | undefined) {
  if (!st) return nothing;
  if (st.tooLarge) {
    return html`<div class="banner ended" role="status" data-testid="desk-too-large">
      ${icons.lock()}<span><strong>This live file reached its size limit, so your latest changes to the order, pins or key marks were not sent.</strong>
        They are still on this device. You can keep writing in the entries; for more, start a new live file.</span>
      <details data-testid="desk-size-details"><summary>Details</summary>
        The server refused a change that would have made this live file's desk larger than
        ${Limits.maxDocBytes.toLocaleString('en')} bytes. ${st.unsent} ${st.unsent === 1 ? 'change' : 'changes'} not sent.
        Code ${CollabClose.DocumentTooLarge.code} (${CollabClose.DocumentTooLarge.reason}).</details>
    </div>`;
  }
  if (st.bytes >= Limits.docWarnBytes) {
    return html`<div class="banner" role="status" data-testid="desk-size-warning">
      ${icons.warn()}<span><strong>This live file is getting long.</strong> Start a new live file for the next part of the story soon.</span>
    </div>`;
  }
  return nothing;
}
