import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { EntryView } from '../../shared/schemas/entry.js';
import type { FileFacts } from '../../shared/permissions.js';
import type { WorkflowAction } from '../../shared/workflow.js';
import { servicesContext, type Services } from '../services/services.js';
import { WorkflowController } from '../controllers/WorkflowController.js';
import { ACTION_LABEL, actorOf, flowButtons, hasPendingCorrection, type FlowButton } from '../workflow/flowActions.js';
import { formatIn } from '../workflow/schedule.js';
import { formatTimeOrDate, zoneLabel } from '../format.js';
import { icons } from './icons.js';
import { controlStyles } from './shared-styles.js';
import { isTouchScreen, withKeyHint } from './touch.js';
import type { LdFlowPrompt, PromptKind } from './ld-flow-prompt.js';
import './ld-flow-prompt.js';

const ICON: Record<WorkflowAction, () => unknown> = {
  submit: icons.send, publish: icons.published, schedule: icons.scheduled, reject: icons.rejected, retract: icons.retracted,
};

/**
 * The workflow part of a desk card [QU7–QU9]: what state the entry is in beyond its badge (the
 * chief's note, the retraction's reason, a correction waiting), and the steps this viewer may take
 * (the shared permission table decides, four-eyes shown disabled with its reason). Steps carry the
 * version the card shows; a lost race shows who won and hands the fresh entry up.
 * @fires entry-workflow - detail: the EntryView after a step, or as it is now after a conflict
 * @fires flow-edit - "Edit and resubmit": the card opens its editor
 */
@customElement('ld-entry-flow')
export class LdEntryFlow extends LitElement {
  @property({ attribute: false }) entry?: EntryView;
  @property({ attribute: false }) fileFacts: FileFacts = { members: null, fourEyes: false };
  @property({ attribute: false }) timeZone = 'UTC';
  /** Why workflow steps are off right now ('' when they are on): offline, read-only, session ended. */
  @property() blocked = '';
  @property({ type: Boolean, reflect: true }) expanded = false;
  /** A desk card (not a correspondent's page): on a phone a folded card keeps its Submit behind the pencil. */
  @property({ type: Boolean, reflect: true }) desk = false;
  /** The viewer may write the text (for "Edit and resubmit"). */
  @property({ type: Boolean, attribute: 'can-write' }) canWrite = false;

  @consume({ context: servicesContext, subscribe: true })
  @state()
  services?: Services;

  @state() private prompt: PromptKind | null = null;
  @query('ld-flow-prompt') private promptEl?: LdFlowPrompt;

  private readonly flow = new WorkflowController(this, {
    api: () => this.services?.api,
    applied: (entry) => {
      this.prompt = null;
      this.fire('entry-workflow', entry);
    },
    refreshed: (entry) => {
      this.prompt = null;
      if (entry) this.fire('entry-workflow', entry);
    },
  });

  static override styles = [
    controlStyles,
    css`
      :host { display: block; }
      .flow { display: grid; gap: var(--s2); margin-top: var(--s2); }
      .line { margin: 0; font-size: 14px; display: flex; gap: var(--s2); align-items: flex-start; overflow-wrap: anywhere; }
      .line .icon { width: 18px; height: 18px; margin-top: 2px; }
      .sent-back { padding: var(--s2) var(--s3); border-radius: var(--r1); background: var(--badge-rejected-bg); color: var(--badge-rejected);
        border-inline-start: 4px solid currentColor; font-size: 15px; }
      .sent-back q { color: var(--text); quotes: '“' '”'; white-space: pre-wrap; }
      .retracted { padding: var(--s2) var(--s3); border-radius: var(--r1); background: var(--badge-retracted-bg); color: var(--badge-retracted); }
      .retracted q { color: var(--text); white-space: pre-wrap; }
      .correction { padding: var(--s1) var(--s2); border-radius: var(--r1); background: var(--badge-corrected-bg); color: var(--badge-corrected); }
      .muted { color: var(--text-muted); }
      .sub { display: block; font-size: 12px; opacity: 0.9; margin-top: 2px; }
      .buttons { display: flex; flex-wrap: wrap; gap: var(--s2); align-items: center; justify-content: flex-end; }
      .buttons .why { flex: 1 1 14rem; font-size: 12px; color: var(--text-muted); text-align: start; }
      .buttons button .hint { font-size: 12px; opacity: 0.85; font-weight: 400; }
      .refusal { margin: 0; padding: var(--s2) var(--s3); border-radius: var(--r1); background: var(--danger-bg); color: var(--text);
        border: 1px solid var(--live); font-size: 14px; display: flex; flex-wrap: wrap; gap: var(--s2); align-items: center; }
      .refusal span { flex: 1 1 14rem; }
      .done { font-size: 12px; color: var(--text-muted); min-height: 0; margin: 0; }
      .done:empty { display: none; }
      /* Phones: a folded desk card keeps only its state lines; Submit is one tap away in the open card. */
      @media (max-width: 600px) {
        :host([desk]:not([expanded])) .buttons.submit-only { display: none; }
        .buttons { justify-content: stretch; }
        .buttons button { flex: 1 1 auto; }
      }
    `,
  ];

