// Child process: one fresh stock client syncing a doc, as a new browser tab would (a process that
// holds nothing else), so the figure is not inflated by the orchestrator's own heap and GC.
import * as Y from 'yjs';
import { serveRequests } from './lib/proc.js';
import { paragraphTexts, syncFresh } from './lib/syncProbe.js';

serveRequests({
  probe: async (a) => {
    const r = await syncFresh(String(a.serverUrl), String(a.docName), a.cookie ? String(a.cookie) : undefined);
    const result = { ms: r.ms, docBytes: Y.encodeStateAsUpdate(r.doc).byteLength, texts: a.withTexts ? paragraphTexts(r.doc) : [] };
    r.doc.destroy();
    return result;
  },
});
