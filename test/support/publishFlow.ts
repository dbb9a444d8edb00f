// Publishing, correcting and retracting entries over the real API, for the tests of what follows a
// publication (feeds, webhooks, the embed): an editor writes and submits, a chief publishes.
import { expect } from 'vitest';
import { entryDocName } from '../../shared/collab/docName.js';
import type { Person } from './newsroomPeople.js';
import type { TestServer } from './startTestServer.js';
import { openCollabDoc } from './collabClients.js';
import { appendText } from './entryText.js';
import { newEntry, transition } from './workflowApi.js';

export function publishFlow(server: () => TestServer, editor: () => Person, chief: () => Person) {
  async function publish(liveFileId: string, text: string, headline?: string): Promise<string> {
    const entry = await newEntry(server(), editor(), liveFileId, text, headline);
    expect((await transition(server(), editor(), entry.id, 'submit', { version: entry.version })).status).toBe(200);
    const published = await transition(server(), chief(), entry.id, 'publish', { version: entry.version + 1 });
    expect(published.status).toBe(200);
    return entry.id;
  }

  /** Types `more` at the end of the published entry on the desk, then submits and publishes it: a correction. */
  async function correct(entryId: string, more: string): Promise<void> {
    const doc = await openCollabDoc(`${server().wsUrl}/collab`, entryDocName(entryId), { headers: { cookie: editor().cookie } });
    try {
      appendText(doc.doc, more);
      await server().server.services.entries.settle(entryId);
    } finally {
      doc.destroy();
    }
    const current = (await server().store.entries.findById(entryId))!;
    expect((await transition(server(), editor(), entryId, 'submit', { version: current.version })).status).toBe(200);
    expect((await transition(server(), chief(), entryId, 'publish', { version: current.version + 1 })).status).toBe(200);
  }

  async function retract(entryId: string, reason: string): Promise<void> {
    const current = (await server().store.entries.findById(entryId))!;
    expect((await transition(server(), chief(), entryId, 'retract', { version: current.version, reason })).status).toBe(200);
  }

  return { publish, correct, retract };
}