  /** Ctrl/Cmd+Enter on the card or in its editor: submit, when this viewer may. */
  submit(): boolean {
    const b = this.buttons().find((x) => x.action === 'submit');
    if (!b) return false;
    this.act('submit');
    return true;
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    // A step someone else took (a fresh entry) closes a prompt for a step that no longer applies.
    if (changed.has('entry') && this.prompt && !this.buttons().some((b) => b.action === this.prompt && b.enabled)) this.prompt = null;
  }

  override render() {
    const e = this.entry;
    if (!e || !this.services) return nothing;
    const buttons = this.buttons();
    const lines = this.stateLines(e);
    const r = this.flow.refusal;
    const resubmit = e.status === 'rejected' && this.canWrite;
    if (!lines.length && !buttons.length && !r && !this.flow.done && !resubmit) return nothing;
    const submitOnly = buttons.length > 0 && buttons.every((b) => b.action === 'submit') && !resubmit;
    const disabledWhy = buttons.find((b) => !b.enabled)?.reason;
    return html`<div class="flow" data-testid="entry-flow">
      ${lines}
      ${r ? html`<p class="refusal" role="alert" data-testid="flow-refusal" data-conflict=${String(r.conflict)}>${icons.warn()}<span>${r.text}</span>
        ${r.retry ? html`<button @click=${() => void this.flow.retry()} ?disabled=${!!this.flow.busy || !!this.blocked} data-testid="flow-retry">Try again</button>` : nothing}
        <button class="ghost" @click=${() => this.flow.clear()} data-testid="flow-refusal-dismiss">Dismiss</button></p>` : nothing}
      ${this.prompt ? html`<ld-flow-prompt .kind=${this.prompt} .timeZone=${this.timeZone} ?busy=${!!this.flow.busy} recipient=${e.authorName}
          @prompt-confirm=${this.onConfirm} @prompt-cancel=${this.onCancel}></ld-flow-prompt>` : nothing}
      ${buttons.length || resubmit ? html`<div class="buttons ${submitOnly ? 'submit-only' : ''}">
        ${this.blocked && this.expanded ? html`<span class="why" data-testid="flow-blocked">${this.blocked}</span>`
          : disabledWhy ? html`<span class="why" id="why" data-testid="flow-why">${disabledWhy}</span>` : nothing}
        ${resubmit ? html`<button @click=${(ev: Event) => (ev.stopPropagation(), this.fire('flow-edit', null))}
          data-testid="flow-edit-resubmit">${icons.edit()}Edit and resubmit</button>` : nothing}
        ${buttons.map((b) => this.button(b))}
      </div>` : nothing}
      <p class="done" role="status" data-testid="flow-done">${this.flow.done}</p>
    </div>`;
  }

  private button(b: FlowButton) {
    const primary = b.action === 'submit' || b.action === 'publish';
    const label = b.action === 'publish' && this.entry?.status === 'scheduled' ? 'Publish now' : ACTION_LABEL[b.action];
    const key = b.action === 'submit' ? 'Ctrl+Enter' : '';
    const title = b.enabled ? (this.blocked || (key ? withKeyHint(ACTION_LABEL[b.action], key) : ACTION_LABEL[b.action])) : b.reason;
    return html`<button class=${primary ? 'primary' : ''} data-testid=${`flow-${b.action}`} ?disabled=${!b.enabled || !!this.blocked || !!this.flow.busy}
      aria-describedby=${!b.enabled ? 'why' : nothing} aria-keyshortcuts=${key ? 'Control+Enter Meta+Enter' : nothing} title=${title === ACTION_LABEL[b.action] ? nothing : (title ?? nothing)}
      aria-expanded=${b.action === 'reject' || b.action === 'schedule' || b.action === 'retract' ? String(this.prompt === b.action) : nothing}
      @click=${(ev: Event) => (ev.stopPropagation(), this.act(b.action))}>${ICON[b.action]()}${this.flow.busy === b.action ? `${label}…` : label}${key && !isTouchScreen() ? html` <kbd>${key}</kbd>` : nothing}</button>`;
  }

