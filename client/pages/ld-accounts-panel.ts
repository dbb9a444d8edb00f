import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { Task } from '@lit/task';
import type { Role } from '../../shared/roles.js';
import type { AdminAccountView, CreatedAccount } from '../../shared/schemas/account.js';
import { servicesContext, type Services } from '../services/services.js';
import { ApiError } from '../services/apiClient.js';
import { errorDetails, plainError } from '../services/plainError.js';
import { controlStyles } from '../components/shared-styles.js';
import { firstName, lastActive, matches, ROLE_CHOICES, roleLabel, statusOf } from './accountsView.js';
import './ld-add-person.js';

interface RowNote {
  accountId: string;
  text: string;
  details?: string;
}

/**
 * People and roles (ux.md §5): a searchable table of the newsroom's accounts; add a person, change
 * a role (open pages follow at once), deactivate after one confirmation that names the effect,
 * reactivate, make a new invite link. Your own row offers no way to lock yourself out.
 */
@customElement('ld-accounts-panel')
export class LdAccountsPanel extends LitElement {
  @consume({ context: servicesContext })
  services?: Services;

  @state() private accounts: AdminAccountView[] | null = null;
  @state() private query = '';
  @state() private adding = false;
  @state() private created: CreatedAccount | null = null;
  @state() private confirming: string | null = null;
  @state() private busy: string | null = null;
  /** The outcome of the last action, said politely. */
  @state() private status = '';
  @state() private rowError: RowNote | null = null;

  private readonly load = new Task(this, {
    task: async (_args, { signal }) => {
      const { accounts } = await this.services!.api.listAccounts(signal);
      this.accounts = accounts;
      return accounts;
    },
    args: () => [this.services],
  });

  static override styles = [
    controlStyles,
    css`
      :host { display: block; }
      .head { display: flex; align-items: center; gap: var(--s3); flex-wrap: wrap; justify-content: space-between; margin-bottom: var(--s3); }
      h2 { font-size: 20px; line-height: 1.25; margin: 0; }
      .search { display: flex; align-items: center; gap: var(--s2); font-size: 14px; font-weight: 600; margin-bottom: var(--s3); }
      .search input { flex: 1; max-width: 320px; }
      .status { min-height: 1.5em; margin: 0 0 var(--s2); color: var(--text-muted); font-size: 14px; }
      table { width: 100%; border-collapse: collapse; font-size: 14px; }
      th, td { text-align: start; padding: var(--s2); border-bottom: 1px solid var(--border); vertical-align: middle; }
      thead th { font-size: 12px; color: var(--text-muted); font-weight: 700; }
      tbody th { font-weight: 600; }
      .username { display: block; color: var(--text-muted); font-weight: 400; }
      .you { font-size: 12px; font-weight: 700; color: var(--accent); border: 1px solid var(--accent); border-radius: var(--r1); padding: 0 var(--s1); margin-inline-start: var(--s1); }
      select { min-width: 10rem; }
      .state { display: inline-flex; align-items: center; gap: var(--s1); margin-inline-end: var(--s2); }
      .dot { width: 8px; height: 8px; border-radius: 50%; background: var(--badge-published-bg, #146c38); flex: none; }
      .state.invited .dot { background: var(--warn); }
      .state.off .dot { background: var(--text-muted); }
      .state.off { color: var(--text-muted); }
      td.actions { white-space: nowrap; }
      .cell-actions { display: inline-flex; gap: var(--s2); flex-wrap: wrap; align-items: center; }
      button.danger { color: var(--live); border-color: var(--live); }
      button.danger.solid { background: var(--live); color: var(--bg); font-weight: 600; }
      tr.note td { border-bottom: 1px solid var(--border); background: var(--surface); }
      .confirm { display: flex; gap: var(--s2); align-items: center; flex-wrap: wrap; }
      .confirm p { margin: 0; flex: 1 1 20rem; line-height: 1.5; }
      .error { color: var(--live); background: var(--danger-bg); padding: var(--s2); border-radius: var(--r1); margin: 0; }
      .muted { color: var(--text-muted); }
      .self-note { color: var(--text-muted); font-size: 12px; display: block; margin-top: var(--s1); white-space: normal; }
      @media (max-width: 700px) {
        /* One card per person: labels from data-label, controls full width, 44 px targets. */
        table, tbody, tr, th, td { display: block; }
        thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
        tbody tr.person { border: 1px solid var(--border); border-radius: var(--r2); margin-bottom: var(--s3); padding: var(--s2) var(--s3); }
        tbody tr.person > * { border: 0; padding: var(--s1) 0; }
        tbody tr.person td[data-label]::before { content: attr(data-label); display: block; font-size: 12px; font-weight: 700; color: var(--text-muted); }
        /* Short values read on one line: "Last active: 2 min ago"; the status needs no label beside its dot. */
        tbody tr.person td[data-label='Last active']::before { display: inline; content: attr(data-label) ': '; font-size: 14px; font-weight: 400; }
        tbody tr.person td[data-label='Status']::before { content: none; }
        select { width: 100%; }
        td.actions { white-space: normal; }
        .cell-actions { display: flex; }
        .cell-actions button { flex: 1 1 auto; }
        tr.note { margin: calc(-1 * var(--s3)) 0 var(--s3); }
        tr.note td { border: 1px solid var(--border); border-top: 0; border-radius: 0 0 var(--r2) var(--r2); }
        .confirm button { flex: 1 1 auto; }
        .search input { max-width: none; }
      }
    `,
  ];

