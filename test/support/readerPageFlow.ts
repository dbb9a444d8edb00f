// Publications, corrections and retractions of entries over the real API, and pins and key-marks
// on the desk's collab document, for the reader page's tests.
import { expect } from 'vitest';
import type { Person } from './newsroomPeople.js';
import type { TestServer } from './startTestServer.js';
import type { Doc } from 'yjs';
import { entryDocName, fileDocName } from '../../shared/collab/docName.js';
import { readDeskOrder } from '../../shared/collab/deskDoc.js';
import { openCollabDoc, until } from './collabClients.js';
import { appendText } from './entryText.js';
import { newEntry, transition, watchReaderChanges } from './workflowApi.js';

/** Written by `editor`, submitted, published by `chief`. */
export async function publishEntry(server: TestServer, editor: Person, chief: Person, liveFileId: string, text: string, headline?: string): Promise<string> {
  const entry = await newEntry(server, editor, liveFileId, text, headline);
  expect((await transition(server, editor, entry.id, 'submit', { version: entry.version })).status).toBe(200);
  expect((await transition(server, chief, entry.id, 'publish', { version: entry.version + 1 })).status).toBe(200);
  return entry.id;
}

/** `more` typed at the end of the published entry, then submitted and published: a correction. */
export async function correctEntry(server: TestServer, editor: Person, chief: Person, entryId: string, more: string): Promise<void> {
  const doc = await openCollabDoc(`${server.wsUrl}/collab`, entryDocName(entryId), { headers: { cookie: editor.cookie } });
  try {
    appendText(doc.doc, more);
    await server.server.services.entries.settle(entryId);
  } finally {
    doc.destroy();
  }
  const current = (await server.store.entries.findById(entryId))!;
  expect((await transition(server, editor, entryId, 'submit', { version: current.version })).status).toBe(200);
  expect((await transition(server, chief, entryId, 'publish', { version: current.version + 1 })).status).toBe(200);
}

export async function retractEntry(server: TestServer, chief: Person, entryId: string, reason: string): Promise<void> {
  const current = (await server.store.entries.findById(entryId))!;
  expect((await transition(server, chief, entryId, 'retract', { version: current.version, reason })).status).toBe(200);
}

/** Pins and key-marks on the desk document, waiting for the reader changes they make. */
export async function onDesk(server: TestServer, who: Person, fileId: string, expected: number, fn: (doc: Doc) => void): Promise<void> {
  const desk = await openCollabDoc(`${server.wsUrl}/collab`, fileDocName(fileId), { headers: { cookie: who.cookie } });
  try {
    await until(desk.doc, 'update', () => readDeskOrder(desk.doc).length > 0);
    const stored = watchReaderChanges(server, fileId);
    fn(desk.doc);
    await stored.count(expected);
    stored.stop();
  } finally {
    desk.destroy();
  }
}
