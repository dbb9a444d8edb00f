import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Role } from '../../shared/roles.js';
import type { AccountMode, CreatedAccount } from '../../shared/schemas/account.js';
import { ApiError, type ApiClient } from '../services/apiClient.js';
import { errorDetails, plainError } from '../services/plainError.js';
import { controlStyles } from '../components/shared-styles.js';
import { firstName, ROLE_CHOICES, untilWhen } from './accountsView.js';

/**
 * Adds a person (ux.md §5): name, username, role, and how she gets in: an invite link (she picks
 * her password) or a first password the admin passes on. The secret is shown once, here, until
 * Done; it is never stored in clear, so it cannot be shown again. Never clears the form on an error.
 * @fires person-added - detail `CreatedAccount`, once the server has the account
 * @fires add-closed - the form (or the secret) was closed
 */
@customElement('ld-add-person')
export class LdAddPerson extends LitElement {
  @property({ attribute: false }) api?: ApiClient;
  /** Set by the panel after a new invite link for someone already listed. */
  @property({ attribute: false }) created: CreatedAccount | null = null;
  @state() private busy = false;
  /** The role picked, for the line saying what it does. */
  @state() private pickedRole: Role = 'editor';
  @state() private error = '';
  @state() private details = '';
  @state() private copied = '';
  @query('[data-testid="secret-value"]') private secret?: HTMLElement;
  @query('[data-testid="new-display-name"]') private firstField?: HTMLInputElement;

  static override styles = [
    controlStyles,
    css`
      :host { display: block; border: 1px solid var(--border); border-radius: var(--r2); background: var(--surface); padding: var(--s4); margin-bottom: var(--s4); }
      h3 { font-size: 20px; line-height: 1.25; margin: 0 0 var(--s3); }
      form { display: grid; gap: var(--s3); grid-template-columns: 1fr 1fr; align-items: start; }
      label.field { display: grid; gap: var(--s1); font-size: 14px; font-weight: 600; }
      .hint { font-weight: 400; color: var(--text-muted); font-size: 12px; }
      input[type='text'], select { width: 100%; }
      fieldset { grid-column: 1 / -1; border: 1px solid var(--border); border-radius: var(--r1); margin: 0; padding: var(--s2) var(--s3); display: grid; gap: var(--s1); }
      legend { font-size: 14px; font-weight: 600; padding: 0 var(--s1); }
      fieldset label { display: flex; gap: var(--s2); align-items: center; min-height: var(--target); font-size: 14px; line-height: 1.4; cursor: pointer; }
      fieldset input { width: 20px; height: 20px; min-height: 0; flex: none; margin: 0; accent-color: var(--accent); }
      .actions { grid-column: 1 / -1; display: flex; gap: var(--s2); flex-wrap: wrap; }
      .error { grid-column: 1 / -1; color: var(--live); background: var(--danger-bg); padding: var(--s2); border-radius: var(--r1); font-size: 14px; margin: 0; }
      p { margin: 0 0 var(--s3); line-height: 1.5; }
      .secret-row { display: flex; gap: var(--s2); align-items: stretch; flex-wrap: wrap; margin-bottom: var(--s3); }
      code.secret { font: 600 18px/1.4 ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace; background: var(--bg); border: 1px solid var(--border);
        border-radius: var(--r1); padding: var(--s2) var(--s3); user-select: all; overflow-wrap: anywhere; flex: 1 1 16rem; min-width: 0; }
      code.secret.url { font-size: 14px; font-weight: 400; }
      .copied { color: var(--text-muted); font-size: 14px; align-self: center; }
      .warn { color: var(--warn); background: var(--warn-bg); padding: var(--s2); border-radius: var(--r1); font-size: 14px; }
      @media (max-width: 600px) { :host { padding: var(--s3); } form { grid-template-columns: 1fr; } .actions button { flex: 1 1 auto; } }
    `,
  ];

  override render() {
    return this.created ? this.renderCreated(this.created) : this.renderForm();
  }

  override firstUpdated() {
    if (!this.created) this.firstField?.focus();
  }

