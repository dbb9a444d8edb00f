import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { DeliveryAttemptView, WebhookEvent, WebhookView } from '../../shared/schemas/webhook.js';
import type { ApiClient } from '../services/apiClient.js';
import { plainError } from '../services/plainError.js';
import { controlStyles } from './shared-styles.js';

const EVENTS: Array<{ id: WebhookEvent; label: string }> = [
  { id: 'publish', label: 'Published' },
  { id: 'correct', label: 'Corrected' },
  { id: 'retract', label: 'Retracted' },
];
const OUTCOME: Record<DeliveryAttemptView['outcome'], string> = {
  delivered: 'delivered', http_error: 'refused', redirect_refused: 'redirected (not followed)', timeout: 'timed out',
  network_error: 'unreachable', address_refused: 'address refused',
};

/**
 * A live file's webhooks, inside its settings dialog (chiefs and admins): add one (URL and events;
 * the signing secret is shown once, right after), turn each on or off, delete it, and read its
 * delivery log (the last attempts, their outcome, consecutive failures).
 */
@customElement('ld-file-webhooks')
export class LdFileWebhooks extends LitElement {
  @property({ attribute: false }) api?: ApiClient;
  @property() liveFileId = '';
  @state() private hooks: WebhookView[] | null = null;
  @state() private loadError = '';
  @state() private url = '';
  @state() private events = new Set<WebhookEvent>(['publish', 'correct', 'retract']);
  @state() private busy = false;
  @state() private formError = '';
  @state() private secret: { hookId: string; secret: string } | null = null;

