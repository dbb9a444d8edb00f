// What a client update would do to a document, read from its decoded structs before it is applied:
// which roots it creates, which client ids it writes under, whether it can integrate at once.
import * as Y from 'yjs';
import type { RootKind } from '../../shared/collab/docRoots.js';
import type { DecodedUpdate } from './checkUpdate.js';

/** A struct yjs would put anywhere but the roots the document kind declares: the reason, else null. */
export function findForeignRoot(decoded: DecodedUpdate, roots: Readonly<Record<string, RootKind>>): string | null {
  for (const struct of decoded.structs) {
    // Only an item without origins names its parent; the others inherit their origin's parent.
    // Decoded (not integrated) items carry a root parent as its name.
    const parent: unknown = struct instanceof Y.Item ? struct.parent : null;
    if (!(struct instanceof Y.Item) || typeof parent !== 'string') continue;
    const name = parent;
    const kind = Object.hasOwn(roots, name) ? roots[name] : undefined;
    if (!kind) return `update creates root ${JSON.stringify(name.slice(0, 40))}`;
    if (struct.content instanceof Y.ContentDeleted) continue;
    if (kind === 'fragment' && !(struct.parentSub === null && isContentOf(struct, [Y.XmlElement, Y.XmlText]))) {
      return `root ${name} holds only XML elements and text`;
    }
    if (kind === 'map' && !(struct.parentSub !== null && isContentOf(struct, [Y.Map]))) return `root ${name} holds only keyed maps`;
  }
  return null;
}

// Constructors of the shared types an item may carry (exact classes: XmlElement is not a Map).
type SharedTypeClass = abstract new (...args: never[]) => unknown;
function isContentOf(item: Y.Item, types: SharedTypeClass[]): boolean {
  if (!(item.content instanceof Y.ContentType)) return false;
  const type: unknown = item.content.type;
  return types.some((t) => (type as object).constructor === t);
}

/** A document's clock per client (Y.getState on its store): no state vector is built per update. */
export type KnownClock = (client: number) => number;

/** Client ids whose structs this update adds beyond what the document holds. */
export function clientIdsWritten(decoded: DecodedUpdate, known: KnownClock): number[] {
  const ids = new Set<number>();
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) continue;
    const { client, clock } = struct.id;
    if (clock + struct.length > known(client)) ids.add(client);
  }
  return [...ids];
}

/**
 * True when yjs could not integrate the whole update now (it would keep structs or deletions
 * pending): a gap in some client's clocks, or an origin, parent or deleted range the document and
 * the update both lack.
 */
export function lacksDependencies(decoded: DecodedUpdate, known: KnownClock): boolean {
  const extended = new Map<number, number>(); // per client: clocks below this exist once the update is in
  const reachOf = (client: number) => extended.get(client) ?? known(client);
  for (const struct of [...decoded.structs].sort((a, b) => a.id.client - b.id.client || a.id.clock - b.id.clock)) {
    if (struct instanceof Y.Skip) continue;
    const { client, clock } = struct.id;
    const have = reachOf(client);
    if (clock > have) return true;
    extended.set(client, Math.max(have, clock + struct.length));
  }
  const exists = (id: Y.ID | null) => id === null || id.clock < reachOf(id.client);
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    if (!exists(struct.origin) || !exists(struct.rightOrigin)) return true;
    if (struct.parent instanceof Y.ID && !exists(struct.parent)) return true;
  }
  for (const [client, ranges] of decoded.ds.clients) {
    const have = reachOf(client);
    if (ranges.some((r) => r.clock + r.len > have)) return true;
  }
  return false;
}
