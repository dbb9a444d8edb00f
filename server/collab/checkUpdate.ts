// The "check" of check-apply-persist-broadcast: a client update must be a complete V1 update.
import * as Y from 'yjs';
import type * as decoding from 'lib0/decoding';
import { ProtocolError } from './protocol.js';

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

let lastDecoder: decoding.Decoder | null = null;

/** Y.decodeUpdate, but remembering its byte decoder so we can check nothing is left over. */
class ProbeDecoderV1 extends Y.UpdateDecoderV1 {
  constructor(dec: decoding.Decoder) {
    super(dec);
    lastDecoder = dec;
  }
}

/**
 * Decodes `update` as V1 and returns its structs and delete set; throws ProtocolError unless it
 * is consumed exactly. A V2 update read as V1 often "decodes" as an empty update with trailing
 * bytes, hence the length check.
 */
export function checkUpdateV1(update: Uint8Array): DecodedUpdate {
  lastDecoder = null;
  let decoded: DecodedUpdate;
  try {
    decoded = Y.decodeUpdateV2(update, ProbeDecoderV1);
  } catch {
    throw new ProtocolError('undecodable update (V1 expected)');
  }
  const dec = lastDecoder as decoding.Decoder | null;
  if (!dec || dec.pos !== update.byteLength) throw new ProtocolError('trailing bytes after update (V2?)');
  return decoded;
}