  static override styles = [
    controlStyles,
    css`
      :host { display: block; }
      h3 { font-size: 16px; margin: 0 0 var(--s1); }
      .hint { font-size: 13px; color: var(--text-muted); margin: 0 0 var(--s2); }
      form { display: grid; gap: var(--s2); }
      input[type='url'] { width: 100%; }
      .row { display: flex; gap: var(--s2); flex-wrap: wrap; align-items: center; }
      label.choice { display: inline-flex; gap: var(--s1); align-items: center; min-height: var(--target); font-size: 15px; }
      label.choice input { width: 20px; height: 20px; min-height: 0; margin: 0; accent-color: var(--accent); }
      ul { list-style: none; margin: var(--s3) 0 0; padding: 0; display: grid; gap: var(--s2); }
      li.hook { border: 1px solid var(--border); border-radius: var(--r1); padding: var(--s2) var(--s3); display: grid; gap: var(--s1); min-width: 0; }
      .url { font-family: ui-monospace, monospace; font-size: 13px; overflow-wrap: anywhere; }
      .state { font-size: 13px; color: var(--text-muted); }
      .off { color: var(--live); font-weight: 600; }
      .secret { background: var(--surface); border: 1px solid var(--accent); border-radius: var(--r1); padding: var(--s2); display: grid; gap: var(--s1); }
      code { font-family: ui-monospace, monospace; font-size: 13px; overflow-wrap: anywhere; user-select: all; }
      details summary { cursor: pointer; font-size: 14px; min-height: var(--target); display: flex; align-items: center; }
      table { border-collapse: collapse; font-size: 13px; width: 100%; }
      th, td { text-align: start; padding: 2px var(--s1); border-bottom: 1px solid var(--border); }
      .error { color: var(--live); margin: 0; }
    `,
  ];

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('api') || changed.has('liveFileId')) void this.load();
  }

  private async load(): Promise<void> {
    if (!this.api || !this.liveFileId) return;
    try {
      this.hooks = (await this.api.listWebhooks(this.liveFileId)).webhooks;
      this.loadError = '';
    } catch (err) {
      this.loadError = plainError(err).reason;
    }
  }

  override render() {
    return html`<section aria-labelledby="hooks-title" data-testid="webhooks">
      <h3 id="hooks-title">Webhooks</h3>
      <p class="hint">Tell another system when an entry of this live file is published, corrected or retracted: a signed POST to its address (see the README).</p>
      <form @submit=${this.onAdd} data-testid="webhook-form">
        <label>Address <input type="url" required placeholder="https://example.org/livedesk" .value=${this.url}
          @input=${(e: Event) => (this.url = (e.target as HTMLInputElement).value)} data-testid="webhook-url"></label>
        <div class="row" role="group" aria-label="Events">${EVENTS.map((ev) => html`<label class="choice"><input type="checkbox" .checked=${this.events.has(ev.id)}
          data-testid=${`webhook-event-${ev.id}`} @change=${(e: Event) => this.toggleEvent(ev.id, (e.target as HTMLInputElement).checked)}>${ev.label}</label>`)}</div>
        ${this.formError ? html`<p class="error" role="alert" data-testid="webhook-error">${this.formError}</p>` : nothing}
        <div class="row"><button class="primary" type="submit" ?disabled=${this.busy || this.events.size === 0} data-testid="webhook-add">Add webhook</button></div>
      </form>
      ${this.loadError ? html`<p class="error" role="alert">Couldn't load the webhooks: ${this.loadError}. <button type="button" @click=${() => void this.load()}>Try again</button></p>` : nothing}
      ${this.hooks ? html`<ul aria-label="Webhooks of this live file">${this.hooks.map((h) => this.renderHook(h))}</ul>` : nothing}
    </section>`;
  }

  private renderHook(h: WebhookView) {
    const last = h.lastAttempt;
    return html`<li class="hook" data-testid="webhook" data-hook-id=${h.id}>
      <span class="url">${h.url}</span>
      <span class="state" data-testid="webhook-state">${h.enabled ? 'On' : html`<span class="off">Off${h.disabledReason === 'failures' ? ' after repeated failures' : ''}</span>`}
        · ${h.events.join(', ')} · ${last ? `last: ${OUTCOME[last.outcome]}${last.status ? ` (${last.status})` : ''}, ${formatTime(last.at)}` : 'nothing sent yet'}
        · <span data-testid="webhook-failures">${h.consecutiveFailures} failed in a row</span></span>
      ${this.secret?.hookId === h.id ? html`<div class="secret" data-testid="webhook-secret" role="status">
        <strong>Signing secret, shown this once:</strong><code>${this.secret.secret}</code>
        <span class="hint">Keep it in the receiving system: it checks X-Livedesk-Signature with it.</span></div>` : nothing}
      <div class="row">
        <button type="button" ?disabled=${this.busy} data-testid="webhook-toggle" @click=${() => void this.setEnabled(h, !h.enabled)}>${h.enabled ? 'Turn off' : 'Turn on'}</button>
        <button type="button" ?disabled=${this.busy} data-testid="webhook-delete" @click=${() => void this.deleteHook(h)}>Delete</button>
      </div>
      <details data-testid="webhook-log"><summary>Delivery log (${h.deliveries.length})</summary>
        ${h.deliveries.length === 0 ? html`<p class="hint">No deliveries yet.</p>` : html`<table><thead><tr><th>Change</th><th>Status</th><th>Attempts</th></tr></thead><tbody>
          ${h.deliveries.map((d) => html`<tr data-testid="webhook-delivery"><td>#${d.seq} ${d.event}</td><td>${d.status}</td>
            <td>${d.attempts.map((a) => `${formatTime(a.at)} ${OUTCOME[a.outcome]}${a.status ? ` ${a.status}` : ''} ${a.durationMs} ms`).join('; ') || '—'}</td></tr>`)}
        </tbody></table>`}
      </details>
    </li>`;
  }

  private toggleEvent(id: WebhookEvent, on: boolean) {
    const next = new Set(this.events);
    if (on) next.add(id);
    else next.delete(id);
    this.events = next;
  }

  private onAdd = async (e: Event) => {
    e.preventDefault();
    if (!this.api) return;
    this.busy = true;
    this.formError = '';
    try {
      const created = await this.api.createWebhook(this.liveFileId, { url: this.url.trim(), events: [...this.events] });
      this.secret = { hookId: created.webhook.id, secret: created.secret };
      this.url = '';
      await this.load();
    } catch (err) {
      this.formError = `Couldn't add the webhook: ${plainError(err).reason}.`;
    } finally {
      this.busy = false;
    }
  };

  private async setEnabled(h: WebhookView, enabled: boolean) {
    await this.act(() => this.api!.updateWebhook(this.liveFileId, h.id, { enabled }));
  }

  private async deleteHook(h: WebhookView) {
    if (this.secret?.hookId === h.id) this.secret = null;
    await this.act(() => this.api!.deleteWebhook(this.liveFileId, h.id));
  }

  private async act(fn: () => Promise<unknown>) {
    if (!this.api) return;
    this.busy = true;
    this.formError = '';
    try {
      await fn();
      await this.load();
    } catch (err) {
      this.formError = `Couldn't change the webhook: ${plainError(err).reason}.`;
    } finally {
      this.busy = false;
    }
  }
}

function formatTime(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-file-webhooks': LdFileWebhooks;
  }
}
