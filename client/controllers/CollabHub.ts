import { createContext } from '@lit/context';
import { CollabDoc, type CollabDocOptions, type CollabDocState } from './CollabDoc.js';
import { CollabClose, TOO_LARGE_CODES } from '../../shared/collab/closeCodes.js';
import { docToPlainText } from '../../shared/editor/plainText.js';
import { ENTRY_FRAGMENT } from '../../shared/editor/schema.js';

/** `stopped`: the server told us to stay away (access removed, session ended); nothing reconnects. */
export type ConnectionState = 'live' | 'reconnecting' | 'offline' | 'stopped';
export interface ConnectionSummary {
  state: ConnectionState;
  unsent: number;
  readOnly: boolean;
  stayAway: { code: number; reason: string } | null;
}

/** Stay-away closes that concern one document, not the person: the rest of the desk syncs on. */
const ONE_DOC_CODES: ReadonlySet<number> = new Set([CollabClose.DocumentGone.code, ...TOO_LARGE_CODES]);

/** After this long without a connection "Reconnecting" turns into "Offline". */
const OFFLINE_AFTER_MS = 6000;

/**
 * The collab documents one live-file page has opened. Entry docs stay open until the page goes,
 * so changes made in a card that was collapsed offline still reach the server on reconnect.
 */
export class CollabHub {
  private readonly docs = new Map<string, CollabDoc>();
  private readonly listeners = new Set<() => void>();
  private readonly unsubs: Array<() => void> = [];
  private downSince: number | null = null;
  private timer?: ReturnType<typeof setTimeout>;
  private halted: { code: number; reason: string } | null = null;

  constructor(private readonly base: Omit<CollabDocOptions, 'docName'>) {
    const onNet = () => this.emit();
    addEventListener('online', onNet);
    addEventListener('offline', onNet);
    this.unsubs.push(() => removeEventListener('online', onNet), () => removeEventListener('offline', onNet));
  }

  open(docName: string, opts: Pick<CollabDocOptions, 'burstMs'> = {}): CollabDoc {
    let d = this.docs.get(docName);
    if (!d) {
      d = new CollabDoc({ ...this.base, ...opts, docName });
      this.docs.set(docName, d);
      if (this.halted) d.halt();
      this.unsubs.push(d.subscribe(() => this.emit()));
    }
    return d;
  }

  /** Opens the docs an earlier visit left unsent changes in, so they reach the server unasked. */
  resumeUnsent(docNames: string[]): void {
    for (const name of docNames) if (!this.docs.has(name) && CollabDoc.hasUnsent(this.base.account.id, name)) this.open(name);
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  summary(): ConnectionSummary {
    // A deleted entry (4404) or one refused for its size (4414) closes only its own document; the
    // desk carries on (a refused document's unsent changes still count: they are on this device only).
    const gone = (s: CollabDocState) => s.stayAway !== null && ONE_DOC_CODES.has(s.stayAway.code);
    const all = [...this.docs.values()].map((d) => d.state);
    const unsent = all.reduce((n, s) => n + s.unsent, 0);
    const stayAway = all.find((s) => s.stayAway && !gone(s))?.stayAway ?? null;
    const readOnly = all.some((s) => s.readOnly && !gone(s));
    if (this.halted || stayAway) return { state: 'stopped', unsent, readOnly: true, stayAway: stayAway ?? this.halted };
    const live = all.length > 0 && all.every((s) => s.connected || gone(s));
    if (live || all.length === 0) return { state: 'live', unsent, readOnly, stayAway };
    const offline = !navigator.onLine || (this.downSince !== null && Date.now() - this.downSince >= OFFLINE_AFTER_MS);
    return { state: offline ? 'offline' : 'reconnecting', unsent, readOnly, stayAway };
  }

  /** The session is over: every doc stops (no reconnect loop) and keeps its text for reading. */
  haltAll(reason: string): void {
    if (this.halted) return;
    this.halted = { code: 4401, reason };
    for (const d of this.docs.values()) d.halt();
    this.emit();
  }

  /** The state of a document this page has opened, or null. */
  stateOf(docName: string): CollabDocState | null {
    return this.docs.get(docName)?.state ?? null;
  }

  /** The local text of an entry doc this page has opened (it may hold changes the server lacks). */
  textOf(docName: string): string | null {
    const d = this.docs.get(docName);
    return d && d.state.loaded ? docToPlainText(d.doc.getXmlFragment(ENTRY_FRAGMENT)) : null;
  }

  destroy(): void {
    clearTimeout(this.timer);
    for (const u of this.unsubs) u();
    for (const d of this.docs.values()) d.destroy();
    this.docs.clear();
    this.listeners.clear();
  }

  private emit() {
    const down = !this.halted && [...this.docs.values()].some((d) => !d.state.connected && !d.state.stayAway);
    if (down && this.downSince === null) {
      this.downSince = Date.now();
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.emit(), OFFLINE_AFTER_MS + 50);
    } else if (!down) {
      this.downSince = null;
      clearTimeout(this.timer);
    }
    for (const fn of this.listeners) fn();
  }
}

/** Provided by ld-live-file-page so entry cards can open their documents. */
export const collabHubContext = createContext<CollabHub | undefined>(Symbol('ld-collab-hub'));
