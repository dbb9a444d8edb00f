import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { Task } from '@lit/task';
import type { SessionView } from '../../shared/schemas/account.js';
import { servicesContext, type Services } from '../services/services.js';
import { errorDetails, plainError } from '../services/plainError.js';
import { controlStyles } from '../components/shared-styles.js';
import { lastActive, untilWhen } from './accountsView.js';

/** "Chrome on Linux" from a User-Agent: enough to tell one's own devices apart. */
export function deviceName(ua: string | null): string {
  if (!ua) return 'Unknown browser';
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrom(e|ium)\//.test(ua) ? 'Chrome'
    : /Safari\//.test(ua) ? 'Safari' : /node|undici|curl/i.test(ua) ? 'A script or app' : 'A browser';
  const os = /iPhone|iPad/.test(ua) ? 'iPhone or iPad' : /Android/.test(ua) ? 'Android' : /Windows/.test(ua) ? 'Windows'
    : /Mac OS X|Macintosh/.test(ua) ? 'Mac' : /Linux|X11/.test(ua) ? 'Linux' : '';
  return os ? `${browser} on ${os}` : browser;
}

/**
 * Your sessions (AU9, AU10): every device signed in as you, this one marked; sign one out, or all
 * of them. A signed-out device's open pages are told at once and stop.
 * @fires signed-out-everywhere - this device's session ended too
 */
@customElement('ld-sessions-page')
export class LdSessionsPage extends LitElement {
  @consume({ context: servicesContext })
  services?: Services;

  @state() private sessions: SessionView[] | null = null;
  @state() private busy = '';
  @state() private status = '';
  @state() private error = '';
  @state() private details = '';

  private readonly load = new Task(this, {
    task: async (_args, { signal }) => {
      const { sessions } = await this.services!.api.listSessions(signal);
      this.sessions = sessions;
      return sessions;
    },
    args: () => [this.services],
  });

  static override styles = [
    controlStyles,
    css`
      :host { display: block; max-width: 760px; margin: 0 auto; padding: var(--s4); }
      h1 { font-size: 24px; line-height: 1.25; margin: 0 0 var(--s2); }
      p { margin: 0 0 var(--s3); line-height: 1.5; }
      .lead { color: var(--text-muted); }
      ul { list-style: none; margin: 0 0 var(--s4); padding: 0; }
      li { display: flex; gap: var(--s3); align-items: center; flex-wrap: wrap; border: 1px solid var(--border); border-radius: var(--r2);
        padding: var(--s3); margin-bottom: var(--s2); background: var(--surface); }
      .what { flex: 1 1 16rem; min-width: 0; }
      .device { font-weight: 600; }
      .this { font-size: 12px; font-weight: 700; color: var(--accent); border: 1px solid var(--accent); border-radius: var(--r1); padding: 0 var(--s1); margin-inline-start: var(--s2); }
      .when { color: var(--text-muted); font-size: 14px; }
      .status { min-height: 1.5em; color: var(--text-muted); font-size: 14px; }
      .error { color: var(--live); background: var(--danger-bg); padding: var(--s2); border-radius: var(--r1); }
      button.danger { color: var(--live); border-color: var(--live); }
      @media (max-width: 600px) { :host { padding: var(--s3); } li button, .all { flex: 1 1 100%; } }
    `,
  ];

  override render() {
    return html`<h1>Your sessions</h1>
      <p class="lead">Every device signed in as <bdi>${this.services?.account.displayName}</bdi>. Sign out the ones you no longer use:
        their open pages stop at once.</p>
      <p class="status" role="status" data-testid="sessions-status">${this.status}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}${errorDetails(this.details)}</p>` : nothing}
      ${this.load.render({
        pending: () => (this.sessions ? this.list(this.sessions) : html`<p role="status">Loading sessions…</p>`),
        error: (err) => html`<p class="error" role="alert">Your sessions could not be loaded: ${plainError(err).reason}.
          <button @click=${() => this.load.run()}>Try again</button></p>`,
        complete: () => this.list(this.sessions ?? []),
      })}
      <button class="danger all" ?disabled=${this.busy !== ''} @click=${this.endAll} data-testid="sign-out-everywhere">Sign out everywhere, this device too</button>`;
  }

  private list(sessions: SessionView[]) {
    return html`<ul data-testid="session-list">${sessions.map((s) => html`<li data-testid="session-row" data-current=${String(s.current)}>
      <div class="what">
        <span class="device">${deviceName(s.userAgent)}</span>${s.current ? html`<span class="this">This device</span>` : nothing}
        <div class="when">Signed in ${untilWhen(s.createdAt)} · last active ${lastActive(s.lastSeenAt).toLowerCase()}</div>
      </div>
      ${s.current ? nothing : html`<button ?disabled=${this.busy !== ''} @click=${() => this.end(s)} data-testid="end-session">Sign out this device</button>`}
    </li>`)}</ul>`;
  }

  private async end(s: SessionView) {
    this.busy = s.id;
    this.error = '';
    try {
      await this.services!.api.endSession(s.id);
      this.sessions = (this.sessions ?? []).filter((x) => x.id !== s.id);
      this.status = `${deviceName(s.userAgent)} is signed out.`;
    } catch (err) {
      const plain = plainError(err);
      this.error = `Couldn't sign that device out: ${plain.reason}. Try again.`;
      this.details = plain.details;
    } finally {
      this.busy = '';
    }
  }

  private endAll = async () => {
    this.busy = 'all';
    this.error = '';
    try {
      await this.services!.api.endAllSessions();
      this.dispatchEvent(new CustomEvent('signed-out-everywhere', { bubbles: true, composed: true }));
    } catch (err) {
      const plain = plainError(err);
      this.error = `Couldn't sign out everywhere: ${plain.reason}. Try again.`;
      this.details = plain.details;
    } finally {
      this.busy = '';
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-sessions-page': LdSessionsPage;
  }
}
