import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type * as Y from 'yjs';
import { entryDocName } from '../../shared/collab/docName.js';
import { ENTRY_FRAGMENT } from '../../shared/editor/schema.js';
import type { CollabHub } from './CollabHub.js';
import type { CollabDoc, CollabDocState } from './CollabDoc.js';

/**
 * Opens `entry:<id>` through the page's CollabHub while the host wants it (expanded card).
 * The hub keeps it open afterwards so offline edits are still sent on reconnect.
 */
export class EntryDocController implements ReactiveController {
  fragment?: Y.XmlFragment;
  awareness?: CollabDoc['provider']['awareness'];
  state?: CollabDocState;
  private off?: () => void;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  open(hub: CollabHub, entryId: string) {
    if (this.off) return;
    const d = hub.open(entryDocName(entryId));
    this.fragment = d.doc.getXmlFragment(ENTRY_FRAGMENT);
    this.awareness = d.provider.awareness;
    this.state = d.state;
    this.off = d.subscribe(() => {
      this.state = d.state;
      this.host.requestUpdate();
    });
  }

  close() {
    this.off?.();
    this.off = undefined;
    this.fragment = this.awareness = this.state = undefined;
  }

  hostConnected() {}
  hostDisconnected() {
    this.close();
  }
}
