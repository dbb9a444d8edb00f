import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { Task } from '@lit/task';
import { servicesContext, type Services } from '../services/services.js';
import { LiveFilesController } from '../controllers/LiveFilesController.js';
import { controlStyles } from '../components/shared-styles.js';
import { liveFileRows, liveFileRowStyles } from './liveFileRows.js';

/**
 * An admin's home (ux.md §5): the newsroom's people and roles (`ld-accounts-panel`, its own chunk,
 * loaded here so sign-in never carries it), and the live files she opens as a desk role.
 */
@customElement('ld-admin-home')
export class LdAdminHome extends LitElement {
  @consume({ context: servicesContext })
  services?: Services;

  /** The accounts panel's code has arrived. */
  @state() private panelReady = false;

  override connectedCallback() {
    super.connectedCallback();
    void import('./ld-accounts-panel.js').then(() => (this.panelReady = true));
  }

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

      <section aria-label="People and roles" data-testid="admin-accounts">
        ${this.panelReady ? html`<ld-accounts-panel></ld-accounts-panel>` : html`<p class="muted" role="status">Loading people…</p>`}
      </section>

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
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-admin-home': LdAdminHome;
  }
}