  override render() {
    return html`
      <div class="head">
        <h2 id="people-h">People and roles</h2>
        ${this.adding || this.created ? nothing : html`<button class="primary" @click=${this.openAdd} data-testid="add-person">Add a person</button>`}
      </div>
      ${this.adding || this.created
        ? html`<ld-add-person .api=${this.services?.api} .created=${this.created} @person-added=${this.onAdded} @add-closed=${this.onAddClosed}></ld-add-person>`
        : nothing}
      <label class="search">Search <input type="search" placeholder="Name, username or role" .value=${this.query}
        @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)} data-testid="people-search" /></label>
      <p class="status" role="status" data-testid="people-status">${this.status}</p>
      ${this.load.render({
        pending: () => (this.accounts ? this.table(this.accounts) : html`<p class="muted" role="status">Loading people…</p>`),
        error: (err) => html`<p class="error" role="alert">The people could not be loaded: ${plainError(err).reason}.
          <button @click=${() => this.load.run()}>Try again</button></p>`,
        complete: () => this.table(this.accounts ?? []),
      })}`;
  }

  private table(all: AdminAccountView[]) {
    const shown = all.filter((a) => matches(a, this.query));
    if (shown.length === 0) return html`<p class="muted">Nobody matches “${this.query}”.</p>`;
    return html`<table aria-labelledby="people-h" data-testid="people-table">
      <thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Last active</th><th scope="col">Status</th></tr></thead>
      <tbody>${shown.map((a) => this.row(a))}</tbody>
    </table>`;
  }

  private row(a: AdminAccountView) {
    const me = a.id === this.services?.account.id;
    const status = statusOf(a);
    const busy = this.busy === a.id;
    const note = this.rowError?.accountId === a.id ? this.rowError : null;
    return html`<tr class="person" data-testid="person-row" data-username=${a.username}>
        <th scope="row"><bdi>${a.displayName}</bdi>${me ? html`<span class="you">You</span>` : nothing}<span class="username" dir="ltr">${a.username}</span></th>
        <td data-label="Role">
          <select aria-label=${`Role of ${a.displayName}`} ?disabled=${me || !a.active || busy} data-testid="role-select"
            @change=${(e: Event) => this.changeRole(a, e.target as HTMLSelectElement)}>
            ${ROLE_CHOICES.map((r) => html`<option value=${r.role} ?selected=${r.role === a.role}>${r.label}</option>`)}
          </select>
          ${me ? html`<span class="self-note">Another admin can change your own role.</span>` : nothing}
        </td>
        <td data-label="Last active"><time datetime=${a.lastActiveAt ?? ''}>${lastActive(a.lastActiveAt)}</time></td>
        <td data-label="Status" class="actions">
          <div class="cell-actions">
            <span class="state ${status.kind}" data-testid="person-status"><span class="dot" aria-hidden="true"></span>${status.label}</span>
            ${me ? nothing : this.actions(a, busy)}
          </div>
        </td>
      </tr>
      ${this.confirming === a.id ? this.confirmRow(a) : nothing}
      ${note ? html`<tr class="note"><td colspan="4"><p class="error" role="alert" data-testid="row-error">${note.text}${errorDetails(note.details)}</p></td></tr>` : nothing}`;
  }

  private actions(a: AdminAccountView, busy: boolean) {
    if (!a.active) {
      return html`<button ?disabled=${busy} @click=${() => this.setActive(a, true)} data-testid="reactivate">Reactivate</button>`;
    }
    return html`
      ${a.invitePending ? html`<button ?disabled=${busy} @click=${() => this.reinvite(a)} data-testid="reinvite">New invite link</button>` : nothing}
      <button ?disabled=${busy} aria-label=${`Sign out devices of ${a.displayName}`}
        title="A lost or stolen phone: every device is signed out now; the account stays active" @click=${() => this.endSessions(a)} data-testid="end-sessions">Sign out devices</button>
      <button class="danger" ?disabled=${busy || this.confirming === a.id} aria-label=${`Deactivate ${a.displayName}`}
        @click=${() => this.askDeactivate(a)} data-testid="deactivate">Deactivate</button>`;
  }

