import * as Y from 'yjs';
import type { StoredDoc } from '../../../server/store/Store.js';

/** Types `steps` into a Y.Text one by one; returns each step's V1 update and the final text. */
export function typeInSteps(steps: string[]): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const text = doc.getText('body');
  for (const step of steps) text.insert(text.length, step);
  return { doc, updates };
}

/** What a server does on load: snapshot first, then the update log, into a fresh doc. */
export function rebuild(stored: StoredDoc): Y.Doc {
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const { update } of stored.updates) Y.applyUpdate(doc, update);
  return doc;
}

export function textOf(doc: Y.Doc): string {
  return doc.getText('body').toString();
}
