import { LitElement, css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { Task } from '@lit/task';
import { servicesContext, type Services } from '../services/services.js';
import { LiveFilesController } from '../controllers/LiveFilesController.js';
import { controlStyles } from '../components/shared-styles.js';
import { liveFileRows, liveFileRowStyles } from './liveFileRows.js';

/**
 * An admin's home until the admin page exists (ux.md §5): what works for her today (she is a desk
 * role: every live file opens for her as for an editor), and, in plain words, what admin will do
 * here. No control that does nothing: account management is described, not mocked up.
 */
@customElement('ld-admin-home')
export class LdAdminHome extends LitElement {
  @consume({ context: servicesContext })
  services?: Services;

  private readonly files = new LiveFilesController(this, () => this.services?.realtime);
  private readonly load = new Task(this, {
    task: async (_args, { signal }) => {
      const { liveFiles } = await this.services!.api.listLiveFiles();
      signal.throwIfAborted();
      return liveFiles;
    },
    args: () => [this.services],
  });

  static override styles = [
    controlStyles,
    liveFileRowStyles,
    css`
      :host { display: block; max-width: 880px; margin: 0 auto; padding: var(--s4); }
      h1 { font-size: 24px; line-height: 1.25; margin: 0 0 var(--s2); }
      h2 { font-size: 20px; line-height: 1.25; margin: 0 0 var(--s2); }
      p { margin: 0 0 var(--s3); line-height: 1.5; }
      .lead { color: var(--text-muted); margin-bottom: var(--s5); }
      section { margin-bottom: var(--s6); }
      .head { display: flex; align-items: baseline; gap: var(--s3); flex-wrap: wrap; justify-content: space-between; margin-bottom: var(--s2); }
      .head h2 { margin: 0; }
      .head a { color: var(--accent); font-weight: 600; font-size: 14px; display: inline-flex; align-items: center; min-height: var(--target); }
      .soon { border: 1px solid var(--border); border-radius: var(--r2); padding: var(--s3) var(--s4); background: var(--surface); }
      .soon ul { margin: 0 0 var(--s3); padding-inline-start: var(--s5); line-height: 1.5; }
      .soon li { margin-bottom: var(--s1); }
      .tag { display: inline-block; font-size: 12px; font-weight: 700; color: var(--text-muted); border: 1px solid var(--border);
        border-radius: var(--r1); padding: 0 var(--s1); margin-inline-start: var(--s2); vertical-align: middle; }
      .muted { color: var(--text-muted); }
      .error { color: var(--live); background: var(--danger-bg); padding: var(--s2); border-radius: var(--r1); }
      @media (max-width: 600px) { :host { padding: var(--s3); } }
    `,
  ];

  override render() {
    const me = this.services?.account;
    return html`
      <h1>Admin</h1>
      <p class="lead">Signed in as <bdi>${me?.displayName}</bdi> (<bdi>${me?.username}</bdi>), admin of this newsroom.</p>

      <section aria-labelledby="files-h">
        <div class="head">
          <h2 id="files-h">Live files</h2>
          <a href="#/files" data-testid="admin-all-files">All live files, and start a new one</a>
        </div>
        <p class="muted">You work the desk like an editor: open a file to write, pin and reorder its entries.</p>
        ${this.load.render({
          pending: () => html`<p class="muted" role="status">Loading live files…</p>`,
          error: () => html`<p class="error" role="alert">The live files could not be loaded. <button @click=${() => this.load.run()}>Try again</button></p>`,
          complete: (list) => {
            const files = this.files.merge(list);
            return files.length ? liveFileRows(files) : html`<p class="muted" data-testid="no-live-files">No live files yet.
              <a href="#/files">Start the first one</a>.</p>`;
          },
        })}
      </section>

      <section aria-labelledby="accounts-h" data-testid="admin-accounts">
        <h2 id="accounts-h">People and roles <span class="tag">Not built yet</span></h2>
        <div class="soon">
          <p>This is where you will manage the newsroom's accounts:</p>
          <ul>
            <li>invite people, with a one-time link or a first password shown once;</li>
            <li>give each person a role: editor, chief, correspondent or admin;</li>
            <li>deactivate and reactivate accounts: a deactivated person is signed out everywhere at once, and their entries stay;</li>
            <li>see when each person was last active.</li>
          </ul>
          <p class="muted">It comes with the approval workflow. Until then the accounts are the ones the server created at its first start.</p>
        </div>
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-admin-home': LdAdminHome;
  }
}
