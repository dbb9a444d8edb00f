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
      /* The button is the target; the ringed face inside it is what shows. */
      button.avatar { width: 32px; height: 32px; min-width: 32px; min-height: 32px; padding: 0; border: 0; border-radius: 50%;
        background: transparent; color: var(--text); }
      button.avatar:hover { background: transparent; }
      .face { display: inline-flex; align-items: center; justify-content: center; flex: none; box-sizing: border-box;
        width: 32px; height: 32px; border-radius: 50%; border: 2px solid var(--ring); background: var(--surface); color: var(--text);
        font-size: 11px; font-weight: 700; letter-spacing: -0.02em; box-shadow: 0 0 0 2px var(--bg); }
      .avatar.idle .face { opacity: 0.45; }
      button.avatar[aria-disabled='true'] { cursor: default; }
      /* In a card: who is in this entry, to see, not to press (it would jump to this very entry). */
      :host([compact]) .face { width: 24px; height: 24px; font-size: 10px; }
      .more { font-size: 12px; color: var(--text-muted); margin-inline-start: var(--s2); }
      /* Touch: each avatar a full 44 px target, side by side rather than overlapping. */
      @media (pointer: coarse) {
        :host(:not([compact])) button.avatar { width: var(--target); height: var(--target); min-width: var(--target); min-height: var(--target); }
        :host(:not([compact])) li + li { margin-inline-start: 0; }
      }
    `,
  ];

  override render() {
    if (this.users.length === 0) return nothing;
    const shown = this.users.slice(0, this.max);
    const more = this.users.length - shown.length;
    return html`<ul aria-label=${`${this.users.length} ${this.users.length === 1 ? 'person' : 'people'} here`}>
      ${repeat(shown, (u) => u.key, (u) => {
        const where = u.editing ? `, in ${this.describeEntry(u.editing)}` : ', on the desk';
        const shown = initials(u.name);
        // The name starts with the initials the avatar shows (WCAG 2.5.3): "AS, Aigerim Sadykova, in the 14:10 entry".
        const label = `${shown}, ${u.name}${u.self ? ' (you)' : ''}${where}${u.idle ? ', idle' : ''}${u.editing && !this.compact ? '. Go to that entry' : ''}`;
        const face = html`<span class="face" dir="auto">${shown}</span>`;
        if (this.compact) {
          return html`<li><span class="avatar ${u.idle ? 'idle' : ''}" role="img" style=${`--ring:${u.color}`} title=${label}
            aria-label=${label} data-testid="presence-avatar" data-name=${u.name} data-entry=${u.editing ?? nothing}>${face}</span></li>`;
        }
        return html`<li><button class="avatar ${u.idle ? 'idle' : ''}" style=${`--ring:${u.color}`} title=${label}
          aria-label=${label} data-testid="presence-avatar" data-name=${u.name} data-entry=${u.editing ?? nothing}
          aria-disabled=${u.editing ? nothing : 'true'}
          @click=${() => u.editing && this.jump(u.editing)}>${face}</button></li>`;
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