  private confirmRow(a: AdminAccountView) {
    const name = firstName(a);
    return html`<tr class="note"><td colspan="4"><div class="confirm" role="group" aria-label=${`Deactivate ${a.displayName}?`} data-testid="confirm-deactivate">
      <p>Deactivate <bdi>${a.displayName}</bdi>? <bdi>${name}</bdi> is signed out everywhere at once and cannot sign in; entries stay. You can reactivate later.</p>
      <button class="danger solid" @click=${() => this.setActive(a, false)} data-testid="confirm-deactivate-yes">Deactivate <bdi>${name}</bdi></button>
      <button @click=${() => (this.confirming = null)} data-testid="confirm-deactivate-no">Cancel</button>
    </div></td></tr>`;
  }

  private openAdd = () => {
    this.adding = true;
    this.status = '';
  };

  private onAdded = (e: CustomEvent<CreatedAccount>) => {
    this.adding = false;
    this.created = e.detail;
    this.replace(e.detail.account);
    this.status = `${e.detail.account.displayName} is added as ${roleLabel(e.detail.account.role).toLowerCase()}.`;
  };

  private onAddClosed = () => {
    this.adding = false;
    this.created = null;
  };

  private replace(account: AdminAccountView) {
    const list = this.accounts ?? [];
    const i = list.findIndex((a) => a.id === account.id);
    this.accounts = i === -1 ? [...list, account].sort((x, y) => x.username.localeCompare(y.username)) : list.map((a) => (a.id === account.id ? account : a));
  }

  private async act(a: AdminAccountView, what: string, run: () => Promise<void>) {
    this.busy = a.id;
    this.rowError = null;
    try {
      await run();
    } catch (err) {
      const plain = plainError(err);
      const said = err instanceof ApiError && (err.status === 409 || err.status === 403 || err.status === 400) ? err.message : '';
      this.rowError = { accountId: a.id, text: said ? `Couldn't ${what}: ${said}` : `Couldn't ${what}: ${plain.reason}. Nothing changed; try again.`, details: plain.details };
    } finally {
      this.busy = null;
    }
  }

  private changeRole(a: AdminAccountView, select: HTMLSelectElement) {
    const role = select.value as Role;
    void this.act(a, `change ${a.displayName}'s role`, async () => {
      try {
        const { account } = await this.services!.api.updateAccount(a.id, { role });
        this.replace(account);
        this.status = `${account.displayName} is now ${roleLabel(account.role).toLowerCase()}. Pages ${firstName(account)} has open follow at once.`;
      } catch (err) {
        select.value = a.role;
        throw err;
      }
    });
  }

  private async askDeactivate(a: AdminAccountView) {
    this.confirming = a.id;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('[data-testid="confirm-deactivate-yes"]')?.focus();
  }

  private setActive(a: AdminAccountView, active: boolean) {
    void this.act(a, `${active ? 'reactivate' : 'deactivate'} ${a.displayName}`, async () => {
      const { account } = await this.services!.api.updateAccount(a.id, { active });
      this.confirming = null;
      this.replace(account);
      this.status = active
        ? `${account.displayName} is active again and can sign in.`
        : `${firstName(account)} is signed out everywhere now; entries stay.`;
      await this.updateComplete;
      const row = this.renderRoot.querySelector(`tr[data-username="${CSS.escape(account.username)}"]`);
      row?.querySelector<HTMLButtonElement>(active ? '[data-testid="deactivate"]' : '[data-testid="reactivate"]')?.focus();
    });
  }

  private endSessions(a: AdminAccountView) {
    void this.act(a, `sign ${a.displayName} out everywhere`, async () => {
      const { ended } = await this.services!.api.endSessionsOf(a.id);
      this.status = ended === 0
        ? `${firstName(a)} was not signed in anywhere.`
        : `${firstName(a)} is signed out on ${ended === 1 ? 'one device' : `${ended} devices`}; they can sign in again on a device they hold.`;
    });
  }

  private reinvite(a: AdminAccountView) {
    void this.act(a, `make a new link for ${a.displayName}`, async () => {
      const created = await this.services!.api.reinvite(a.id);
      this.adding = false;
      this.created = created;
      this.status = `A new invite link for ${a.displayName}; the old one no longer works.`;
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-accounts-panel': LdAccountsPanel;
  }
}
