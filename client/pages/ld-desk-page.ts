import { LitElement, css, html, nothing } from 'lit';
import type { LiveFileView } from '../../shared/schemas/liveFile.js';
import { customElement, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { Task } from '@lit/task';
import { servicesContext, type Services } from '../services/services.js';
import { LiveFilesController } from '../controllers/LiveFilesController.js';
import { plainError } from '../services/plainError.js';
import { readLastKnownList, saveLastKnownList, type LastKnownList } from '../services/lastKnown.js';
import { loadFailed, loadFailedStyles } from './loadFailed.js';
import { isDeskRole } from '../../shared/roles.js';
import { liveFileRows, liveFileRowStyles } from './liveFileRows.js';
import { controlStyles } from '../components/shared-styles.js';
import { icons } from '../components/icons.js';

/** The list of live files: open one, or start a new one. New files from elsewhere appear live. */
@customElement('ld-desk-page')
export class LdDeskPage extends LitElement {
  @consume({ context: servicesContext })
  services?: Services;

  @state() private createError = '';
  @state() private creating = false;
  private readonly files = new LiveFilesController(this, () => this.services?.realtime);

  /** The list did not load: what this device last saw of it, shown meanwhile [ER3]. */
  @state() private lastKnown: LastKnownList | null = null;
  private lastError: unknown;

  private readonly load = new Task(this, {
    task: async (_args, { signal }) => {
      const services = this.services!;
      let liveFiles: LiveFileView[];
      try {
        ({ liveFiles } = await services.api.listLiveFiles());
      } catch (err) {
        this.lastKnown = plainError(err).transient ? readLastKnownList(services.account.id) : null;
        this.lastError = err;
        throw err;
      }
      signal.throwIfAborted();
      this.lastKnown = null;
      saveLastKnownList(services.account.id, liveFiles);
      return liveFiles;
    },
    args: () => [this.services],
  });

  static override styles = [
    controlStyles,
    loadFailedStyles,
    liveFileRowStyles,
    css`
      :host { display: block; max-width: 880px; margin: 0 auto; padding: var(--s4); }
      h1 { font-size: 24px; line-height: 1.25; margin: 0 0 var(--s4); }
      form { display: flex; gap: var(--s2); flex-wrap: wrap; align-items: end; margin-bottom: var(--s5);
        padding: var(--s3); background: var(--surface); border-radius: var(--r2); }
      label { display: grid; gap: var(--s1); font-size: 14px; font-weight: 600; flex: 1 1 200px; min-width: 0; }
      label.tz { flex: 0 1 220px; }
      input, select { width: 100%; }
      .error { color: var(--live); background: var(--danger-bg); padding: var(--s2); border-radius: var(--r1); flex-basis: 100%; }
      .empty { color: var(--text-muted); }
      .lead { color: var(--text-muted); margin: 0 0 var(--s4); }
    `,
  ];

  override render() {
    const canCreate = this.services && isDeskRole(this.services.account.role);
    return html`
      <h1>Live files</h1>
      ${canCreate ? this.renderCreate() : html`<p class="lead">Open a live file to write your entries and follow them. You see your own entries in each.</p>`}
      ${this.load.render({
        pending: () => (this.lastKnown ? this.renderLastKnown(this.lastKnown, this.lastError, true)
          : html`<p class="empty" role="status">Loading live files…</p>`),
        error: (e) => (this.lastKnown ? this.renderLastKnown(this.lastKnown, e, false)
          : loadFailed({ what: 'the live files', error: plainError(e), savedAt: null, timeZone: zone(), retrying: false, onRetry: this.retry, back: false })),
        complete: (list) => this.renderList(this.files.merge(list)),
      })}`;
  }

  private retry = () => void this.load.run();

  /** The list as this device last saw it, under the notice that says so (links still open the files). */
  private renderLastKnown(last: LastKnownList, err: unknown, retrying: boolean) {
    return html`${loadFailed({ what: 'the live files', error: plainError(err), savedAt: last.savedAt, timeZone: zone(), retrying, onRetry: this.retry, back: false,
      note: 'New files and changes show once it loads.' })}
      ${this.renderList(this.files.merge(last.liveFiles))}`;
  }

  private renderCreate() {
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    const zones = [...new Set([tz, 'UTC', 'Asia/Almaty', 'Europe/London', 'Europe/Berlin', 'Europe/Moscow', 'Asia/Dubai', 'America/New_York'])];
    return html`<form @submit=${this.onCreate} data-testid="create-live-file-form">
      <label>New live file
        <input name="title" required maxlength="200" dir="auto" placeholder="e.g. Almaty floods" data-testid="create-live-file-title" />
      </label>
      <label class="tz">Time zone
        <select name="timezone" data-testid="create-live-file-timezone">
          ${zones.map((z) => html`<option value=${z}>${z}</option>`)}
        </select>
      </label>
      <button class="primary" type="submit" ?disabled=${this.creating} data-testid="create-live-file-submit">${icons.plus()} Create</button>
      ${this.createError ? html`<div class="error" role="alert">${this.createError}</div>` : nothing}
    </form>`;
  }

  private renderList(files: LiveFileView[]) {
    const desk = !!this.services && isDeskRole(this.services.account.role);
    if (files.length === 0) {
      return html`<p class="empty" data-testid="no-live-files">${desk
        ? 'No live files yet. Create the first one above.'
        : 'No live files yet. When the desk opens one for a story, it appears here and you can file to it.'}</p>`;
    }
    return liveFileRows(files);
  }

  private async onCreate(ev: SubmitEvent) {
    ev.preventDefault();
    const form = ev.target as HTMLFormElement;
    const data = new FormData(form);
    const title = String(data.get('title') ?? '').trim();
    if (!title) return void (this.createError = 'Give the live file a title.');
    this.creating = true;
    this.createError = '';
    try {
      const file = await this.services!.api.createLiveFile({ title, timezone: String(data.get('timezone') ?? 'UTC') });
      this.files.add(file);
      form.reset();
      this.services!.navigate(`/files/${file.id}`);
    } catch (err) {
      this.createError = `Couldn't create the live file: ${plainError(err).reason}. Your title is still in the box.`;
    } finally {
      this.creating = false;
    }
  }
}

/** The viewer's own time zone. */
function zone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-desk-page': LdDeskPage;
  }
}
