import type { ReactiveController, ReactiveControllerHost } from 'lit';
import * as Y from 'yjs';
import { fileDocName } from '../../shared/collab/docName.js';
import type { Services } from '../services/services.js';
import { CollabHub, type ConnectionSummary } from './CollabHub.js';
import type { CollabDoc, CollabDocState } from './CollabDoc.js';
import { deskEntries, moveEntry, readDeskOrder, setKeyEvent, setPinned, type DeskItem, type DeskMove } from '../../shared/collab/deskDoc.js';
import { readPresence, type PresenceUser } from './presence.js';
import { isDeskRole } from '../../shared/roles.js';

/** Marks transactions made by this tab, so undo only reverts our own moves. */
const LOCAL_ORIGIN = { source: 'desk-local' };
const ACTIVITY_MS = 30_000;

/**
 * Opens the desk doc `file:<id>` (WebsocketProvider + IndexedDB) and keeps the host up to date
 * with the order, pins, key marks, presence and connection. All desk-doc writes go through here.
 * Only for desk roles: a correspondent may not open the desk document (it names every entry and
 * who is in which), so her page gets the hub for her own entries and no desk doc at all.
 */
export class DeskDocController implements ReactiveController {
  hub?: CollabHub;
  items: DeskItem[] = [];
  presence: PresenceUser[] = [];
  connection: ConnectionSummary = { state: 'live', unsent: 0, readOnly: false, stayAway: null };
  /** A desk role: the page has the desk doc. Otherwise order, pins, key marks and presence are not hers. */
  atDesk = true;
  private desk?: CollabDoc;
  private undo?: Y.UndoManager;
  private cleanup: Array<() => void> = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly services: () => Services | undefined,
    private readonly liveFileId: () => string | undefined,
  ) {
    host.addController(this);
  }

  /** The services can arrive after the page connected (a reload shows the last-known desk first): connect then. */
  hostUpdate() {
    if (!this.hub && this.services() && this.liveFileId()) this.hostConnected();
  }

  hostConnected() {
    const services = this.services();
    const id = this.liveFileId();
    if (!services || !id) return;
    const hub = new CollabHub({ url: services.collabUrl, account: services.account, api: services.api, onSessionLost: (r) => services.sessionLost(r) });
    this.hub = hub;
    this.atDesk = isDeskRole(services.account.role);
    if (!this.atDesk) return this.watchOwnEntries(hub);
    // Each desk action (pin, key, move) is one change, however quickly they follow each other.
    const desk = hub.open(fileDocName(id), { burstMs: 0 });
    this.desk = desk;
    const entries = deskEntries(desk.doc);
    this.undo = new Y.UndoManager(entries, { trackedOrigins: new Set([LOCAL_ORIGIN]), captureTimeout: 0 });
    const onOrder = () => {
      this.items = readDeskOrder(desk.doc);
      this.host.requestUpdate();
    };
    entries.observeDeep(onOrder);
    const aw = desk.provider.awareness;
    const onAwareness = () => {
      this.presence = readPresence(aw);
      this.host.requestUpdate();
    };
    aw.on('change', onAwareness);
    aw.setLocalStateField('activeAt', Date.now());
    const markActive = () => {
      const last = (aw.getLocalState()?.activeAt as number | undefined) ?? 0;
      if (Date.now() - last > ACTIVITY_MS) aw.setLocalStateField('activeAt', Date.now());
    };
    addEventListener('keydown', markActive, true);
    addEventListener('pointerdown', markActive, true);
    const tick = setInterval(onAwareness, ACTIVITY_MS);
    const offHub = hub.subscribe(() => {
      this.connection = hub.summary();
      this.host.requestUpdate();
    });
    this.cleanup = [
      () => entries.unobserveDeep(onOrder),
      () => aw.off('change', onAwareness),
      () => removeEventListener('keydown', markActive, true),
      () => removeEventListener('pointerdown', markActive, true),
      () => clearInterval(tick),
      offHub,
    ];
    onOrder();
    onAwareness();
    this.connection = hub.summary();
  }

  /**
   * Without the desk doc (a correspondent) the page follows her entry documents only. An entry of
   * hers that is with the desk (submitted, published) is read-only for her by rule: that turns its
   * card read-only, not her page; only a stay-away (session or access ended) stops the page.
   */
  private watchOwnEntries(hub: CollabHub) {
    const onHub = () => {
      const s = hub.summary();
      // No entry open yet, so no document to judge by: the browser's own word is all there is.
      const state = s.state === 'live' && !navigator.onLine ? 'offline' : s.state;
      this.connection = { ...s, state, readOnly: s.state === 'stopped' };
      this.host.requestUpdate();
    };
    this.cleanup = [hub.subscribe(onHub)];
    onHub();
  }

  /** Pins, key marks and moves are off: no desk doc (a correspondent), or the server refused it for its size. */
  get deskReadOnly(): boolean {
    return !this.atDesk || this.deskTooLarge;
  }

  /** The desk document's own state (its size; whether the server refused it for its size). */
  get deskState(): CollabDocState | undefined {
    return this.desk?.state;
  }

  /** The server refused the desk document for its size: order, pins and key marks stay as they are here. */
  get deskTooLarge(): boolean {
    return !!this.desk?.state.tooLarge;
  }

  hostDisconnected() {
    for (const c of this.cleanup) c();
    this.cleanup = [];
    this.undo?.destroy();
    this.hub?.destroy();
    this.hub = this.desk = this.undo = undefined;
  }

  /** Moves an entry within its band (pinned or not), as one undoable local change. */
  move(entryId: string, to: DeskMove): boolean {
    if (!this.desk || this.deskTooLarge || !this.items.some((i) => i.entryId === entryId)) return false;
    moveEntry(this.desk.doc, entryId, to, LOCAL_ORIGIN);
    return true;
  }

  togglePinned(entryId: string): boolean | null {
    const me = this.items.find((i) => i.entryId === entryId);
    if (!this.desk || this.deskTooLarge || !me) return null;
    setPinned(this.desk.doc, entryId, !me.pinned, LOCAL_ORIGIN);
    return !me.pinned;
  }

  toggleKeyEvent(entryId: string): boolean | null {
    const me = this.items.find((i) => i.entryId === entryId);
    if (!this.desk || this.deskTooLarge || !me) return null;
    setKeyEvent(this.desk.doc, entryId, !me.keyEvent, LOCAL_ORIGIN);
    return !me.keyEvent;
  }

  undoMove(): boolean {
    if (this.deskTooLarge) return false;
    return (this.undo?.undo() ?? null) !== null;
  }
  redoMove(): boolean {
    if (this.deskTooLarge) return false;
    return (this.undo?.redo() ?? null) !== null;
  }

  /** Tells everyone in the file which entry this tab is in (focused or expanded), or none. */
  setEditing(entryId: string | null) {
    const aw = this.desk?.provider.awareness;
    if (!aw || (aw.getLocalState()?.entryId ?? null) === entryId) return;
    aw.setLocalStateField('entryId', entryId);
  }
}
