import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { PresenceUser } from '../controllers/presence.js';
import { initials } from '../format.js';
import { controlStyles } from './shared-styles.js';

/**
 * Facepile of who is in the file, ringed in each person's caret colour, dimmed when idle.
 * @fires presence-jump - detail `{ entryId }` when an avatar of someone editing is activated
 */
@customElement('ld-presence')
export class LdPresence extends LitElement {
  @property({ attribute: false }) users: PresenceUser[] = [];
  /** Avatars shown before "+N". */
  @property({ type: Number }) max = 5;
  /** Compact: used inside cards (smaller, no +N button). */
  @property({ type: Boolean, reflect: true }) compact = false;
  /** Words for the entry someone is in ("the 14:10 entry"). */
  @property({ attribute: false }) describeEntry: (entryId: string) => string = () => 'an entry';

  static override styles = [
    controlStyles,
    css`
      :host { display: inline-flex; }
      ul { display: flex; list-style: none; margin: 0; padding: 0; align-items: center; }
      li + li { margin-inline-start: -4px; }
      button.avatar {
        width: 32px; height: 32px; min-width: 32px; min-height: 32px; padding: 0; border-radius: 50%;
        border: 2px solid var(--ring); background: var(--surface); color: var(--text); font-size: 11px; font-weight: 700; letter-spacing: -0.02em;
        box-shadow: 0 0 0 2px var(--bg);
      }
      button.avatar.idle { opacity: 0.45; }
      button.avatar[aria-disabled='true'] { cursor: default; }
      :host([compact]) button.avatar { width: 24px; height: 24px; min-width: 24px; min-height: 24px; font-size: 10px; }
      .more { font-size: 12px; color: var(--text-muted); margin-inline-start: var(--s2); }
    `,
  ];

  override render() {
    if (this.users.length === 0) return nothing;
    const shown = this.users.slice(0, this.max);
    const more = this.users.length - shown.length;
    return html`<ul aria-label=${`${this.users.length} ${this.users.length === 1 ? 'person' : 'people'} here`}>
      ${repeat(shown, (u) => u.key, (u) => {
        const where = u.editing ? `, in ${this.describeEntry(u.editing)}` : ', on the desk';
        const label = `${u.name}${u.self ? ' (you)' : ''}${where}${u.idle ? ', idle' : ''}${u.editing && !this.compact ? '. Go to that entry' : ''}`;
        return html`<li><button class="avatar ${u.idle ? 'idle' : ''}" style=${`--ring:${u.color}`} title=${label}
          aria-label=${label} data-testid="presence-avatar" data-name=${u.name} data-entry=${u.editing ?? nothing}
          aria-disabled=${u.editing ? nothing : 'true'}
          @click=${() => u.editing && this.jump(u.editing)}><span dir="auto">${initials(u.name)}</span></button></li>`;
      })}
      ${more > 0 ? html`<li class="more" title=${this.users.slice(this.max).map((u) => u.name).join(', ')}>+${more}</li>` : nothing}
    </ul>`;
  }

  private jump(entryId: string) {
    this.dispatchEvent(new CustomEvent('presence-jump', { detail: { entryId }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ld-presence': LdPresence;
  }
}
