import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ChangeCounter, ServerKnowledge, BURST_GAP_MS } from '../../client/controllers/unsent.js';

describe('ChangeCounter: changes as a person counts them', () => {
  it('a run of keystrokes with short pauses is one change', () => {
    const c = new ChangeCounter();
    for (let t = 0; t < 5000; t += 120) c.record(t); // typing a sentence
    expect(c.count).toBe(1);
  });

  it('three separate edits, each after a pause of a second or more, are three changes', () => {
    const c = new ChangeCounter();
    let t = 10_000;
    for (const word of ['XYZ', 'more', 'end']) {
      for (let i = 0; i < word.length; i++) c.record((t += 80));
      t += 1500;
    }
    expect(c.count).toBe(3);
  });

  it('a pause of exactly the gap starts a new change; just under it does not', () => {
    const c = new ChangeCounter(BURST_GAP_MS);
    c.record(0);
    c.record(BURST_GAP_MS - 1);
    expect(c.count).toBe(1);
    c.record(2 * BURST_GAP_MS - 1);
    expect(c.count).toBe(2);
  });

  it('gap 0 (desk actions): every update is its own change', () => {
    const c = new ChangeCounter(0);
    c.record(0);
    c.record(0);
    c.record(5);
    expect(c.count).toBe(3);
  });

  it('clear() returns to 0 and the next update starts a fresh change', () => {
    const c = new ChangeCounter();
    c.record(0);
    c.record(100);
    c.clear();
    expect(c.count).toBe(0);
    expect(c.record(150)).toBe(1);
  });

  it('resumes from a stored count: the first update after a reload is a new change', () => {
    const c = new ChangeCounter(BURST_GAP_MS, 2);
    expect(c.record(0)).toBe(3);
    expect(c.record(10)).toBe(3);
  });
});

/** A client doc and a server doc, with the frames the server would send recorded into `known`. */
function pair() {
  const server = new Y.Doc();
  const client = new Y.Doc();
  const known = new ServerKnowledge();
  const text = client.getText('t');
  /** Client → server step 2 / update; the server echoes what it integrated (its durable ack). */
  const send = () => {
    const diff = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
    let echoed: Uint8Array | null = null;
    server.once('update', (u: Uint8Array) => (echoed = u));
    Y.applyUpdate(server, diff);
    if (echoed) known.noteUpdate(echoed);
  };
  /** Server → client on (re)connect: step 2 (diff for the client) and step 1 (its state vector). */
  const handshake = () => {
    const step2 = Y.encodeStateAsUpdate(server, Y.encodeStateVector(client));
    Y.applyUpdate(client, step2);
    known.noteUpdate(step2);
    known.noteStateVector(Y.encodeStateVector(server));
  };
  return { server, client, known, text, send, handshake };
}

describe('ServerKnowledge: unsent returns to 0 only when the server holds the data', () => {
  it('after the handshake but before our step 2 arrives, offline inserts are still unsent', () => {
    const p = pair();
    p.text.insert(0, 'Power is back.');
    p.send();
    p.handshake();
    expect(p.known.covers(p.client)).toBe(true);
    p.text.insert(p.text.length, ' XYZ'); // offline
    p.handshake(); // reconnected: server step 2 + step 1
    expect(p.known.covers(p.client)).toBe(false);
    p.send(); // our step 2; the server echoes it
    expect(p.known.covers(p.client)).toBe(true);
  });

  it('an offline deletion (no new structs) is unsent until the server echoes it', () => {
    const p = pair();
    p.text.insert(0, 'Three people were hurt.');
    p.send();
    p.handshake();
    p.text.delete(0, 6);
    p.handshake();
    expect(p.known.covers(p.client)).toBe(false);
    p.send();
    expect(p.known.covers(p.client)).toBe(true);
  });

  it('remote changes received from the server are, of course, on the server', () => {
    const p = pair();
    p.server.getText('t').insert(0, 'From Aizhan.');
    p.handshake();
    expect(p.known.covers(p.client)).toBe(true);
  });
});
