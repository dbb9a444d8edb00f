import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ContextProvider } from '@lit/context';
import type { AccountView } from '../shared/schemas/account.js';
import { ApiClient, ApiError } from './services/apiClient.js';
import { RealtimeClient } from './services/realtimeClient.js';
import { servicesContext, collabUrlFor, type Services } from './services/services.js';
import { controlStyles } from './components/shared-styles.js';
import { effectiveTheme, onSystemThemeChange, setTheme, type Theme } from './services/theme.js';
import { forgetAccount, lastAccount, rememberAccount } from './services/lastSession.js';
import './pages/ld-signin-page.js';
import './pages/ld-admin-home.js';
import './components/ld-queue-link.js';

/**
 * Pages past sign-in load on first use (their own chunks): sign-in needs none of their code, and
 * the live file's Yjs and editor code never slow down the sign-in form on a phone.
 */
const pageModules = {
  desk: () => import('./pages/ld-desk-page.js'),
  file: () => import('./pages/ld-live-file-page.js'),
  queue: () => import('./pages/ld-queue-page.js'),
  sessions: () => import('./pages/ld-sessions-page.js'),
  invite: () => import('./pages/ld-invite-page.js'),
} as const;
type LazyPage = keyof typeof pageModules;

const moon = html`<svg class="icon" viewBox="0 0 20 20" width="20" height="20" fill="none" stroke="currentColor" stroke-width="1.75"
  stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M16 12.5A6.5 6.5 0 0 1 7.5 4a6.5 6.5 0 1 0 8.5 8.5z"/></svg>`;
const sun = html`<svg class="icon" viewBox="0 0 20 20" width="20" height="20" fill="none" stroke="currentColor" stroke-width="1.75"
  stroke-linecap="round" aria-hidden="true"><circle cx="10" cy="10" r="3.5"/><path d="M10 2v2M10 16v2M2 10h2M16 10h2M4.3 4.3l1.4 1.4M14.3 14.3l1.4 1.4M4.3 15.7l1.4-1.4M14.3 5.7l1.4-1.4"/></svg>`;

/** `desk`: the home (`#/`), per role; `files`: the live-files list itself (`#/files`), for every role. */
type Route = { name: 'signin' } | { name: 'desk' } | { name: 'files' } | { name: 'file'; id: string } | { name: 'queue' }
  | { name: 'sessions' } | { name: 'invite'; token: string };

/** Hash routes work under any server; a plain path (/files/:id) is accepted on first load too. */
export function parseRoute(loc: Pick<Location, 'hash' | 'pathname'>): Route {
  const path = loc.hash.startsWith('#/') ? loc.hash.slice(1) : loc.pathname;
  const file = /^\/files\/([A-Za-z0-9_-]{8,64})\/?$/.exec(path);
  if (file) return { name: 'file', id: file[1]! };
  if (path === '/signin') return { name: 'signin' };
  if (/^\/queue\/?$/.test(path)) return { name: 'queue' };
  if (/^\/sessions\/?$/.test(path)) return { name: 'sessions' };
  const invite = /^\/invite\/([A-Za-z0-9_-]{20,100})$/.exec(path);
  if (invite) return { name: 'invite', token: invite[1]! };
  if (/^\/files\/?$/.test(path)) return { name: 'files' };
  return { name: 'desk' };
}

/** Root: session check, routing, and the services every page consumes through @lit/context. */
@customElement('ld-app')
export class LdApp extends LitElement {
  @state() private account: AccountView | null = null;
  @state() private checked = false;
  @state() private route: Route = parseRoute(location);
  @state() private notice = '';
  /** The session ended while a live file was open: it stays on screen, read-only, until sign-in. */
  @state() private ended: string | null = null;
  @state() private theme: Theme = effectiveTheme();
  /** Lazy pages whose code has arrived (rendered only then: defined elements, no pre-upgrade properties); a failed load offers Try again. */
  @state() private pages: Partial<Record<LazyPage, 'loading' | 'ready' | 'failed'>> = {};
  /** The server could not be reached at start: the last account's desk, read-only, from this device [FL9]. */
  @state() private offline = false;
  private offlineRetry?: ReturnType<typeof setInterval>;
  private offTheme?: () => void;

