import { html, nothing } from 'lit';
import { formatTimeOrDate } from '../format.js';
import { icons } from '../components/icons.js';
import type { DeskRow } from './deskRows.js';
import type { CopyState } from '../controllers/ClipboardCopy.js';


/**
 * The banner in the header when editing is off: read-only for this person, or the session ended
 * (`ended` is the reason). Either way the text stays on this device, so the banner offers a copy.
 * A template in the page's shadow root, styled by ld-live-file-page.styles.ts.
 */
export function readOnlyBanner(v: { ended: string | null; copy: CopyState | null; onCopy: () => void; onSignIn: () => void }) {
  const { ended, copy: c } = v;
  const title = !ended ? 'Read-only.' : ended === 'signed-out' ? 'You were signed out.' : 'Your access was removed.';
  const why = ended
    ? 'Editing is off and this desk no longer syncs. Everything you typed is kept on this device; copy what you need, then sign in again.'
    : 'This live file is read-only for you: changes are not saved on the server. Your text is still here to copy.';
  return html`<div class="banner ${ended ? 'ended' : ''}" role="status" data-testid="read-only-banner" data-reason=${ended ?? 'read-only'}>
      ${icons.lock()}<span><strong>${title}</strong> ${why}</span>
      <button @click=${v.onCopy} data-testid="copy-text">Copy text</button>
      ${ended ? html`<button class="primary" data-testid="banner-sign-in"
        @click=${v.onSignIn}>Sign in</button>` : nothing}
      ${c?.ok ? html`<span class="copied" role="status">Copied ${c.text.length.toLocaleString('en')} characters.</span>` : nothing}
      ${c && !c.ok ? html`<label class="copy-fallback">Copying is blocked here: select this text and copy it (Ctrl+C).
        <textarea readonly rows="6" data-testid="copy-fallback" .value=${c.text} @focus=${(e: Event) => (e.target as HTMLTextAreaElement).select()}></textarea></label>` : nothing}
    </div>`;
}

/** Every visible entry as plain text, from this device's copy of its document when it has one. */
export function entriesAsText(rows: DeskRow[], timeZone: string, textOf: (entryId: string) => string | null | undefined): string {
  return rows.map((r) => {
    const e = r.entry;
    const body = textOf(e.id) ?? e.preview;
    return [`${formatTimeOrDate(e.createdAt, timeZone)}${e.headline ? ` ${e.headline}` : ''}`, body].join('\n');
  }).join('\n\n');
}