  private renderForm() {
    return html`<h3 id="add-h">Add a person</h3>
      <form @submit=${this.onSubmit} aria-labelledby="add-h" data-testid="add-person-form" novalidate>
        <label class="field">Full name <span class="hint">As the desk shows it, e.g. Dana Sadykova</span>
          <input type="text" name="displayName" required dir="auto" autocomplete="off" data-testid="new-display-name" />
        </label>
        <label class="field">Username <span class="hint">For signing in: letters, digits, dots, dashes</span>
          <input type="text" name="username" required autocomplete="off" autocapitalize="none" spellcheck="false" dir="ltr" data-testid="new-username" />
        </label>
        <label class="field">Role
          <select name="role" data-testid="new-role" aria-describedby="role-does" @change=${(e: Event) => (this.pickedRole = (e.target as HTMLSelectElement).value as Role)}>
            ${ROLE_CHOICES.map((r) => html`<option value=${r.role} ?selected=${r.role === this.pickedRole}>${r.label}</option>`)}
          </select>
          <span class="hint" id="role-does">${ROLE_CHOICES.find((r) => r.role === this.pickedRole)?.does ?? ''}</span>
        </label>
        <fieldset>
          <legend>How they get in</legend>
          <label><input type="radio" name="mode" value="invite" checked data-testid="mode-invite" />Invite link: they choose their own password (one use, 72 hours)</label>
          <label><input type="radio" name="mode" value="password" data-testid="mode-password" />First password: you pass it on (shown once, here)</label>
        </fieldset>
        ${this.error ? html`<p class="error" role="alert" data-testid="add-person-error">${this.error}${errorDetails(this.details)}</p>` : nothing}
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${this.busy} data-testid="create-person">${this.busy ? 'Adding…' : 'Add person'}</button>
          <button type="button" @click=${this.close}>Cancel</button>
        </div>
      </form>`;
  }

  private renderCreated(c: CreatedAccount) {
    const name = firstName(c.account);
    const value = c.initialPassword ?? c.inviteUrl ?? '';
    return html`<div role="status" data-testid="created-secret">
      <h3><bdi>${c.account.displayName}</bdi> ${c.initialPassword ? 'is added' : 'has an invite link'}</h3>
      ${c.initialPassword
        ? html`<p>Give <bdi>${name}</bdi> this first password to sign in as <strong dir="ltr">${c.account.username}</strong>.</p>`
        : html`<p>Send <bdi>${name}</bdi> this link. It works once, until ${untilWhen(c.inviteExpiresAt ?? '')}; ${name} chooses a password and is signed in.</p>`}
      <div class="secret-row">
        <code class="secret ${c.inviteUrl ? 'url' : ''}" dir="ltr" data-testid="secret-value">${value}</code>
        <button @click=${() => this.copy(value)} data-testid="copy-secret">${c.initialPassword ? 'Copy password' : 'Copy link'}</button>
        ${this.copied ? html`<span class="copied" role="status">${this.copied}</span>` : nothing}
      </div>
      <p class="warn">Shown only now: Livedesk keeps no copy${c.initialPassword ? ' of the password' : ' of the link'}. ${c.initialPassword ? 'Lost it? Deactivate and add the person again.' : 'Lost it? Make a new link from the list.'}</p>
      <div class="actions"><button class="primary" @click=${this.close} data-testid="secret-done">Done</button></div>
    </div>`;
  }

  private async copy(text: string) {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      this.copied = 'Copied';
    } catch {
      // Blocked clipboard: select it, so Ctrl+C (or the phone's Copy) is one step away.
      const range = document.createRange();
      if (this.secret) range.selectNodeContents(this.secret);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      this.copied = 'Selected: press Ctrl+C to copy';
    }
  }

  private async onSubmit(ev: SubmitEvent) {
    ev.preventDefault();
    const data = new FormData(ev.target as HTMLFormElement);
    const displayName = String(data.get('displayName') ?? '').trim();
    const username = String(data.get('username') ?? '').trim();
    if (!displayName || !username) {
      this.error = 'Enter a full name and a username.';
      this.details = '';
      return;
    }
    this.busy = true;
    this.error = '';
    this.details = '';
    try {
      const created = await this.api!.createAccount({ displayName, username, role: String(data.get('role')) as Role, mode: String(data.get('mode')) as AccountMode });
      this.copied = '';
      this.dispatchEvent(new CustomEvent<CreatedAccount>('person-added', { detail: created, bubbles: true, composed: true }));
    } catch (err) {
      const plain = plainError(err);
      const said = err instanceof ApiError && (err.status === 400 || err.status === 409) ? err.message : '';
      this.error = said ? `Couldn't add ${displayName}: ${said}` : `Couldn't add ${displayName}: ${plain.reason}. Nothing was created; try again.`;
      this.details = plain.details;
    } finally {
      this.busy = false;
    }
  }

  private close = () => {
    this.dispatchEvent(new CustomEvent('add-closed', { bubbles: true, composed: true }));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-add-person': LdAddPerson;
  }
}
