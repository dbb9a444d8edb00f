// Child process: the stock client's own share of a sync, with no server and no network. A fresh
// process (a new tab) applies a whole doc state the way WebsocketProvider does on sync step 2:
// one Y.applyUpdate into an empty doc that has an 'update' listener (the provider's), timed.
import { readFileSync } from 'node:fs';
import * as Y from 'yjs';
import { serveRequests } from './lib/proc.js';
import { nowMs } from './lib/stats.js';

serveRequests({
  apply: (a) => {
    const state = new Uint8Array(readFileSync(String(a.path)));
    const t = nowMs();
    const doc = new Y.Doc();
    doc.on('update', () => {}); // Yjs encodes each transaction's update only when someone listens
    Y.applyUpdate(doc, state);
    const ms = nowMs() - t;
    doc.destroy();
    return { ms, bytes: state.byteLength };
  },
});
