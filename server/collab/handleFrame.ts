// Dispatch by message type. Every decode error below surfaces as a throw → MalformedMessage.
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import type { CollabConnection } from './CollabConnection.js';
import type { Rejection, SharedDoc } from './SharedDoc.js';
import { MessageType, ProtocolError, SyncType, expectEnd, readSync, writeAwareness, writeSync } from './protocol.js';

/** A Promise when the frame needs a store write first (the connection waits before its next frame). */
type FrameResult = void | Rejection | null | Promise<Rejection | null>;
type FrameHandler = (conn: CollabConnection, shared: SharedDoc, dec: decoding.Decoder) => FrameResult;

// Auth (2) and ReadOnly (100) frames only go server → client.
const handlers: Partial<Record<number, FrameHandler>> = {
  [MessageType.Sync]: handleSync,
  [MessageType.Awareness]: handleAwareness,
  [MessageType.QueryAwareness]: handleQueryAwareness,
};

/** Frames of one connection are handled strictly in order: the caller waits on a returned Promise. */
export function handleFrame(conn: CollabConnection, shared: SharedDoc, frame: Uint8Array): FrameResult {
  const dec = decoding.createDecoder(frame);
  const handler = handlers[decoding.readVarUint(dec)];
  if (!handler) throw new ProtocolError('unknown message type');
  return handler(conn, shared, dec);
}

function handleSync(conn: CollabConnection, shared: SharedDoc, dec: decoding.Decoder): FrameResult {
  const { kind, payload } = readSync(dec);
  expectEnd(dec);
  switch (kind) {
    case SyncType.Step1: {
      let step2: Uint8Array;
      try {
        // A new client (empty state vector) gets the cached whole state.
        const isNewClient = payload.length === 1 && payload[0] === 0;
        step2 = writeSync(SyncType.Step2, isNewClient ? shared.encodeFullState() : Y.encodeStateAsUpdate(shared.doc, payload));
      } catch {
        throw new ProtocolError('bad state vector');
      }
      const step1 = conn.readOnly ? null : writeSync(SyncType.Step1, Y.encodeStateVector(shared.doc));
      // Sent once what it contains is durable: a joiner never sees an unsaved update.
      shared.whenDurable(() => {
        conn.send(step2);
        if (step1) conn.send(step1);
      });
      return;
    }
    case SyncType.Step2:
    case SyncType.Update: {
      if (conn.readOnly) return; // dropped; the client was told once on connect
      return shared.receiveClientUpdate(conn, payload, conn.identity.accountId);
    }
    default:
      throw new ProtocolError('unknown sync message type');
  }
}

function handleAwareness(conn: CollabConnection, shared: SharedDoc, dec: decoding.Decoder): void {
  const update = decoding.readVarUint8Array(dec);
  expectEnd(dec);
  const out = shared.awareness.apply(conn, update);
  // To everyone, the sender included: a lone stock client counts it as a sign of life.
  if (out) shared.broadcast(writeAwareness(out));
}

function handleQueryAwareness(conn: CollabConnection, shared: SharedDoc, dec: decoding.Decoder): void {
  expectEnd(dec);
  const all = shared.awareness.encodeAll();
  if (all) conn.send(writeAwareness(all));
}
