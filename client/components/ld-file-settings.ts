import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { LiveFileView } from '../../shared/schemas/liveFile.js';
import type { Role } from '../../shared/roles.js';
import type { ApiClient } from '../services/apiClient.js';
import { plainError, errorDetails } from '../services/plainError.js';
import { icons } from './icons.js';
import { controlStyles } from './shared-styles.js';
import './ld-file-webhooks.js';

interface Person {
  id: string;
  displayName: string;
  role: Role;
}

/**
 * A live file's settings [QU11]: chiefs and admins restrict it to named members (a checkbox list
 * of the newsroom's people) and turn four-eyes on or off; the desk downloads its audit log as CSV
 * or JSON; chiefs and admins also manage its webhooks (ld-file-webhooks). A modal dialog; Esc or Close leaves it, nothing saved until Save.
 * @fires file-settings-saved - detail: the LiveFileView after the change
 * @fires file-settings-closed
 */
@customElement('ld-file-settings')
export class LdFileSettings extends LitElement {
  @property({ attribute: false }) file?: LiveFileView;
  @property({ attribute: false }) api?: ApiClient;
  /** Chiefs and admins: the access form; everyone else at the desk sees the export links only. */
  @property({ type: Boolean, attribute: 'can-manage' }) canManage = false;
  /** The viewer's own id: she stays a member of a file she restricts (the form says so). */
  @property() selfId = '';
  @state() private people: Person[] | null = null;
  @state() private peopleError: unknown = null;
  @state() private restricted = false;
  @state() private members = new Set<string>();
  @state() private fourEyes = false;
  @state() private saving = false;
  @state() private saveError = '';
  @state() private saveDetails = '';
  @state() private saved = '';
  @query('dialog') private dialog?: HTMLDialogElement;
  private returnFocus: Element | null = null;

  static override styles = [
    controlStyles,
    css`
      dialog { border: 1px solid var(--border); border-radius: var(--r2); background: var(--bg); color: var(--text); padding: 0;
        width: min(560px, calc(100vw - 16px)); max-height: calc(100dvh - 32px); }
      dialog::backdrop { background: rgb(0 0 0 / 0.45); }
      .top { position: sticky; top: 0; z-index: 1; display: flex; align-items: center; gap: var(--s2); padding: var(--s2) var(--s3);
        background: var(--surface); border-bottom: 1px solid var(--border); }
      h2 { font-size: 18px; margin: 0; flex: 1; min-width: 0; overflow-wrap: anywhere; }
      .body { padding: var(--s3); display: grid; gap: var(--s4); }
      .form { display: grid; gap: var(--s3); }
      fieldset { border: 1px solid var(--border); border-radius: var(--r1); margin: 0; padding: var(--s2) var(--s3) var(--s3); display: grid; gap: var(--s1); min-width: 0; }
      legend { font-weight: 700; padding: 0 var(--s1); }
      label.choice { display: flex; gap: var(--s2); align-items: center; min-height: var(--target); font-size: 15px; cursor: pointer; }
      label.choice input { width: 20px; height: 20px; min-height: 0; margin: 0; flex: none; accent-color: var(--accent); }
      .hint { font-size: 13px; color: var(--text-muted); margin: 0; }
      ul.people { list-style: none; margin: 0; padding: 0 0 0 var(--s5); display: grid; gap: 0; max-height: 40dvh; overflow: auto; }
      .role { color: var(--text-muted); font-size: 13px; }
      .row { display: flex; gap: var(--s2); flex-wrap: wrap; align-items: center; }
      .error { color: var(--live); margin: 0; }
      .saved { margin: 0; color: var(--text-muted); font-size: 14px; }
      h3 { font-size: 16px; margin: 0 0 var(--s1); }
      a.btn { color: var(--text); }
    `,
  ];

  override firstUpdated() {
    this.returnFocus = deepActive();
    const f = this.file;
    this.restricted = !!f?.members;
    this.members = new Set(f?.members ?? []);
    this.fourEyes = f?.fourEyes ?? false;
    this.dialog?.showModal();
    if (this.canManage) void this.loadPeople();
  }

  override render() {
    const f = this.file;
    if (!f) return nothing;
    return html`<dialog aria-labelledby="settings-title" data-testid="file-settings" @keydown=${stopKeys} @close=${this.onClose} @cancel=${() => this.dialog?.close()}>
      <div class="top">
        <h2 id="settings-title">Settings of <bdi dir="auto">${f.title}</bdi></h2>
        <button class="ghost" aria-label="Close settings" title="Close (Esc)" data-testid="file-settings-close" @click=${() => this.dialog?.close()}>${icons.close()}</button>
      </div>
      <div class="body">
        ${this.canManage ? this.renderForm() : nothing}
        ${this.canManage ? html`<ld-file-webhooks .api=${this.api} .liveFileId=${f.id}></ld-file-webhooks>` : nothing}
        <section aria-labelledby="export-title">
          <h3 id="export-title">Audit log</h3>
          <p class="hint">Every workflow step in this live file: who, when, from and to which state, notes and reasons.</p>
          <div class="row">
            <a class="btn" href=${`/api/live-files/${encodeURIComponent(f.id)}/audit.csv`} download data-testid="audit-csv">${icons.download()}Download CSV</a>
            <a class="btn" href=${`/api/live-files/${encodeURIComponent(f.id)}/audit.json`} download data-testid="audit-json">${icons.download()}Download JSON</a>
          </div>
        </section>
      </div>
    </dialog>`;
  }

