// The "check" of check-apply-persist-broadcast: a client update must be a complete V1 update.
import * as Y from 'yjs';
import type * as decoding from 'lib0/decoding';
import { ProtocolError } from './protocol.js';

let lastDecoder: decoding.Decoder | null = null;

/** Y.decodeUpdate, but remembering its byte decoder so we can check nothing is left over. */
class ProbeDecoderV1 extends Y.UpdateDecoderV1 {
  constructor(dec: decoding.Decoder) {
    super(dec);
    lastDecoder = dec;
  }
}

/**
 * Throws ProtocolError unless `update` decodes as V1 and is consumed exactly. A V2 update read
 * as V1 often "decodes" as an empty update with trailing bytes, hence the length check.
 */
export function checkUpdateV1(update: Uint8Array): void {
  lastDecoder = null;
  try {
    Y.decodeUpdateV2(update, ProbeDecoderV1);
  } catch {
    throw new ProtocolError('undecodable update (V1 expected)');
  }
  const dec = lastDecoder as decoding.Decoder | null;
  if (!dec || dec.pos !== update.byteLength) throw new ProtocolError('trailing bytes after update (V2?)');
}

/** Structs yjs holds back for missing dependencies (its pending update is V2-encoded). */
export function countPendingStructs(pendingUpdate: Uint8Array): number {
  return Y.decodeUpdateV2(pendingUpdate).structs.length;
}
