import type { ReactiveControllerHost } from 'lit';

/** The outcome of a copy: copied, or blocked (then the text is shown to copy by hand). */
export interface CopyState {
  ok: boolean;
  text: string;
}

/**
 * Copies text to the clipboard for the read-only banner. Where the clipboard is missing or
 * blocked (no secure context, permission denied) the host renders `state.text` in a fallback
 * field, which gets focus so Ctrl+C is one step away.
 */
export class ClipboardCopy {
  state: CopyState | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** The fallback field, once the host has rendered it. */
    private readonly fallback: () => HTMLTextAreaElement | null | undefined,
  ) {}

  async copy(text: string) {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      this.set({ ok: true, text });
    } catch {
      this.set({ ok: false, text });
      await this.host.updateComplete;
      this.fallback()?.focus();
    }
  }

  private set(state: CopyState) {
    this.state = state;
    this.host.requestUpdate();
  }
}
