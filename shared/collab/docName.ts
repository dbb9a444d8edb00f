/**
 * The only builder and parser of collab document names.
 * `entry:<entryId>` holds one update's rich text; `file:<liveFileId>` holds the desk order and flags.
 */
export type DocRef = { kind: 'entry'; id: string } | { kind: 'file'; id: string };

const ID = /^[A-Za-z0-9_-]{8,64}$/;

export function entryDocName(entryId: string): string {
  return `entry:${entryId}`;
}
export function fileDocName(liveFileId: string): string {
  return `file:${liveFileId}`;
}

/** null for anything that is not exactly one of the two shapes. */
export function parseDocName(name: string): DocRef | null {
  const colon = name.indexOf(':');
  if (colon < 0) return null;
  const kind = name.slice(0, colon);
  const id = name.slice(colon + 1);
  if (!ID.test(id)) return null;
  if (kind === 'entry' || kind === 'file') return { kind, id };
  return null;
}

export function docNameOf(ref: DocRef): string {
  return ref.kind === 'entry' ? entryDocName(ref.id) : fileDocName(ref.id);
}
