import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { Limits } from '../../shared/limits.js';
import { controlStyles } from './shared-styles.js';
import { defaultClock, describeSchedule, formatClock, parseClock, scheduleAt } from '../workflow/schedule.js';
import { zoneLabel } from '../format.js';
import { isTouchScreen } from './touch.js';

export type PromptKind = 'reject' | 'retract' | 'schedule';

/**
 * The one field a workflow step needs before it is sent: the note of a rejection, the reason of a
 * retraction, or the time of a scheduled publication (typed in the live file's zone and echoed:
 * "14:30 Almaty, 09:30 UTC, in 25 min"). Enter sends, Esc cancels (ux.md §2). Nothing is sent empty.
 * @fires prompt-confirm - detail `{ text }` (note or reason) or `{ publishAt }` (ISO)
 * @fires prompt-cancel
 */
@customElement('ld-flow-prompt')
export class LdFlowPrompt extends LitElement {
  @property() kind: PromptKind = 'reject';
  @property({ attribute: false }) timeZone = 'UTC';
  /** A step is on its way: the field stays, the button waits. */
  @property({ type: Boolean }) busy = false;
  /** Who gets the note, for its label: "Note for Dana". */
  @property() recipient = '';
  @state() private value = '';
  @state() private error = '';
  @state() private now = Date.now();
  @query('textarea, input') private field?: HTMLTextAreaElement | HTMLInputElement;
  private timer?: ReturnType<typeof setInterval>;

  static override styles = [
    controlStyles,
    css`
      :host { display: block; }
      form { display: grid; gap: var(--s2); padding: var(--s3); border: 1px solid var(--border); border-radius: var(--r2); background: var(--surface); }
      label { display: block; font-size: 14px; font-weight: 600; }
      textarea { font: 16px/1.4 var(--font); color: var(--text); background: var(--bg); border: 1px solid var(--border);
        border-radius: var(--r1); padding: var(--s2); width: 100%; resize: vertical; min-height: 64px; }
      input[type='time'] { width: 9rem; font-variant-numeric: tabular-nums; }
      .echo { margin: 0; font-size: 14px; color: var(--text-muted); font-variant-numeric: tabular-nums; }
      .hint { font-weight: 400; color: var(--text-muted); font-size: 12px; }
      .row { display: flex; gap: var(--s2); flex-wrap: wrap; align-items: center; }
      .error { margin: 0; color: var(--live); font-size: 14px; font-weight: 600; }
      button.danger { border-color: var(--live); color: var(--live); font-weight: 600; }
    `,
  ];

  override connectedCallback() {
    super.connectedCallback();
    if (this.kind === 'schedule') {
      this.value = formatClock(defaultClock(this.timeZone, new Date()));
      this.timer = setInterval(() => (this.now = Date.now()), 15_000);
    }
  }

  override disconnectedCallback() {
    clearInterval(this.timer);
    super.disconnectedCallback();
  }

  override focus() {
    void this.updateComplete.then(() => this.field?.focus());
  }

  override render() {
    const id = 'prompt-field';
    const label = this.kind === 'reject' ? html`Note for <bdi>${this.recipient || 'the author'}</bdi> <span class="hint">(required: what to fix)</span>`
      : this.kind === 'retract' ? html`Reason readers will see <span class="hint">(required)</span>`
      : html`Publish at <span class="hint">(${zoneLabel(this.timeZone)} time)</span>`;
    const confirm = this.kind === 'reject' ? 'Send back' : this.kind === 'retract' ? 'Retract' : 'Schedule';
    return html`<form @submit=${this.onSubmit} @keydown=${this.onKeydown} data-testid="flow-prompt" data-kind=${this.kind}>
      <label for=${id}>${label}</label>
      ${this.kind === 'schedule'
        ? html`<input id=${id} type="time" required .value=${this.value} data-testid="flow-prompt-time" aria-describedby="echo"
            @input=${(e: Event) => ((this.value = (e.target as HTMLInputElement).value), (this.error = ''))}>
          <p class="echo" id="echo" role="status" data-testid="flow-prompt-echo">${this.echo()}</p>`
        : html`<textarea id=${id} dir="auto" rows="2" maxlength=${Limits.workflowNoteMax} .value=${this.value} data-testid="flow-prompt-text"
            aria-describedby=${isTouchScreen() ? nothing : 'keys'} aria-invalid=${this.error ? 'true' : 'false'}
            @input=${(e: Event) => ((this.value = (e.target as HTMLTextAreaElement).value), (this.error = ''))}></textarea>`}
      ${this.error ? html`<p class="error" role="alert" data-testid="flow-prompt-error">${this.error}</p>` : nothing}
      <div class="row">
        <button type="submit" class=${this.kind === 'retract' ? 'danger' : 'primary'} ?disabled=${this.busy} data-testid="flow-prompt-confirm">${confirm}</button>
        <button type="button" class="ghost" @click=${this.cancel} data-testid="flow-prompt-cancel">Cancel</button>
        ${isTouchScreen() ? nothing : html`<span class="hint" id="keys">Enter sends, Esc cancels${this.kind === 'schedule' ? '' : ', Shift+Enter for a new line'}</span>`}
      </div>
    </form>`;
  }

  private echo(): string {
    const c = parseClock(this.value);
    if (!c) return 'Type a time like 14:30.';
    const { at, tomorrow } = scheduleAt(c, this.timeZone, new Date(this.now));
    return describeSchedule(at, tomorrow, this.timeZone, new Date(this.now));
  }

  private onKeydown = (e: KeyboardEvent) => {
    e.stopPropagation(); // the page's single-key shortcuts never see keys typed here
    if (e.key === 'Escape') return void (e.preventDefault(), this.cancel());
    if (e.key === 'Enter' && !e.shiftKey && (e.target as HTMLElement).tagName === 'TEXTAREA') {
      e.preventDefault();
      this.onSubmit();
    }
  };

  private onSubmit = (e?: Event) => {
    e?.preventDefault();
    if (this.busy) return;
    if (this.kind === 'schedule') {
      const c = parseClock(this.value);
      if (!c) return void (this.error = 'Type the time to publish at, like 14:30.');
      const { at } = scheduleAt(c, this.timeZone, new Date());
      return this.fire('prompt-confirm', { publishAt: at.toISOString() });
    }
    const text = this.value.trim();
    if (!text) {
      this.error = this.kind === 'reject' ? 'Write a note: the author needs to know what to fix.' : 'Write the reason: readers see it in place of the entry.';
      this.field?.focus();
      return;
    }
    this.fire('prompt-confirm', { text });
  };

  private cancel = () => this.fire('prompt-cancel', {});

  private fire(name: string, detail: Record<string, unknown>) {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-flow-prompt': LdFlowPrompt;
  }
}