  /** What the badge cannot say: the chief's note, the reason of a retraction, a correction waiting, a schedule. */
  private stateLines(e: EntryView) {
    const out = [];
    const by = e.lastAction?.actorName;
    if (e.status === 'rejected') {
      out.push(html`<div class="line sent-back" data-testid="entry-sent-back">${icons.rejected()}<span>Sent back by <bdi>${by ?? 'a chief'}</bdi>${e.note
        ? html`: <q dir="auto" data-testid="entry-note">${e.note}</q>` : nothing}</span></div>`);
    } else if (e.status === 'retracted') {
      const at = e.retraction?.at ?? e.lastAction?.at;
      out.push(html`<p class="line retracted" data-testid="entry-retracted">${icons.retracted()}<span>Retracted${by ? html` by <bdi>${by}</bdi>` : nothing}${at
        ? html` at <time datetime=${at}>${formatTimeOrDate(at, this.timeZone)}</time>` : nothing}${e.retraction
        ? html`: <q dir="auto" data-testid="entry-retraction-reason">${e.retraction.reason}</q>` : nothing}<span class="sub">Read-only: readers see this note in the entry's place.</span></span></p>`);
    } else if (e.status === 'scheduled' && e.publishAt) {
      out.push(html`<p class="line muted" data-testid="entry-scheduled">${icons.scheduled()}<span>Publishes at <time datetime=${e.publishAt}>${formatTimeOrDate(e.publishAt, this.timeZone)}</time>
        ${zoneLabel(this.timeZone)}, ${formatIn(Date.parse(e.publishAt) - Date.now())}${by ? html`, scheduled by <bdi>${by}</bdi>` : nothing}.</span></p>`);
    } else if (e.status === 'submitted' && e.publishedRevision !== undefined) {
      out.push(html`<p class="line correction" data-testid="entry-correction-waiting">${icons.warn()}<span>A correction waits for approval: readers see the published wording until then.</span></p>`);
    } else if (e.status === 'published' && hasPendingCorrection(e)) {
      out.push(html`<p class="line correction" data-testid="entry-correction-unsent">${icons.warn()}<span>Edited since it was published: submit the correction to have it approved.</span></p>`);
    }
    return out;
  }

  private buttons(): FlowButton[] {
    const e = this.entry;
    const account = this.services?.account;
    if (!e || !account) return [];
    const all = flowButtons(actorOf(account), this.fileFacts, e);
    // Retract is rare and final: only in the open card.
    return this.expanded ? all : all.filter((b) => b.action !== 'retract');
  }

  private act(action: WorkflowAction) {
    const e = this.entry;
    if (!e || this.blocked || this.flow.busy) return;
    if (action === 'reject' || action === 'schedule' || action === 'retract') {
      this.prompt = this.prompt === action ? null : action;
      if (this.prompt) void this.updateComplete.then(() => this.promptEl?.focus());
      return;
    }
    if (action === 'publish') void this.flow.run(e.id, 'publish', { version: e.version, revision: e.revision });
    else void this.flow.run(e.id, 'submit', { version: e.version });
  }

  private onConfirm = (ev: CustomEvent<{ text?: string; publishAt?: string }>) => {
    const e = this.entry;
    if (!e || !this.prompt) return;
    const kind = this.prompt;
    if (kind === 'reject') void this.flow.run(e.id, 'reject', { version: e.version, note: ev.detail.text! });
    else if (kind === 'retract') void this.flow.run(e.id, 'retract', { version: e.version, reason: ev.detail.text! });
    else void this.flow.run(e.id, 'schedule', { version: e.version, revision: e.revision, publishAt: ev.detail.publishAt! });
  };

  private onCancel = () => {
    const kind = this.prompt;
    this.prompt = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>(`[data-testid="flow-${kind}"]`)?.focus());
  };

  private fire(name: string, detail: unknown) {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-entry-flow': LdEntryFlow;
  }
}
