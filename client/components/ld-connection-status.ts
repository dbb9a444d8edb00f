import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ConnectionSummary } from '../controllers/CollabHub.js';
import { icons } from './icons.js';
import { controlStyles } from './shared-styles.js';

/**
 * Live / Reconnecting, changes kept on this device / Offline, N changes not sent.
 * A polite status region: screen readers hear changes without losing their place.
 */
@customElement('ld-connection-status')
export class LdConnectionStatus extends LitElement {
  @property({ attribute: false }) summary: ConnectionSummary = { state: 'live', unsent: 0, readOnly: false, stayAway: null };

  static override styles = [
    controlStyles,
    css`
      :host { display: inline-flex; }
      div { display: inline-flex; align-items: center; gap: var(--s1); font-size: 14px; padding: 2px var(--s2);
        border-radius: var(--r1); white-space: nowrap; min-height: 28px; }
      [data-state='live'] { color: var(--text-muted); }
      [data-state='live'] .icon { color: var(--live); width: 14px; }
      [data-state='reconnecting'] { color: var(--warn); background: var(--warn-bg); }
      [data-state='offline'] { color: var(--live); background: var(--danger-bg); font-weight: 600; }
      [data-state='stopped'] { color: var(--warn); background: var(--warn-bg); font-weight: 600; }
      @media (max-width: 600px) { .long { display: none; } div { white-space: normal; } }
    `,
  ];

  override render() {
    const { state, unsent } = this.summary;
    const changes = unsent > 0 ? `, ${unsent} ${unsent === 1 ? 'change' : 'changes'} not sent` : '';
    // On a phone the count stays and "kept on this device" goes (the title and screen readers keep it).
    const [icon, text, kept] =
      state === 'live'
        ? [icons.live(), 'Live', ''] // a count here: e.g. a change the server refused (too large)
        : state === 'stopped'
          ? [icons.lock(), 'Not syncing', unsent > 0 ? ', kept on this device' : '']
        : state === 'reconnecting'
          ? [icons.sync(), 'Reconnecting', unsent > 0 ? ', kept on this device' : ', changes kept on this device']
          : [icons.cloudOff(), 'Offline', unsent > 0 ? '' : ', changes kept on this device'];
    return html`<div role="status" data-testid="connection-status" data-state=${state} data-unsent=${unsent}
      title=${text + changes + kept}>${icon}<span>${text}<span>${changes}</span><span class="long">${kept}</span></span></div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-connection-status': LdConnectionStatus;
  }
}