  private readonly api = new ApiClient();
  private realtime = new RealtimeClient();
  private readonly provider = new ContextProvider(this, { context: servicesContext });
  private offRevoked?: () => void;
  private signingOut = false;

  static override styles = [
    controlStyles,
    css`
      :host { display: block; min-height: 100vh; }
      .bar { display: flex; align-items: center; gap: var(--s3); padding: var(--s1) var(--s4); border-bottom: 1px solid var(--border);
        background: var(--surface); font-size: 14px; }
      .brand { font-weight: 800; color: var(--text); text-decoration: none; }
      .who { margin-inline-start: auto; color: var(--text-muted); text-decoration: none; border-radius: var(--r1); }
      a.who:hover { color: var(--text); text-decoration: underline; }
      .bar button { min-height: 32px; font-size: 14px; }
      .bar button.theme { gap: var(--s1); padding: 0 var(--s2); }
      .bar button.theme[aria-checked='true'] { color: var(--accent); }
      .offline { color: var(--warn); background: var(--warn-bg); border-radius: var(--r1); padding: var(--s1) var(--s2); font-weight: 600; white-space: nowrap; }
      .who { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; }
      .boot { padding: var(--s6); color: var(--text-muted); }
      @media (max-width: 600px) { .bar { padding: var(--s1) var(--s2); gap: var(--s2); } .bar button { min-height: 44px; }
        .offline-more, .theme-label { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        /* Name over role, both whole (an ellipsis cut the role off at 390 px); the brand a 44 px target. */
        .who { display: flex; flex-direction: column; justify-content: center; min-height: var(--target); white-space: normal; line-height: 1.25; font-size: 13px; overflow-wrap: anywhere; }
        .who .sep { display: none; }
        .brand { display: inline-flex; align-items: center; min-height: var(--target); } }
    `,
  ];

  override connectedCallback() {
    super.connectedCallback();
    addEventListener('hashchange', this.onLocation);
    addEventListener('popstate', this.onLocation);
    this.offTheme = onSystemThemeChange(() => (this.theme = effectiveTheme()));
    // A link to a live file: its page's code travels while the session is checked, not after.
    if (this.route.name === 'file') this.loadPage('file');
    void this.checkSession();
  }

  override disconnectedCallback() {
    removeEventListener('hashchange', this.onLocation);
    removeEventListener('popstate', this.onLocation);
    this.offTheme?.();
    this.stopOfflineRetry();
    this.offRevoked?.();
    this.realtime.disconnect();
    super.disconnectedCallback();
  }

