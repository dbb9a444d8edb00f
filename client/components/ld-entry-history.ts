import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { EntryHistory } from '../../shared/schemas/workflow.js';
import type { ApiClient } from '../services/apiClient.js';
import { plainError, errorDetails } from '../services/plainError.js';
import { STATUS_LABEL } from './ld-status-badge.js';
import { icons } from './icons.js';
import { controlStyles } from './shared-styles.js';
import type { EntryStatus } from '../../shared/workflow.js';
import { zoneLabel } from '../format.js';

const VERB: Record<string, string> = {
  submit: 'submitted', reject: 'sent back', publish: 'published', schedule: 'scheduled', retract: 'retracted',
};

/** History adds seconds (ux.md §6, Time): "14:10:05", with the date when it is not today. */
export function formatHistoryTime(iso: string, timeZone: string, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const day = (x: Date) => new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(x);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(d);
  return day(d) === day(now) ? time : `${new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short' }).format(d)} ${time}`;
}

/**
 * An entry's history in a modal dialog: every workflow step (who, when to the second, from → to,
 * note or reason, revision) and every wording readers were shown [QU10]. Closes with Esc or Close;
 * focus goes back where it was.
 * @fires history-closed
 */
@customElement('ld-entry-history')
export class LdEntryHistory extends LitElement {
  @property() entryId = '';
  @property({ attribute: false }) api?: ApiClient;
  @property({ attribute: false }) timeZone = 'UTC';
  /** "the 14:10 entry", for the title. */
  @property() entryLabel = 'this entry';
  @state() private history: EntryHistory | null = null;
  @state() private error: unknown = null;
  @query('dialog') private dialog?: HTMLDialogElement;
  private returnFocus: Element | null = null;

  static override styles = [
    controlStyles,
    css`
      dialog { border: 1px solid var(--border); border-radius: var(--r2); background: var(--bg); color: var(--text); padding: 0;
        width: min(720px, calc(100vw - 16px)); max-height: calc(100dvh - 32px); }
      dialog::backdrop { background: rgb(0 0 0 / 0.45); }
      .top { position: sticky; top: 0; display: flex; align-items: center; gap: var(--s2); padding: var(--s2) var(--s3);
        background: var(--surface); border-bottom: 1px solid var(--border); }
      h2 { font-size: 18px; margin: 0; flex: 1; min-width: 0; }
      .zone { font-size: 12px; color: var(--text-muted); font-weight: 400; }
      .body { padding: var(--s3); }
      h3 { font-size: 16px; margin: var(--s4) 0 var(--s2); }
      h3:first-child { margin-top: 0; }
      ol { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--s2); }
      li { border: 1px solid var(--border); border-radius: var(--r1); padding: var(--s2) var(--s3); }
      .line { display: flex; flex-wrap: wrap; gap: var(--s1) var(--s2); align-items: baseline; font-size: 14px; }
      time { font-variant-numeric: tabular-nums; font-weight: 700; }
      .move { color: var(--text-muted); }
      .rev { margin-inline-start: auto; color: var(--text-muted); font-size: 12px; font-variant-numeric: tabular-nums; }
      .note { margin: var(--s1) 0 0; font-size: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }
      .wording { margin: var(--s1) 0 0; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 14px; }
      .muted { color: var(--text-muted); }
      .error { color: var(--live); }
    `,
  ];

  override firstUpdated() {
    this.returnFocus = deepActive();
    this.dialog?.showModal();
    void this.load();
  }

  override render() {
    const h = this.history;
    return html`<dialog aria-labelledby="history-title" data-testid="history-dialog" @keydown=${stopKeys} @close=${this.onClose} @cancel=${() => this.dialog?.close()}>
      <div class="top">
        <h2 id="history-title">History of ${this.entryLabel} <span class="zone">· times in ${zoneLabel(this.timeZone)}</span></h2>
        <button class="ghost" aria-label="Close history" title="Close (Esc)" data-testid="entry-history-close" @click=${() => this.dialog?.close()}>${icons.close()}</button>
      </div>
      <div class="body">
        ${this.error ? html`<p class="error" role="alert">Couldn't load the history: ${plainError(this.error).reason}.
            <button @click=${() => void this.load()}>Try again</button></p>${errorDetails(plainError(this.error).details)}`
          : !h ? html`<p class="muted" role="status">Loading the history…</p>`
          : html`
            <h3>Workflow steps</h3>
            ${h.audit.length === 0 ? html`<p class="muted" data-testid="history-empty">No workflow steps yet: this entry has not been submitted.</p>`
              : html`<ol data-testid="history-audit">${h.audit.map((a) => html`<li data-testid="history-step" data-action=${a.action}>
                <div class="line"><time datetime=${a.at} title=${a.at}>${formatHistoryTime(a.at, this.timeZone)}</time>
                  <span><bdi>${a.actorName}</bdi> ${VERB[a.action] ?? a.action}</span>
                  <span class="move">${label(a.from)} → ${label(a.to)}</span>
                  <span class="rev">revision ${a.revision}</span></div>
                ${a.note ? html`<p class="note" dir="auto" data-testid="history-note">“${a.note}”</p>` : nothing}
              </li>`)}</ol>`}
            <h3>Published wordings</h3>
            ${h.publications.length === 0 ? html`<p class="muted">Never published.</p>`
              : html`<ol data-testid="history-publications">${[...h.publications].reverse().map((p) => html`<li data-testid="history-publication">
                <div class="line"><time datetime=${p.at} title=${p.at}>${formatHistoryTime(p.at, this.timeZone)}</time>
                  <span>${p.kind === 'corrected' ? 'Correction published' : p.kind === 'retracted' ? 'Retracted' : 'Published'} by <bdi>${p.approverName}</bdi></span>
                  <span class="rev">revision ${p.revision}</span></div>
                <p class="wording" dir="auto">${p.text}</p>
              </li>`)}</ol>`}`}
      </div>
    </dialog>`;
  }

  private async load() {
    if (!this.api) return;
    this.error = null;
    try {
      this.history = await this.api.readHistory(this.entryId);
    } catch (err) {
      this.error = err;
    }
  }

  private onClose = () => {
    const back = this.returnFocus as HTMLElement | null;
    this.dispatchEvent(new CustomEvent('history-closed', { bubbles: true, composed: true }));
    if (back?.isConnected) back.focus();
  };
}

function label(status: string): string {
  return STATUS_LABEL[status as EntryStatus] ?? status;
}

/** The focused element, through shadow roots. */
function deepActive(): Element | null {
  let a: Element | null = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-entry-history': LdEntryHistory;
  }
}

/** Keys typed in the dialog are the dialog's: the desk's single-key shortcuts (P, K, arrows) never see them. */
function stopKeys(e: KeyboardEvent) {
  e.stopPropagation();
}
