// Child process: one fresh stock client syncing a doc, as a new browser tab would (a process that
// holds nothing else), so the figure is not inflated by the orchestrator's own heap and GC.
import { writeFileSync } from 'node:fs';
import * as Y from 'yjs';
import { serveRequests } from './lib/proc.js';
import { paragraphTexts, syncFresh } from './lib/syncProbe.js';

serveRequests({
  probe: async (a) => {
    const r = await syncFresh(String(a.serverUrl), String(a.docName), a.cookie ? String(a.cookie) : undefined);
    const state = Y.encodeStateAsUpdate(r.doc);
    if (a.saveStateTo) writeFileSync(String(a.saveStateTo), state); // for the client-floor probe
    const result = { ms: r.ms, docBytes: state.byteLength, texts: a.withTexts ? paragraphTexts(r.doc) : [] };
    r.doc.destroy();
    return result;
  },
});