  override render() {
    if (!this.checked) return html`<p class="boot" role="status">Loading Livedesk…</p>`;
    // An invite link works signed out (and signs this browser in as the invited person).
    if (this.route.name === 'invite') {
      return this.pages.invite === 'ready' ? html`<ld-invite-page .api=${this.api} .token=${this.route.token} @signed-in=${this.onSignedIn}></ld-invite-page>` : this.pageStatus();
    }
    if (!this.account || this.route.name === 'signin') {
      return html`<ld-signin-page .api=${this.api} notice=${this.notice} @signed-in=${this.onSignedIn}></ld-signin-page>`;
    }
    return html`
      <nav class="bar" aria-label="Livedesk">
        <a class="brand" href="#/">Livedesk</a>
        ${this.account.role === 'chief' || this.account.role === 'admin' ? html`<ld-queue-link></ld-queue-link>` : nothing}
        ${this.offline ? html`<span class="offline" role="status" data-testid="offline-state">${navigator.onLine ? 'Server unreachable' : 'Offline'}<span
          class="offline-more">: showing what this device last saw, read-only</span></span>` : nothing}
        <a class="who" href="#/sessions" title="Your sessions: the devices signed in as you" data-testid="who"><bdi>${this.account.displayName}</bdi><span class="sep"> · </span><span class="role">${this.account.role}</span></a>
        <button class="ghost theme" role="switch" aria-checked=${String(this.theme === 'dark')} data-testid="theme-switch"
          title=${this.theme === 'dark' ? 'Night mode is on: switch to the light theme' : 'Switch to night mode (dark theme)'}
          @click=${this.toggleTheme}>${this.theme === 'dark' ? moon : sun}<span class="theme-label">Night mode</span></button>
        ${this.ended
          ? html`<button class="primary" @click=${this.signInAgain} data-testid="sign-in-again">Sign in</button>`
          : html`<button @click=${this.signOut} data-testid="sign-out">Sign out</button>`}
      </nav>
      <main>
        ${this.pageStatus()}
        ${this.route.name === 'file'
          ? this.pages.file !== 'ready' ? nothing : html`<ld-live-file-page .liveFileId=${this.route.id} .sessionEnded=${this.ended}
              @sign-in-again=${this.signInAgain}></ld-live-file-page>`
          : this.route.name === 'queue' ? (this.pages.queue === 'ready' ? html`<ld-queue-page></ld-queue-page>` : nothing)
          : this.route.name === 'sessions' ? (this.pages.sessions === 'ready' ? html`<ld-sessions-page @signed-out-everywhere=${this.signedOutHere}></ld-sessions-page>` : nothing)
          : this.route.name === 'desk' && this.account.role === 'admin' ? html`<ld-admin-home></ld-admin-home>`
          : this.route.name === 'desk' || this.route.name === 'files' ? (this.pages.desk === 'ready' ? html`<ld-desk-page></ld-desk-page>` : nothing) : nothing}
      </main>`;
  }

  /** The lazy page the route shows, if any. */
  private lazyPage(): LazyPage | null {
    if (this.checked && this.route.name === 'invite') return 'invite';
    if (!this.account || !this.checked) return null;
    if (this.route.name === 'sessions') return 'sessions';
    if (this.route.name === 'file') return 'file';
    if (this.route.name === 'queue') return 'queue';
    if (this.route.name === 'files' || (this.route.name === 'desk' && this.account.role !== 'admin')) return 'desk';
    return null;
  }

  protected override willUpdate() {
    const page = this.lazyPage();
    if (page && !this.pages[page]) this.loadPage(page);
  }

  /** While a lazy page's code travels, says so; if it could not arrive, offers Try again. */
  private pageStatus() {
    const name = this.lazyPage();
    const state = name ? this.pages[name] : 'ready';
    if (!name || state === 'ready') return nothing;
    if (state === 'failed') {
      return html`<p class="boot" role="alert" data-testid="page-load-failed">This page could not be loaded: check the connection.
        <button @click=${() => this.loadPage(name)}>Try again</button></p>`;
    }
    return html`<p class="boot" role="status">Loading…</p>`;
  }

  private loadPage(name: LazyPage) {
    if (this.pages[name] === 'loading' || this.pages[name] === 'ready') return;
    this.pages = { ...this.pages, [name]: 'loading' };
    pageModules[name]().then(
      () => (this.pages = { ...this.pages, [name]: 'ready' }),
      () => (this.pages = { ...this.pages, [name]: 'failed' }),
    );
  }

  private toggleTheme = () => {
    this.theme = this.theme === 'dark' ? 'light' : 'dark';
    setTheme(this.theme);
  };

  private onLocation = () => {
    this.route = parseRoute(location);
    // Leaving the read-only file after the session ended: nothing more to read, go to sign-in.
    if (this.ended && this.route.name !== 'file') this.signInAgain();
  };

  private async checkSession() {
    try {
      const { account } = await this.api.readSession();
      rememberAccount(account);
      this.setAccount(account);
    } catch (err) {
      const refused = err instanceof ApiError && (err.status === 401 || err.status === 403);
      if (refused) forgetAccount();
      const last = refused ? null : lastAccount();
      if (last) {
        // Offline (or the server down): this person's desk as this device last saw it, read-only.
        this.offline = true;
        this.startOfflineRetry();
        this.setAccount(last);
      } else {
        if (!refused) this.notice = "Couldn't reach the server. Sign in when it is back.";
        this.setAccount(null);
      }
    } finally {
      this.checked = true;
    }
  }

