import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AccountView } from '../../shared/schemas/account.js';
import { ApiError, type ApiClient } from '../services/apiClient.js';
import { controlStyles } from '../components/shared-styles.js';
import { errorDetails, plainError } from '../services/plainError.js';

/**
 * Sign-in form. Never clears what was typed on an error.
 * @fires signed-in - detail `{ account }`
 */
@customElement('ld-signin-page')
export class LdSigninPage extends LitElement {
  @property({ attribute: false }) api?: ApiClient;
  /** Why we are here, e.g. after the session was revoked. */
  @property() notice = '';
  @state() private error = '';
  @state() private errorDetails = '';
  @state() private busy = false;

  static override styles = [
    controlStyles,
    css`
      :host { display: grid; place-items: center; min-height: 100vh; padding: var(--s4); }
      form { width: min(360px, 100%); display: grid; gap: var(--s3); background: var(--surface); padding: var(--s5);
        border-radius: var(--r2); border: 1px solid var(--border); }
      h1 { margin: 0; font-size: 24px; line-height: 1.25; }
      label { display: grid; gap: var(--s1); font-size: 14px; font-weight: 600; }
      input { width: 100%; min-height: 44px; }
      button { min-height: 44px; }
      .error { color: var(--live); background: var(--danger-bg); padding: var(--s2); border-radius: var(--r1); font-size: 14px; }
      .notice { color: var(--warn); background: var(--warn-bg); padding: var(--s2); border-radius: var(--r1); font-size: 14px; }
    `,
  ];

  override render() {
    return html`<form @submit=${this.onSubmit} data-testid="signin-form" novalidate>
      <h1>Livedesk</h1>
      ${this.notice ? html`<div class="notice" role="status">${this.notice}</div>` : nothing}
      <label>Username
        <input name="username" autocomplete="username" required dir="auto" data-testid="signin-username" autofocus />
      </label>
      <label>Password
        <input name="password" type="password" autocomplete="current-password" required data-testid="signin-password" />
      </label>
      ${this.error ? html`<div class="error" role="alert" data-testid="signin-error">${this.error}${errorDetails(this.errorDetails)}</div>` : nothing}
      <button class="primary" type="submit" ?disabled=${this.busy} data-testid="signin-submit">${this.busy ? 'Signing in…' : 'Sign in'}</button>
    </form>`;
  }

  private async onSubmit(ev: SubmitEvent) {
    ev.preventDefault();
    const form = ev.target as HTMLFormElement;
    const data = new FormData(form);
    const username = String(data.get('username') ?? '').trim();
    const password = String(data.get('password') ?? '');
    if (!username || !password) {
      this.error = 'Enter your username and password.';
      return;
    }
    this.busy = true;
    this.error = '';
    this.errorDetails = '';
    try {
      const { account } = await this.api!.signIn(username, password);
      this.dispatchEvent(new CustomEvent<{ account: AccountView }>('signed-in', { detail: { account }, bubbles: true, composed: true }));
    } catch (err) {
      const bad = err instanceof ApiError && (err.status === 401 || err.status === 400);
      const plain = plainError(err);
      if (err instanceof ApiError && err.status === 429) {
        this.error = tooManyAttempts(err.details);
        return;
      }
      this.error = bad
        ? 'That username and password do not match. Check them and try again.'
        : `Couldn't sign in: ${plain.reason}. ${plain.transient ? 'Try again in a moment.' : 'Try again, or ask the desk chief.'}`;
      this.errorDetails = bad ? '' : plain.details;
    } finally {
      this.busy = false;
    }
  }
}

/** AU11: how long the sign-in limit holds, in whole minutes (the server sends seconds). */
function tooManyAttempts(details: unknown): string {
  const seconds = (details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  const minutes = typeof seconds === 'number' && seconds > 0 ? Math.ceil(seconds / 60) : 15;
  return `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-signin-page': LdSigninPage;
  }
}
