import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { EntryStatus } from '../../shared/workflow.js';
import { formatTimeOrDate } from '../format.js';
import { icons } from './icons.js';
import { controlStyles } from './shared-styles.js';

export const STATUS_LABEL: Record<EntryStatus, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  scheduled: 'Scheduled',
  published: 'Published',
  rejected: 'Rejected',
  retracted: 'Retracted',
};

/** Workflow state as icon plus word, never colour alone (ux.md §6); a scheduled entry adds its time. */
@customElement('ld-status-badge')
export class LdStatusBadge extends LitElement {
  @property({ reflect: true }) status: EntryStatus = 'draft';
  /** A scheduled entry's publish time (ISO), shown in `timeZone`. */
  @property({ attribute: false }) publishAt?: string;
  @property({ attribute: false }) timeZone = 'UTC';

  static override styles = [
    controlStyles,
    css`
      :host { display: inline-flex; }
      span[data-status] {
        display: inline-flex; align-items: center; gap: 2px; padding: 0 6px 0 4px; border-radius: var(--r1);
        font-size: 12px; font-weight: 600; line-height: 20px; white-space: nowrap;
        color: var(--badge-draft); background: var(--badge-draft-bg);
      }
      .icon { width: 16px; height: 16px; }
      time { font-variant-numeric: tabular-nums; }
      :host([status='submitted']) span[data-status] { color: var(--badge-submitted); background: var(--badge-submitted-bg); }
      :host([status='scheduled']) span[data-status] { color: var(--badge-scheduled); background: var(--badge-scheduled-bg); }
      :host([status='published']) span[data-status] { color: var(--badge-published); background: var(--badge-published-bg); }
      :host([status='rejected']) span[data-status] { color: var(--badge-rejected); background: var(--badge-rejected-bg); }
      :host([status='retracted']) span[data-status] { color: var(--badge-retracted); background: var(--badge-retracted-bg); }
    `,
  ];

  override render() {
    const status = this.status in STATUS_LABEL ? this.status : 'draft';
    const at = status === 'scheduled' && this.publishAt ? formatTimeOrDate(this.publishAt, this.timeZone) : '';
    return html`<span data-testid="status-badge" data-status=${status}>${icons[status]()}<span>${STATUS_LABEL[status]}${at
      ? html` <time datetime=${this.publishAt!} data-testid="status-badge-time">${at}</time>` : nothing}</span></span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-status-badge': LdStatusBadge;
  }
}