  /** While offline: asks the server again when the browser is back online, and every 20 s. */
  private startOfflineRetry() {
    this.stopOfflineRetry();
    addEventListener('online', this.recheckOffline);
    this.offlineRetry = setInterval(this.recheckOffline, 20_000);
  }

  private stopOfflineRetry() {
    removeEventListener('online', this.recheckOffline);
    clearInterval(this.offlineRetry);
    this.offlineRetry = undefined;
  }

  private recheckOffline = async () => {
    if (!this.offline) return this.stopOfflineRetry();
    try {
      const { account } = await this.api.readSession();
      this.offline = false;
      this.stopOfflineRetry();
      rememberAccount(account);
      // The same person: the pages reconnect and retry on their own. Someone else: start afresh.
      if (account.id !== this.account?.id) this.setAccount(account);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
        this.offline = false;
        this.stopOfflineRetry();
        forgetAccount();
        this.setAccount(null);
      }
    }
  };

  private setAccount(account: AccountView | null) {
    this.account = account;
    this.offRevoked?.();
    this.offRevoked = undefined;
    this.realtime.disconnect();
    if (!account) {
      this.provider.setValue(undefined as unknown as Services);
      return;
    }
    this.realtime = new RealtimeClient();
    const services: Services = {
      api: this.api,
      realtime: this.realtime,
      collabUrl: collabUrlFor(location),
      account,
      navigate: (path) => {
        location.hash = `#${path}`;
      },
      sessionLost: (reason) => this.onSessionLost(reason),
    };
    this.provider.setValue(services);
    this.offRevoked = this.realtime.on('session:revoked', ({ reason }) => this.onSessionLost(reason));
    if (this.route.name === 'signin') this.route = { name: 'desk' };
  }

  private onSessionLost(reason: string) {
    if (!this.account || this.ended || this.signingOut) return;
    forgetAccount();
    // 'replaced': this browser signed in again (another tab), which ended this session.
    this.notice = reason === 'signed-out' || reason === 'replaced'
      ? 'You were signed out. Sign in again to continue; your unsent changes are kept on this device.'
      : 'Your access was removed. Anything you typed is kept on this device.';
    if (this.route.name === 'file') {
      // Keep the desk on screen, read-only, so text can still be read and copied. No socket,
      // no collab reconnects: the page halts its documents when it sees sessionEnded.
      this.ended = reason || 'access-revoked';
      this.offRevoked?.();
      this.offRevoked = undefined;
      this.realtime.disconnect();
      return;
    }
    this.setAccount(null);
  }

  private signInAgain = () => {
    this.ended = null;
    this.setAccount(null);
  };

  private onSignedIn = (e: CustomEvent<{ account: AccountView }>) => {
    this.notice = '';
    this.ended = null;
    this.offline = false;
    this.stopOfflineRetry();
    rememberAccount(e.detail.account);
    this.setAccount(e.detail.account);
    if (location.hash === '#/signin' || this.route.name === 'invite') location.hash = '#/';
  };

  /** The Sessions page ended every session, this one too: signed out here, like Sign out. */
  private signedOutHere = () => {
    forgetAccount();
    this.offline = false;
    this.stopOfflineRetry();
    this.notice = 'You are signed out on every device.';
    this.setAccount(null);
    location.hash = '#/';
  };

  private signOut = async () => {
    // Our own sign-out revokes this session too: that is not "access removed".
    this.signingOut = true;
    try {
      await this.api.signOut();
    } catch {
      /* signed out locally regardless */
    } finally {
      this.signingOut = false;
    }
    forgetAccount();
    this.offline = false;
    this.stopOfflineRetry();
    this.notice = '';
    this.setAccount(null);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-app': LdApp;
  }
}
