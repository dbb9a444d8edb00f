// Awareness (presence) updates built by hand, for tests that play a client the stock one would not.
import * as encoding from 'lib0/encoding';
import { writeAwareness } from '../../server/collab/protocol.js';

export type PresenceEntry = [clientId: number, clock: number, state: unknown];

/** An awareness update: count, then (client id, clock, JSON state) each, as y-protocols encodes it. */
export function encodePresence(entries: PresenceEntry[]): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, entries.length);
  for (const [id, clock, state] of entries) {
    encoding.writeVarUint(enc, id);
    encoding.writeVarUint(enc, clock);
    encoding.writeVarString(enc, JSON.stringify(state));
  }
  return encoding.toUint8Array(enc);
}

/** The same update in its /collab frame (message type 1). */
export function presenceFrame(entries: PresenceEntry[]): Uint8Array {
  return writeAwareness(encodePresence(entries));
}
