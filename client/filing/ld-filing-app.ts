import { LitElement, css, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import type { AccountView } from '../../shared/schemas/account.js';
import { controlStyles } from '../components/shared-styles.js';
import { effectiveTheme, setTheme, type Theme } from '../services/theme.js';
import '../pages/ld-signin-page.js';
import { filingStyles } from './filingStyles.js';
import { fi } from './filingIcons.js';
import { FilingSession, type ClearSummary } from './filingSession.js';
import './ld-compose.js';
import './ld-my-filings.js';

type Tab = 'write' | 'filings' | 'device';

function tabOf(hash: string): Tab {
  return hash === '#filings' ? 'filings' : hash === '#device' ? 'device' : 'write';
}

/**
 * The correspondent's filing page (/file): sign-in, then Write (the compose form), My filings
 * (the outbox and the entries) and This phone (sign out, night mode, Clear this device). Its own
 * Vite entry: no Yjs, no editor, no desk code.
 */
@customElement('ld-filing-app')
export class LdFilingApp extends LitElement {
  @state() private tab: Tab = tabOf(location.hash);
  @state() private revision = 0;
  @state() private theme: Theme = effectiveTheme();
  @state() private clear: ClearSummary | null = null;
  @state() private clearing = false;
  @query('dialog') private dialog?: HTMLDialogElement;
  private readonly session = new FilingSession();
  private off?: () => void;

  static override styles = [
    controlStyles,
    filingStyles,
    css`
      :host { display: block; min-height: 100vh; min-height: 100dvh; --tabs-height: 64px; }
      .wrap { max-width: 640px; margin: 0 auto; padding-bottom: calc(var(--tabs-height) + env(safe-area-inset-bottom)); }
      header { position: sticky; top: 0; z-index: 3; background: var(--surface); border-bottom: 1px solid var(--border);
        padding: var(--s2) var(--s4); display: grid; gap: var(--s2); }
      .row { display: flex; align-items: center; gap: var(--s2); min-width: 0; }
      .picker { flex: 1; min-width: 0; display: grid; }
      .picker select { font-weight: 700; text-overflow: ellipsis; min-width: 0; }
      .conn { display: inline-flex; align-items: center; gap: var(--s1); font-size: 14px; font-weight: 700; white-space: nowrap;
        padding: 0 var(--s2); min-height: 32px; border-radius: 16px; }
      .conn .icon { width: 16px; height: 16px; }
      .conn[data-reach='online'] { color: var(--badge-scheduled); background: var(--badge-scheduled-bg); }
      .conn[data-reach='offline'], .conn[data-reach='unknown'] { color: var(--warn); background: var(--warn-bg); }
      .conn[data-reach='signed-out'] { color: var(--badge-rejected); background: var(--badge-rejected-bg); }
      .waiting { justify-content: space-between; background: var(--bg); font-size: 15px; font-weight: 600; width: 100%; }
      .waiting .go { color: var(--accent); }
      nav.tabs { position: fixed; inset-inline: 0; bottom: 0; z-index: 4; background: var(--surface); border-top: 1px solid var(--border);
        display: grid; grid-template-columns: repeat(3, 1fr); padding-bottom: env(safe-area-inset-bottom); }
      nav.tabs a { display: grid; justify-items: center; align-content: center; gap: 2px; min-height: var(--tabs-height); color: var(--text-muted);
        text-decoration: none; font-size: 13px; font-weight: 600; position: relative; }
      nav.tabs a[aria-current='page'] { color: var(--accent); box-shadow: inset 0 3px 0 var(--accent); }
      nav.tabs a:focus-visible { outline-offset: -3px; }
      nav.tabs .icon { width: 24px; height: 24px; }
      .badge { position: absolute; top: 6px; inset-inline-start: calc(50% + 6px); min-width: 20px; height: 20px; border-radius: 10px; padding: 0 5px;
        background: var(--live); color: var(--bg); font-size: 12px; line-height: 20px; text-align: center; font-weight: 700; }
      .device { padding: var(--s4); display: grid; gap: var(--s5); }
      .device h2 { font-size: 20px; margin: 0; }
      .device section { display: grid; gap: var(--s2); }
      .device p { margin: 0; }
      .device .who { font-size: 16px; }
      .device button { justify-self: start; gap: var(--s2); }
      .device .clear { border-color: var(--live); color: var(--live); }
      dialog { border: 1px solid var(--border); border-radius: var(--r2); padding: var(--s4); width: min(92vw, 420px); background: var(--bg); color: var(--text); }
      dialog::backdrop { background: rgb(0 0 0 / 0.55); }
      dialog h2 { margin: 0 0 var(--s3); font-size: 20px; }
      dialog ul { margin: 0 0 var(--s3); padding-inline-start: var(--s5); }
      dialog .loud { display: flex; gap: var(--s2); align-items: flex-start; font-weight: 700; color: var(--badge-rejected); background: var(--badge-rejected-bg);
        border: 2px solid var(--badge-rejected); padding: var(--s3); border-radius: var(--r2); margin: 0 0 var(--s3); }
      dialog .quiet { margin: 0 0 var(--s3); color: var(--text-muted); }
      dialog .buttons { display: grid; gap: var(--s2); }
      .boot { padding: var(--s6) var(--s4); color: var(--text-muted); }
    `,
  ];

  override connectedCallback() {
    super.connectedCallback();
    this.off = this.session.onChange(() => this.revision++);
    addEventListener('hashchange', this.onHash);
    void this.session.boot();
  }

  override disconnectedCallback() {
    this.off?.();
    removeEventListener('hashchange', this.onHash);
    super.disconnectedCallback();
  }

  private onHash = () => {
    this.tab = tabOf(location.hash);
  };

  private go(tab: Tab) {
    const hash = tab === 'write' ? '#write' : `#${tab}`;
    if (location.hash !== hash) location.hash = hash;
    this.tab = tab;
    scrollTo({ top: 0 });
  }

  override render() {
    const s = this.session;
    if (s.phase === 'booting') return html`<p class="boot" role="status">Opening Livedesk…</p>`;
    if (s.phase === 'signed-out') {
      return html`<ld-signin-page .api=${s.accounts} notice=${s.signInNotice} @signed-in=${this.onSignedIn}></ld-signin-page>`;
    }
    const view = s.view;
    return html`<div class="wrap">
      <header>
        <div class="row">
          ${this.tab === 'write' ? this.picker() : html`<strong class="picker">${this.tab === 'filings' ? 'My filings' : 'This phone'}</strong>`}
          ${this.connection(view.unsent)}
        </div>
        ${view.unsent && this.tab === 'write' ? html`<button class="waiting" @click=${() => this.go('filings')} data-testid="outbox-summary">
          <span>${view.unsent} waiting to send${view.unsentPhotos ? `, ${view.unsentPhotos} photo${view.unsentPhotos === 1 ? '' : 's'}` : ''}</span><span class="go">Outbox</span></button>` : nothing}
      </header>
      <main>
        ${this.tab === 'write' ? html`<ld-compose .session=${s} .revision=${this.revision}></ld-compose>`
          : this.tab === 'filings' ? html`<ld-my-filings .session=${s} .revision=${this.revision} @open-compose=${() => this.go('write')}></ld-my-filings>`
          : this.device()}
      </main>
      <nav class="tabs" aria-label="Filing">
        ${this.tabLink('write', 'Write', fi.write())}
        ${this.tabLink('filings', 'My filings', fi.list(), view.unsent)}
        ${this.tabLink('device', 'This phone', fi.phone())}
      </nav>
      ${this.clearDialog()}
    </div>`;
  }

  private tabLink(tab: Tab, label: string, icon: unknown, count = 0) {
    return html`<a href=${`#${tab}`} aria-current=${this.tab === tab ? 'page' : 'false'} data-testid=${`tab-${tab}`}
      @click=${(e: Event) => { e.preventDefault(); this.go(tab); }}>${icon}<span>${label}</span>${count
        ? html`<span class="badge" data-testid="tab-outbox-count"><span class="visually-hidden">, </span>${count}<span class="visually-hidden"> waiting</span></span>` : nothing}</a>`;
  }

  private picker() {
    const s = this.session;
    const c = s.compose;
    const editing = c?.editing?.entryId ? c.editing.liveFile : undefined;
    if (editing) {
      return html`<label class="picker"><span class="visually-hidden">Filing to</span>
        <select disabled data-testid="filing-file-picker"><option>${editing.title}</option></select></label>`;
    }
    const files = s.openFiles;
    return html`<label class="picker"><span class="visually-hidden">Filing to</span>
      <select data-testid="filing-file-picker" @change=${(e: Event) => s.updateCompose({}, (e.target as HTMLSelectElement).value)}>
        ${files.length === 0 ? html`<option value="">No live file takes filings</option>` : nothing}
        ${files.map((f) => html`<option value=${f.id} ?selected=${f.id === c?.liveFileId}>${f.title}</option>`)}
      </select></label>`;
  }

  private connection(unsent: number) {
    const s = this.session;
    const signedOut = s.runner.state === 'signed-out';
    const reach = signedOut ? 'signed-out' : s.reach;
    const text = signedOut ? 'Sign in to send' : s.reach === 'online' ? 'Online' : s.reach === 'offline' ? 'Offline' : 'Connecting';
    const more = s.reach === 'offline' && unsent ? `: ${unsent} kept on this phone, sent when the network is back` : s.reach === 'offline' ? ': you can still write and file' : '';
    return html`<span class="conn" role="status" data-reach=${reach} data-testid="connection-state">${reach === 'online' ? fi.online() : reach === 'signed-out' ? fi.lock() : fi.offline()}<span>${text}</span><span class="visually-hidden">${more}</span></span>`;
  }

  private device() {
    const s = this.session;
    const a = s.account!;
    return html`<div class="device">
      <section aria-labelledby="acct-h">
        <h2 id="acct-h">Signed in</h2>
        <p class="who"><bdi>${a.displayName}</bdi> · ${a.role}</p>
        <p class="hint">Signing out keeps unsent filings on this phone; they go after you sign in again.</p>
        <button @click=${() => void s.signOut()} data-testid="sign-out">Sign out</button>
      </section>
      <section aria-labelledby="theme-h">
        <h2 id="theme-h">Night mode</h2>
        <button role="switch" aria-checked=${String(this.theme === 'dark')} @click=${this.toggleTheme} data-testid="theme-switch">${this.theme === 'dark' ? 'On: dark screen' : 'Off: light screen'}</button>
      </section>
      <section aria-labelledby="clear-h">
        <h2 id="clear-h">Clear this device</h2>
        <p class="hint">Removes everything Livedesk keeps on this phone (filings, photos, drafts, the saved page) and signs you out. For a borrowed or lost phone.</p>
        <button class="clear" @click=${this.askClear} data-testid="clear-device">${fi.trash()} Clear this device…</button>
      </section>
    </div>`;
  }

  private clearDialog() {
    const c = this.clear;
    const items = c ? [
      c.unsent ? `${c.unsent} unsent filing${c.unsent === 1 ? '' : 's'}` : '',
      c.photos ? `${c.photos} photo${c.photos === 1 ? '' : 's'}` : '',
      c.composing ? 'the update you are writing' : '',
    ].filter(Boolean) : [];
    return html`<dialog aria-labelledby="clear-title" @close=${() => (this.clear = null)} data-testid="clear-dialog">
      ${c ? html`<h2 id="clear-title">Clear this device?</h2>
        ${c.unsent || c.composing
          ? html`<p class="loud" role="alert" data-testid="clear-warning">${fi.warn()}<span>${c.unsent
            ? `${c.unsent} filing${c.unsent === 1 ? ' has' : 's have'} not reached the desk. ${c.unsent === 1 ? 'It' : 'They'} will be lost.`
            : 'What you are writing has not been filed. It will be lost.'}</span></p>`
          : html`<p class="quiet">Everything you filed has reached the desk.</p>`}
        <p data-testid="clear-summary">This removes from this phone: ${items.length ? items.join(', ') : 'no filings or photos'}${items.length ? ',' : ';'} the saved page, and your sign-in.</p>
        <div class="buttons">
          <button class="danger" ?disabled=${this.clearing} @click=${this.confirmClear} data-testid="clear-confirm">${c.unsent ? `Delete ${c.unsent} unsent and clear` : 'Clear this device'}</button>
          <button ?disabled=${this.clearing} @click=${() => this.dialog?.close()} data-testid="clear-cancel" autofocus>Keep everything</button>
        </div>` : nothing}
    </dialog>`;
  }

  private askClear = async () => {
    this.clear = await this.session.clearSummary();
    await this.updateComplete;
    this.dialog?.showModal();
  };

  private confirmClear = async () => {
    this.clearing = true;
    try {
      await this.session.clearDevice();
    } finally {
      this.clearing = false;
      this.dialog?.close();
      this.clear = null;
    }
  };

  private toggleTheme = () => {
    this.theme = this.theme === 'dark' ? 'light' : 'dark';
    setTheme(this.theme);
  };

  private onSignedIn = (e: CustomEvent<{ account: AccountView }>) => {
    void this.session.signedIn(e.detail.account);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-filing-app': LdFilingApp;
  }
}
