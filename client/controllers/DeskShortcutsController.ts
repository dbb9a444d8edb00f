import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LdEntryCard } from '../components/ld-entry-card.js';
import { cardFromEvent, isTypingTarget } from '../pages/deskKeys.js';

/** What the desk's keys act on; the page answers and acts (the sheet of keys lives in deskHeader.ts). */
export interface DeskShortcutActions {
  /** False until the live file has loaded: no desk, no shortcuts. */
  ready(): boolean;
  /** The desk doc takes no writes (viewer, or the server said stay away): no undo/redo of moves. */
  deskReadOnly(): boolean;
  /** Also true once the session ended: no pins, key marks or moves. */
  readOnly(): boolean;
  isExpanded(entryId: string): boolean;
  /** Every card on the desk, top to bottom. */
  cards(): LdEntryCard[];
  createEntry(): void;
  toggleHelp(): void;
  focusSearch(): void;
  undoMove(redo: boolean): void;
  move(entryId: string, to: 'up' | 'down' | 'top'): void;
  collapse(entryId: string): void;
  togglePin(entryId: string): void;
  toggleKey(entryId: string): void;
  /** Ctrl/Cmd+Enter on a card: submit it (when the viewer may). */
  submit(card: LdEntryCard): void;
  /** H on a card: its history. */
  history(card: LdEntryCard): void;
}

/**
 * The desk's keyboard shortcuts (N, ?, /, Ctrl+Z, arrows, Alt+arrows, Enter, Esc, P, K) on a window
 * listener. Keys typed in an editor or field are left alone; the type-ahead for a new entry takes
 * its keys earlier, in the capture phase (TypeAheadController).
 */
export class DeskShortcutsController implements ReactiveController {
  constructor(
    host: ReactiveControllerHost,
    private readonly actions: DeskShortcutActions,
  ) {
    host.addController(this);
  }

  hostConnected() {
    addEventListener('keydown', this.onKeydown);
  }
  hostDisconnected() {
    removeEventListener('keydown', this.onKeydown);
  }

  private readonly onKeydown = (e: KeyboardEvent) => {
    const a = this.actions;
    if (e.defaultPrevented || !a.ready()) return;
    const path = e.composedPath();
    const card = cardFromEvent(path);
    if (isTypingTarget(path)) return; // the editor owns its keys (Esc → back to the card, Mod-z → its own undo)
    const plain = !e.altKey && !e.ctrlKey && !e.metaKey;
    const key = e.key;
    if (plain && (key === 'n' || key === 'N')) return void (e.preventDefault(), a.createEntry());
    if (plain && key === '?') return void a.toggleHelp();
    if (plain && key === '/') return void (e.preventDefault(), a.focusSearch());
    if ((e.ctrlKey || e.metaKey) && !e.altKey && key.toLowerCase() === 'z' && !a.deskReadOnly()) {
      e.preventDefault();
      return void a.undoMove(e.shiftKey);
    }
    const id = card?.dataset.entryId;
    if (!id || !card) return;
    if ((e.ctrlKey || e.metaKey) && !e.altKey && key === 'Enter') return void (e.preventDefault(), a.submit(card));
    if (e.altKey && !e.ctrlKey && !e.metaKey && !a.readOnly()) {
      const to = key === 'ArrowUp' ? 'up' : key === 'ArrowDown' ? 'down' : key === 'Home' ? 'top' : null;
      if (to) return void (e.preventDefault(), a.move(id, to));
    }
    if (plain) this.onCardKey(e, card, id, path);
  };

  /** Plain keys on a focused card: move focus, open the editor, close it, pin, mark key event. */
  private onCardKey(e: KeyboardEvent, card: LdEntryCard, id: string, path: EventTarget[]) {
    const a = this.actions;
    const key = e.key;
    if (key === 'ArrowDown' || key === 'ArrowUp') {
      const cards = a.cards();
      const next = cards[cards.indexOf(card) + (key === 'ArrowDown' ? 1 : -1)];
      if (next) {
        e.preventDefault();
        next.focus();
      }
    } else if (key === 'Enter' && path[0] === card) {
      e.preventDefault();
      card.focusEditor();
    } else if (key === 'Escape' && a.isExpanded(id)) {
      a.collapse(id);
    } else if (key === 'h' || key === 'H') {
      a.history(card);
    } else if (a.readOnly()) {
      return;
    } else if (key === 'p' || key === 'P') {
      a.togglePin(id);
    } else if (key === 'k' || key === 'K') {
      a.toggleKey(id);
    }
  }
}
