import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { EntryStatus } from '../../shared/workflow.js';
import { icons } from './icons.js';
import { controlStyles } from './shared-styles.js';

const LABEL: Record<EntryStatus, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  approved: 'Approved',
  published: 'Published',
  rejected: 'Rejected',
};

/** Workflow state as icon plus word, never colour alone (ux.md §6). */
@customElement('ld-status-badge')
export class LdStatusBadge extends LitElement {
  @property({ reflect: true }) status: EntryStatus = 'draft';

  static override styles = [
    controlStyles,
    css`
      :host { display: inline-flex; }
      span {
        display: inline-flex; align-items: center; gap: 2px; padding: 0 6px 0 4px; border-radius: var(--r1);
        font-size: 12px; font-weight: 600; line-height: 20px; white-space: nowrap;
        color: var(--badge-draft); background: var(--badge-draft-bg);
      }
      .icon { width: 16px; height: 16px; }
      :host([status='submitted']) span { color: var(--badge-submitted); background: var(--badge-submitted-bg); }
      :host([status='approved']) span { color: var(--badge-approved); background: var(--badge-approved-bg); }
      :host([status='published']) span { color: var(--badge-published); background: var(--badge-published-bg); }
      :host([status='rejected']) span { color: var(--badge-rejected); background: var(--badge-rejected-bg); }
    `,
  ];

  override render() {
    const status = this.status in LABEL ? this.status : 'draft';
    return html`<span data-testid="status-badge" data-status=${status}>${icons[status]()}${LABEL[status]}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-status-badge': LdStatusBadge;
  }
}
