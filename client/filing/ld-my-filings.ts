import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { controlStyles } from '../components/shared-styles.js';
import '../components/ld-status-badge.js';
import type { EntryStatus } from '../../shared/workflow.js';
import { filingStyles } from './filingStyles.js';
import { fi } from './filingIcons.js';
import type { FilingSession } from './filingSession.js';
import type { FilingRowView } from './filingsView.js';
import type { SendError } from './outbox/model.js';

const SERVER_STATES: readonly string[] = ['draft', 'submitted', 'scheduled', 'published', 'rejected', 'retracted'];

/**
 * My filings: the outbox first (what this phone still has to send, with its progress), then every
 * entry of the correspondent's as the server has it, live over Socket.IO. Offline: "as of 14:05".
 */
@customElement('ld-my-filings')
export class LdMyFilings extends LitElement {
  @property({ attribute: false }) session!: FilingSession;
  @property({ type: Number }) revision = 0;
  @state() private message = '';

  static override styles = [
    controlStyles,
    filingStyles,
    css`
      :host { display: block; padding: var(--s4); }
      h2 { font-size: 20px; line-height: 1.25; margin: 0 0 var(--s2); display: flex; align-items: baseline; gap: var(--s2); flex-wrap: wrap; }
      h2 .count { font-size: 16px; color: var(--text-muted); font-weight: 600; }
      section + section { margin-top: var(--s6); }
      ol { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--s3); }
      li { overflow-wrap: anywhere; border: 1px solid var(--border); border-radius: var(--r2); padding: var(--s3); display: grid; gap: var(--s2); background: var(--bg); min-width: 0; }
      li[data-state='not-sent'], li[data-state='rejected'] { border-color: var(--badge-rejected); border-width: 2px; }
      .top { display: flex; flex-wrap: wrap; align-items: center; gap: var(--s1) var(--s2); font-size: 14px; color: var(--text-muted); }
      .top .part { min-width: 0; display: inline-flex; gap: var(--s2); }
      .top .file { min-width: 0; overflow-wrap: anywhere; }
      .what { margin: 0; font-size: 16px; overflow-wrap: anywhere; }
      .what strong { display: block; }
      .state { display: flex; align-items: center; gap: var(--s2); font-weight: 700; font-size: 15px; }
      .state[data-kind='waiting'] { color: var(--warn); }
      .state[data-kind='sending'] { color: var(--accent); }
      .state[data-kind='not-sent'] { color: var(--badge-rejected); }
      .state[data-kind='sent'] { color: var(--badge-scheduled); }
      progress { width: 100%; height: 8px; accent-color: var(--accent); }
      .note { margin: 0; padding: var(--s2) var(--s3); border-inline-start: 4px solid var(--badge-rejected); background: var(--badge-rejected-bg); border-radius: var(--r1); }
      .note p { margin: 0; }
      .note .by { font-size: 14px; color: var(--text-muted); }
      .row-actions { display: flex; flex-wrap: wrap; gap: var(--s2); }
      .row-actions .btn, .row-actions button { gap: var(--s2); white-space: normal; text-align: start; max-width: 100%; padding-block: var(--s1); }
      .empty { margin: 0; padding: var(--s4); border-radius: var(--r2); background: var(--surface); color: var(--text-muted); }
      .as-of { font-size: 14px; color: var(--warn); background: var(--warn-bg); padding: 2px var(--s2); border-radius: var(--r1); font-weight: 600; }
      .message { margin: 0 0 var(--s3); }
      .send-now { margin-top: var(--s3); gap: var(--s2); }
    `,
  ];

  override render() {
    const s = this.session;
    const view = s.view;
    const stale = !s.serverFresh && s.serverAsOf;
    return html`
      ${this.message ? html`<p class="error message" role="alert" data-testid="filings-message">${this.message}</p>` : nothing}
      <section aria-labelledby="outbox-h">
        <h2 id="outbox-h">Outbox <span class="count" data-testid="outbox-count">${view.unsent ? `${view.unsent} waiting to send` : ''}</span></h2>
        ${view.pending.length
          ? html`<ol data-testid="outbox-list">${view.pending.map((r) => this.row(r))}</ol>
            ${view.pending.some((r) => r.state === 'waiting') && s.phase === 'ready' ? html`<button class="send-now" @click=${() => s.sendNow()} data-testid="send-now">${fi.retry()} Try sending now</button>` : nothing}`
          : html`<p class="empty" data-testid="outbox-empty">Everything is sent.</p>`}
      </section>
      <section aria-labelledby="filed-h" aria-busy=${String(s.phase === 'ready' && !s.serverAsOf)}>
        <h2 id="filed-h">Filed ${stale ? html`<span class="as-of" data-testid="filings-as-of">as of <time datetime=${s.serverAsOf!}>${hhmm(s.serverAsOf!)}</time></span>` : nothing}</h2>
        ${view.filed.length
          ? html`<ol data-testid="filings-list">${view.filed.map((r) => this.row(r))}</ol>`
          : html`<p class="empty">${s.serverAsOf ? 'Nothing filed yet. Your updates appear here with their state.' : 'Loading your filings…'}</p>`}
      </section>`;
  }

