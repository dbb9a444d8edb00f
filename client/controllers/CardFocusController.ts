import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LdEntryCard } from '../components/ld-entry-card.js';

/** Which entry to focus after the next render, and whether its editor or the card itself. */
interface FocusTarget {
  entryId: string;
  editor: boolean;
}

/**
 * Keeps focus on the same entry across renders. Keyed repeat moves cards when someone reorders,
 * and a moved node loses focus; so before each update the focused entry is remembered by id, and
 * after it focus goes back to that entry's card (or its editor).
 */
export class CardFocusController implements ReactiveController {
  private target?: FocusTarget;

  constructor(
    host: ReactiveControllerHost,
    private readonly root: () => ShadowRoot | null,
    private readonly card: (entryId: string) => LdEntryCard | null,
  ) {
    host.addController(this);
  }

  /** Focus this card after the next render, unless a focused entry was already remembered. */
  keep(entryId: string) {
    this.target ??= { entryId, editor: false };
  }

  hostUpdate() {
    if (this.target) return;
    const active = this.root()?.activeElement as LdEntryCard | null;
    const id = active?.dataset?.entryId;
    if (id) this.target = { entryId: id, editor: !!active.shadowRoot?.activeElement?.closest('ld-entry-editor') };
  }

  hostUpdated() {
    const f = this.target;
    this.target = undefined;
    if (!f) return;
    const card = this.card(f.entryId);
    if (!card || this.root()?.activeElement === card) return;
    if (f.editor) card.focusEditor({ scroll: false }); // someone else's reorder: the viewport stays put
    else card.focus({ preventScroll: true });
  }
}
