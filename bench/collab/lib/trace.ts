// The seph-blog1 editing trace (Joseph Gentle, josephg/editing-traces, CC BY 4.0).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as Y from 'yjs';
import { Limits } from '../../../shared/limits.js';
import { REPO_ROOT } from './proc.js';

export const TRACE_CREDIT = 'Editing trace: seph-blog1 by Joseph Gentle (josephg/editing-traces), CC BY 4.0';
export const TRACE_PATH = join(REPO_ROOT, '..', 'shared', 'data', 'editing-traces', 'seph-blog1.json.gz');

/** The big entry's budget: the largest state under the stored-size cap (95 %, ~1.9 MiB), room for a few edits. */
export const BIG_ENTRY_BYTES = Math.floor(Limits.maxDocBytes * 0.95);

export interface Trace {
  startContent: string;
  endContent: string;
  txns: Array<{ time?: string; patches: Array<[number, number, string]> }>;
}

export function loadTrace(): Trace {
  if (!existsSync(TRACE_PATH)) {
    throw new Error(`editing trace missing: expected ${TRACE_PATH} (../shared/data/editing-traces/seph-blog1.json.gz from the repo root)`);
  }
  return JSON.parse(gunzipSync(readFileSync(TRACE_PATH)).toString('utf8')) as Trace;
}

/** A paragraph holding one Y.XmlText, appended to the 'prosemirror' fragment. */
export function addParagraph(doc: Y.Doc, initial = ''): Y.XmlText {
  const text = new Y.XmlText(initial);
  doc.transact(() => {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [text]);
    const frag = doc.getXmlFragment('prosemirror');
    frag.insert(frag.length, [p]);
  });
  return text;
}

/** Applies transactions [from, to) of the trace, one Yjs transaction each. */
export function replayRange(doc: Y.Doc, text: Y.XmlText, trace: Trace, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const patches = trace.txns[i].patches;
    doc.transact(() => {
      for (const [pos, del, ins] of patches) {
        if (del > 0) text.delete(pos, del);
        if (ins) text.insert(pos, ins);
      }
    });
  }
}

/** Replays the whole trace, yielding to the event loop every `chunk` transactions. */
export async function replayAll(doc: Y.Doc, text: Y.XmlText, trace: Trace, chunk = 2000, onChunk?: () => Promise<void> | void): Promise<void> {
  for (let i = 0; i < trace.txns.length; i += chunk) {
    replayRange(doc, text, trace, i, Math.min(trace.txns.length, i + chunk));
    if (onChunk) await onChunk();
    else await new Promise((r) => setImmediate(r));
  }
}