  private row(r: FilingRowView) {
    const tz = r.liveFile.timezone;
    const serverState = SERVER_STATES.includes(r.state);
    return html`<li data-testid="filing-row" data-state=${r.state} data-entry-id=${r.entryId ?? ''} data-item-id=${r.itemId ?? ''}>
      <div class="top">
        <time datetime=${r.at}>${hhmm(r.at, tz)}</time>
        ${r.liveFile.title ? metaPart(html`<span class="file"><bdi>${r.liveFile.title}</bdi></span>`) : nothing}
        ${r.place ? metaPart(html`<span dir="auto">${r.place}</span>`) : nothing}
        ${r.photos ? metaPart(html`<span>${r.photos} photo${r.photos === 1 ? '' : 's'}</span>`) : nothing}
      </div>
      <p class="what" dir="auto">${r.headline ? html`<strong>${r.headline}</strong>` : nothing}${r.excerpt || (r.headline ? '' : '(photos only)')}</p>
      ${serverState
        ? html`<div class="state" data-testid="filing-state" data-kind=${r.state}><ld-status-badge .status=${r.state as EntryStatus}></ld-status-badge></div>`
        : html`<div class="state" data-testid="filing-state" data-kind=${r.state} role=${r.state === 'not-sent' ? 'alert' : nothing}>${stateIcon(r.state)}<span>${r.label}</span></div>`}
      ${r.state === 'sending' && r.progress !== undefined ? html`<progress max="100" value=${Math.floor(r.progress * 100)} aria-label="Upload progress" data-testid="filing-progress"></progress>` : nothing}
      ${r.error && (r.state === 'not-sent') ? html`<p class="error" data-testid="filing-error">${reasonOf(r.error)}</p>
        <details class="error-details"><summary>Details</summary><code>${r.error.status ? `HTTP ${r.error.status} · ` : ''}${r.error.code} · ${r.error.message}</code></details>` : nothing}
      ${r.note ? html`<div class="note" data-testid="filing-note"><p dir="auto">${r.note}</p>${r.noteBy ? html`<span class="by">— <bdi>${r.noteBy}</bdi>, desk chief</span>` : nothing}</div>` : nothing}
      ${this.actions(r)}
    </li>`;
  }

  private actions(r: FilingRowView) {
    const s = this.session;
    const buttons = [];
    if (r.retryable && r.itemId) buttons.push(html`<button class="primary" @click=${() => void s.retry(r.itemId!)} data-testid="filing-retry">${fi.retry()} Retry</button>`);
    if (r.editable && r.itemId) buttons.push(html`<button @click=${() => this.editItem(r)} data-testid="filing-edit">${fi.write()} Edit</button>`);
    if (r.resubmittable && r.entryId) {
      const label = r.state === 'rejected' ? 'Edit and resubmit' : 'Edit draft';
      buttons.push(r.localContent
        ? html`<button class=${r.state === 'rejected' ? 'primary' : ''} @click=${() => this.editEntry(r)} data-testid="filing-resubmit">${fi.write()} ${label}</button>`
        : html`<a class="btn" href=${`/#/files/${encodeURIComponent(r.liveFile.id)}`} data-testid="filing-resubmit">${fi.write()} ${label} on the desk page</a>`);
    }
    if (r.permalink) buttons.push(html`<a class="btn" href=${r.permalink} target="_blank" rel="noopener" data-testid="filing-permalink">Open the published update</a>`);
    return buttons.length ? html`<div class="row-actions">${buttons}</div>` : nothing;
  }

  private async editItem(r: FilingRowView) {
    this.message = '';
    if (!(await this.session.editItem(r.itemId!))) {
      this.message = this.session.composing ? 'Finish or save what you are writing first, then edit this one.' : 'This filing is being sent right now; try again in a moment.';
      return;
    }
    this.dispatchEvent(new CustomEvent('open-compose', { bubbles: true, composed: true }));
  }

  private async editEntry(r: FilingRowView) {
    this.message = '';
    if (!(await this.session.editEntry(r))) {
      this.message = 'Finish or save what you are writing first, then edit this one.';
      return;
    }
    this.dispatchEvent(new CustomEvent('open-compose', { bubbles: true, composed: true }));
  }
}

/** A meta item with its separator: they wrap together, so no line ends in a lone "·". */
function metaPart(content: TemplateResult) {
  return html`<span class="part"><span aria-hidden="true">·</span>${content}</span>`;
}

function stateIcon(state: string) {
  if (state === 'sending') return fi.send();
  if (state === 'not-sent') return fi.warn();
  if (state === 'sent') return fi.check();
  return fi.clock();
}

/** Why it was not sent, in words; the codes go under Details. */
export function reasonOf(e: SendError): string {
  if (e.code === 'missing') return 'A photo is no longer on this phone: edit the filing, remove it, and send again.';
  if (e.status === 413) return 'A photo is too large to send. Edit the filing and remove it, or try a smaller one.';
  if (e.status === 415) return 'A photo is in a format the desk does not take. Edit the filing and remove it.';
  if (e.status === 400) return 'The desk refused part of this filing. Edit it and send again; it is kept here.';
  if (e.status === 403) return 'You can no longer file to this live file. It is kept here.';
  if (e.status === 404) return 'That live file or entry is not there any more. It is kept here.';
  if (e.status === 409) return 'The live file has closed, or the desk has this entry now. It is kept here.';
  return 'Not sent. It is kept on this phone.';
}

function hhmm(iso: string, timeZone?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  try {
    return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(timeZone ? { timeZone } : {}) }).format(d);
  } catch {
    return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-my-filings': LdMyFilings;
  }
}
