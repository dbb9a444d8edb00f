import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { Task } from '@lit/task';
import { Limits } from '../../shared/limits.js';
import type { AccountView } from '../../shared/schemas/account.js';
import { ApiError, type ApiClient } from '../services/apiClient.js';
import { errorDetails, plainError } from '../services/plainError.js';
import { controlStyles } from '../components/shared-styles.js';
import { untilWhen } from './accountsView.js';

/**
 * An invite link (`#/invite/<token>`, AD3): says whom it is for, lets her choose a password and
 * signs her in. A used or expired link says so and what to do. Never clears what was typed.
 * @fires signed-in - detail `{ account }`
 */
@customElement('ld-invite-page')
export class LdInvitePage extends LitElement {
  @property({ attribute: false }) api?: ApiClient;
  @property() token = '';
  @state() private error = '';
  @state() private details = '';
  @state() private busy = false;

  private readonly invite = new Task(this, {
    task: async ([token]) => this.api!.readInvite(token as string),
    args: () => [this.token],
  });

  static override styles = [
    controlStyles,
    css`
      :host { display: grid; place-items: center; min-height: 100vh; padding: var(--s4); }
      .card { width: min(420px, 100%); display: grid; gap: var(--s3); background: var(--surface); padding: var(--s5); border-radius: var(--r2); border: 1px solid var(--border); }
      h1 { margin: 0; font-size: 24px; line-height: 1.25; }
      p { margin: 0; line-height: 1.5; }
      label { display: grid; gap: var(--s1); font-size: 14px; font-weight: 600; }
      .hint { font-weight: 400; color: var(--text-muted); font-size: 12px; }
      input { width: 100%; min-height: 44px; }
      button, a.btn { min-height: 44px; }
      .error { color: var(--live); background: var(--danger-bg); padding: var(--s2); border-radius: var(--r1); font-size: 14px; }
    `,
  ];

  override render() {
    return this.invite.render({
      pending: () => html`<div class="card"><p role="status">Opening your invite…</p></div>`,
      error: (err) => html`<div class="card" data-testid="invite-refused"><h1>Livedesk</h1>
        <p class="error" role="alert">${err instanceof ApiError && err.status !== 0 && err.status < 500 ? err.message
          : `Couldn't open the invite: ${plainError(err).reason}. Try again in a moment.`}</p>
        <a class="btn primary" href="#/">Go to sign-in</a></div>`,
      complete: (invite) => html`<form class="card" @submit=${this.onSubmit} novalidate data-testid="invite-form">
        <h1>Welcome to Livedesk</h1>
        <p>This invite is for <strong><bdi>${invite.displayName}</bdi></strong>, username <strong dir="ltr">${invite.username}</strong>.
          Choose a password to sign in. The link works once, until ${untilWhen(invite.expiresAt)}.</p>
        <input type="text" name="username" autocomplete="username" .value=${invite.username} hidden />
        <label>New password <span class="hint">At least ${Limits.passwordMin} characters</span>
          <input name="password" type="password" autocomplete="new-password" required minlength=${Limits.passwordMin} data-testid="invite-password" />
        </label>
        <label>The same password again
          <input name="again" type="password" autocomplete="new-password" required data-testid="invite-password-again" />
        </label>
        ${this.error ? html`<p class="error" role="alert" data-testid="invite-error">${this.error}${errorDetails(this.details)}</p>` : nothing}
        <button class="primary" type="submit" ?disabled=${this.busy} data-testid="invite-submit">${this.busy ? 'Signing in…' : 'Set password and sign in'}</button>
      </form>`,
    });
  }

  private async onSubmit(ev: SubmitEvent) {
    ev.preventDefault();
    const data = new FormData(ev.target as HTMLFormElement);
    const password = String(data.get('password') ?? '');
    if (password.length < Limits.passwordMin) {
      this.error = `Choose a password of at least ${Limits.passwordMin} characters.`;
      return;
    }
    if (password !== String(data.get('again') ?? '')) {
      this.error = 'The two passwords differ. Type the same one twice.';
      return;
    }
    this.busy = true;
    this.error = '';
    this.details = '';
    try {
      const { account } = await this.api!.acceptInvite(this.token, password);
      this.dispatchEvent(new CustomEvent<{ account: AccountView }>('signed-in', { detail: { account }, bubbles: true, composed: true }));
    } catch (err) {
      const plain = plainError(err);
      this.error = err instanceof ApiError && err.status >= 400 && err.status < 500 ? err.message : `Couldn't set your password: ${plain.reason}. Try again.`;
      this.details = plain.details;
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-invite-page': LdInvitePage;
  }
}
