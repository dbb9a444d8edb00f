import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { servicesContext, type Services } from '../services/services.js';
import { queueFeedFor, type QueueFeed } from '../services/queueFeed.js';
import { icons } from './icons.js';
import { controlStyles } from './shared-styles.js';

/**
 * "Approval queue (N)" in the app bar for chiefs and admins: the way in to the queue from every
 * page, its count live (the same feed the queue page uses) [QU4].
 */
@customElement('ld-queue-link')
export class LdQueueLink extends LitElement {
  @consume({ context: servicesContext, subscribe: true })
  @state()
  services?: Services;
  @state() private current = location.hash.startsWith('#/queue');
  private feed?: QueueFeed;
  private off?: () => void;

  static override styles = [
    controlStyles,
    css`
      :host { display: inline-flex; }
      a { display: inline-flex; align-items: center; gap: var(--s1); min-height: 32px; padding: 0 var(--s2); border-radius: var(--r1);
        color: var(--text); text-decoration: none; font-weight: 600; font-size: 14px; border: 1px solid var(--border); white-space: nowrap; }
      a:hover { background: var(--bg); }
      a[aria-current='page'] { border-color: var(--accent); color: var(--accent); }
      .count { font-variant-numeric: tabular-nums; min-width: 1.5em; text-align: center; padding: 0 4px; border-radius: 10px;
        background: var(--badge-submitted-bg); color: var(--badge-submitted); font-size: 12px; line-height: 18px; }
      /* Phones: the icon and the count (its name says the rest), so the bar keeps room for the account's name. */
      @media (max-width: 600px) {
        a { min-height: var(--target); min-width: var(--target); justify-content: center; padding: 0 var(--s1); }
        .long { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
      }
    `,
  ];

  override connectedCallback() {
    super.connectedCallback();
    addEventListener('hashchange', this.onHash);
  }

  override disconnectedCallback() {
    removeEventListener('hashchange', this.onHash);
    this.off?.();
    this.off = undefined;
    super.disconnectedCallback();
  }

  protected override willUpdate() {
    const s = this.services;
    const feed = s ? queueFeedFor(s.api, s.realtime) : undefined;
    if (feed !== this.feed) {
      this.off?.();
      this.feed = feed;
      this.off = feed?.subscribe(() => this.requestUpdate());
    }
  }

  override render() {
    const n = this.feed?.items ? this.feed.waiting.length : null;
    // The accessible name starts with the visible text, "Approval queue 3" (axe: label-content-name-mismatch).
    const name = n === null ? 'Approval queue' : `Approval queue ${n} waiting`;
    return html`<a href="#/queue" data-testid="queue-link" aria-label=${name} title=${name} aria-current=${this.current ? 'page' : 'false'}>${icons.queue()}<span
      class="long">Approval queue</span> ${n === null ? '' : html`<span class="count" data-testid="queue-count">${n}</span>`}</a>`;
  }

  private onHash = () => (this.current = location.hash.startsWith('#/queue'));
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-queue-link': LdQueueLink;
  }
}
