import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isPrintableKey, type FocusOptions, type TypedKey } from '../components/ld-entry-editor.js';
import { isTypingTarget } from '../pages/deskKeys.js';

/** What takes the held keys: a new entry's card, or its stand-in while the server is away (ld-pending-entry). */
export interface TypeAheadTarget {
  focusEditor(opts?: FocusOptions): Promise<boolean>;
  replayKeys(keys: readonly TypedKey[]): void;
}

/** How long keys are held for a new entry's editor before they act normally again. */
const TYPE_AHEAD_MAX_MS = 5000;

/**
 * Type-ahead: between N (or New entry) and the new editor taking focus, keys are text for that
 * entry, not desk shortcuts. `capturing` while a create is under way; the held keys wait until the
 * editor has focus (kept across a failed create, replayed when one succeeds).
 */
export class TypeAheadController implements ReactiveController {
  capturing = false;
  private keys: TypedKey[] = [];

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected() {
    addEventListener('keydown', this.onKeydown, true);
  }
  hostDisconnected() {
    removeEventListener('keydown', this.onKeydown, true);
  }

  /** True while keys are held (for the "kept" note after a failed create). */
  get holding(): boolean {
    return this.keys.length > 0;
  }

  /** Held keys as the text they would type (for the "kept" note). */
  get text(): string {
    return this.keys.map((k) => (k.key === 'Enter' ? ' ' : k.key === 'Backspace' ? '' : k.key)).join('');
  }

  /**
   * Focuses the new entry's editor, then types into it what was typed meanwhile. Focus and replay
   * run in one task, so no key can land in between. If the editor takes too long, keys stop being
   * held (they still go in when it does focus).
   */
  async handOver(card: TypeAheadTarget | null, opts: FocusOptions = {}) {
    if (!card) return void (this.capturing = false);
    const focused = card.focusEditor(opts).then(() => {
      const keys = this.keys.splice(0);
      if (keys.length) card.replayKeys(keys);
      this.capturing = false;
      return true;
    });
    const waited = await Promise.race([focused, new Promise<false>((r) => setTimeout(() => r(false), TYPE_AHEAD_MAX_MS))]);
    if (!waited) this.capturing = false;
  }

  /** Capture phase, before any shortcut: while a new entry is on its way, its keys are held for it. */
  private readonly onKeydown = (e: KeyboardEvent) => {
    if (!this.capturing || e.defaultPrevented || e.isComposing) return;
    const path = e.composedPath();
    if (isTypingTarget(path)) return; // the person clicked into a field: the keys are theirs
    const altGr = e.getModifierState('AltGraph');
    if ((e.ctrlKey || e.metaKey || e.altKey) && !altGr) return;
    const key = e.key;
    if (!isPrintableKey(key) && key !== 'Enter' && key !== 'Backspace') return;
    e.preventDefault(); // no shortcut, no button activation (Space/Enter on "New entry")
    if (key === 'Backspace' && this.keys.length && this.keys[this.keys.length - 1]!.key !== 'Enter') this.keys.pop();
    else this.keys.push({ key, shiftKey: e.shiftKey });
  };
}
