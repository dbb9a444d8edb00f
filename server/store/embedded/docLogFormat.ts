/**
 * The record format of a document's log file:
 *   record := u32le(length of what follows) • u8(kind) • u32le(seq) • bytes
 * kind 1 is a Yjs update, kind 2 the snapshot (seq 0, first record after a compaction),
 * kind 3 a client-id owner (seq 0; bytes := f64le(clientId) • utf8(accountId)), kept by compaction.
 * A torn last record (a crash mid-write) is detected by its length and cut off on open.
 */
export const RecordKind = { Update: 1, Snapshot: 2, Owner: 3 } as const;
export type RecordKind = (typeof RecordKind)[keyof typeof RecordKind];

const HEADER = 4 + 1 + 4;

export interface LogRecord {
  kind: RecordKind;
  seq: number;
  bytes: Uint8Array;
}

export function encodeRecord(kind: RecordKind, seq: number, bytes: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(HEADER + bytes.byteLength);
  out.writeUInt32LE(1 + 4 + bytes.byteLength, 0);
  out.writeUInt8(kind, 4);
  out.writeUInt32LE(seq, 5);
  out.set(bytes, HEADER);
  return out;
}

/** Every complete record, and how many bytes they span (anything after is a torn write). */
export function decodeRecords(file: Buffer): { records: LogRecord[]; validLength: number } {
  const records: LogRecord[] = [];
  let offset = 0;
  while (offset + HEADER <= file.length) {
    const length = file.readUInt32LE(offset);
    const end = offset + 4 + length;
    if (length < 5 || end > file.length) break;
    const kind = file.readUInt8(offset + 4);
    if (kind !== RecordKind.Update && kind !== RecordKind.Snapshot && kind !== RecordKind.Owner) break;
    // A copy, so callers never hold a view into the whole file's buffer.
    records.push({ kind, seq: file.readUInt32LE(offset + 5), bytes: new Uint8Array(file.subarray(offset + HEADER, end)) });
    offset = end;
  }
  return { records, validLength: offset };
}

/** An owner record's bytes: the Yjs client id, then the account that introduced it. */
export function encodeOwner(clientId: number, accountId: string): Uint8Array {
  const account = Buffer.from(accountId, 'utf8');
  const out = Buffer.allocUnsafe(8 + account.length);
  out.writeDoubleLE(clientId, 0);
  out.set(account, 8);
  return out;
}

export function decodeOwner(bytes: Uint8Array): { clientId: number; accountId: string } | null {
  if (bytes.byteLength < 8) return null;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { clientId: buf.readDoubleLE(0), accountId: buf.subarray(8).toString('utf8') };
}