  private renderForm() {
    return html`<form @submit=${this.onSave} data-testid="file-access-form">
      <div class="form">
        <fieldset>
          <legend>Who sees this live file</legend>
          <label class="choice"><input type="radio" name="who" .checked=${!this.restricted} @change=${() => (this.restricted = false)} data-testid="access-everyone">The whole newsroom</label>
          <label class="choice"><input type="radio" name="who" .checked=${this.restricted} @change=${() => (this.restricted = true)} data-testid="access-restricted">Only the people checked below</label>
          ${this.restricted ? this.renderPeople() : nothing}
        </fieldset>
        <fieldset>
          <legend>Four-eyes</legend>
          <label class="choice"><input type="checkbox" .checked=${this.fourEyes} @change=${(e: Event) => (this.fourEyes = (e.target as HTMLInputElement).checked)}
            data-testid="access-four-eyes">Someone who did not write an entry must publish it</label>
          <p class="hint">With four-eyes on, a chief cannot publish or schedule an entry she wrote or worked on.</p>
        </fieldset>
        ${this.saveError ? html`<p class="error" role="alert" data-testid="file-settings-error">${this.saveError} Your choices are still here.</p>${errorDetails(this.saveDetails)}` : nothing}
        <div class="row">
          <button class="primary" type="submit" ?disabled=${this.saving} data-testid="file-settings-save">${this.saving ? 'Saving…' : 'Save'}</button>
          <p class="saved" role="status" data-testid="file-settings-saved">${this.saved}</p>
        </div>
      </div>
    </form>`;
  }

  private renderPeople() {
    if (this.peopleError) {
      return html`<p class="error" role="alert">Couldn't load the newsroom's people: ${plainError(this.peopleError).reason}.
        <button type="button" @click=${() => void this.loadPeople()}>Try again</button></p>`;
    }
    if (!this.people) return html`<p class="hint" role="status">Loading the newsroom's people…</p>`;
    return html`<ul class="people" aria-label="Members" data-testid="access-people">${this.people.map((p) => html`<li>
      <label class="choice"><input type="checkbox" .checked=${this.members.has(p.id) || p.id === this.selfId} ?disabled=${p.id === this.selfId}
        data-testid="access-person" data-person-id=${p.id} @change=${(e: Event) => this.toggle(p.id, (e.target as HTMLInputElement).checked)}>
        <span><bdi>${p.displayName}</bdi> <span class="role">${p.role}${p.id === this.selfId ? ' · you' : ''}</span></span></label></li>`)}</ul>`;
  }

  private toggle(id: string, on: boolean) {
    const next = new Set(this.members);
    if (on) next.add(id);
    else next.delete(id);
    this.members = next;
  }

  private async loadPeople() {
    if (!this.api) return;
    this.peopleError = null;
    try {
      this.people = (await this.api.listPeople()).people;
    } catch (err) {
      this.peopleError = err;
    }
  }

  private onSave = async (e: Event) => {
    e.preventDefault();
    const f = this.file;
    if (!f || !this.api) return;
    this.saving = true;
    this.saveError = '';
    this.saved = '';
    const members = this.restricted ? [...new Set([...this.members, ...(this.selfId ? [this.selfId] : [])])] : null;
    try {
      const next = await this.api.updateLiveFileAccess(f.id, { members, fourEyes: this.fourEyes });
      this.file = next;
      this.saved = `Saved: ${members ? `${members.length} ${members.length === 1 ? 'member' : 'members'}` : 'the whole newsroom'}, four-eyes ${this.fourEyes ? 'on' : 'off'}.`;
      this.dispatchEvent(new CustomEvent('file-settings-saved', { detail: next, bubbles: true, composed: true }));
    } catch (err) {
      const p = plainError(err);
      this.saveError = `Couldn't save the settings: ${p.reason}.`;
      this.saveDetails = p.details;
    } finally {
      this.saving = false;
    }
  };

  private onClose = () => {
    const back = this.returnFocus as HTMLElement | null;
    this.dispatchEvent(new CustomEvent('file-settings-closed', { bubbles: true, composed: true }));
    if (back?.isConnected) back.focus();
  };
}

function deepActive(): Element | null {
  let a: Element | null = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-file-settings': LdFileSettings;
  }
}

/** Keys typed in the dialog are the dialog's: the desk's single-key shortcuts (P, K, arrows) never see them. */
function stopKeys(e: KeyboardEvent) {
  e.stopPropagation();
}
