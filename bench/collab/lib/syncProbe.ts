// Connect → synced with the stock y-websocket WebsocketProvider: what a fresh tab waits for.
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { nowMs } from './stats.js';

export interface SyncResult {
  ms: number;
  updateBytes: number;
  doc: Y.Doc;
}

export async function syncFresh(serverUrl: string, docName: string, cookie?: string, timeoutMs = 30_000): Promise<SyncResult> {
  class CookieWS extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: cookie ? { cookie } : {}, perMessageDeflate: false });
    }
  }
  const doc = new Y.Doc();
  const t = nowMs();
  const provider = new WebsocketProvider(serverUrl, docName, doc, {
    WebSocketPolyfill: CookieWS as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${docName} did not sync within ${timeoutMs} ms`)), timeoutMs);
      provider.once('sync', () => (clearTimeout(timer), resolve()));
    });
    const ms = nowMs() - t;
    return { ms, updateBytes: Y.encodeStateAsUpdate(doc).byteLength, doc };
  } finally {
    provider.destroy();
  }
}

/** Text of each paragraph of the entry's 'prosemirror' fragment. */
export function paragraphTexts(doc: Y.Doc): string[] {
  return doc.getXmlFragment('prosemirror').toArray().map((p) =>
    p instanceof Y.XmlElement ? p.toArray().map((t) => (t instanceof Y.XmlText ? t.toString() : '')).join('') : '');
}
