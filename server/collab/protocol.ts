// y-websocket framing. docs/protocol.md is the grammar; this file is its only encoder.
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { MESSAGE_HEARTBEAT, MESSAGE_READ_ONLY } from '../../shared/collab/closeCodes.js';

export const MessageType = { Sync: 0, Awareness: 1, Auth: 2, QueryAwareness: 3, ReadOnly: MESSAGE_READ_ONLY, Heartbeat: MESSAGE_HEARTBEAT } as const;
export const SyncType = { Step1: 0, Step2: 1, Update: 2 } as const;

/** A frame the server will not serve: closes that connection with MalformedMessage. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

export function writeSync(kind: number, payload: Uint8Array): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, MessageType.Sync);
  encoding.writeVarUint(enc, kind);
  encoding.writeVarUint8Array(enc, payload);
  return encoding.toUint8Array(enc);
}

export function writeAwareness(update: Uint8Array): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, MessageType.Awareness);
  encoding.writeVarUint8Array(enc, update);
  return encoding.toUint8Array(enc);
}

/** Our custom frame: `varUint(100) • varString(reason)`; the stock client logs and ignores it. */
export function writeReadOnly(reason: string): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, MessageType.ReadOnly);
  encoding.writeVarString(enc, reason);
  return encoding.toUint8Array(enc);
}

/** Our custom frame: `varUint(102) • varUint(periodMs)`, a sign of life the browser can see. */
export function writeHeartbeat(periodMs: number): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, MessageType.Heartbeat);
  encoding.writeVarUint(enc, periodMs);
  return encoding.toUint8Array(enc);
}

/** Hand-read, because y-protocols' readSyncMessage swallows apply errors and mixes in replies. */
export function readSync(dec: decoding.Decoder): { kind: number; payload: Uint8Array } {
  const kind = decoding.readVarUint(dec);
  const payload = decoding.readVarUint8Array(dec);
  return { kind, payload };
}

/** One message per frame: trailing bytes mean a confused or hostile client. */
export function expectEnd(dec: decoding.Decoder): void {
  if (decoding.hasContent(dec)) throw new ProtocolError('trailing bytes after message');
}
