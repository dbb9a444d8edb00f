/** One person on the desk, from the awareness `user` field the server stamps from their session. */
export interface PresenceUser {
  key: string;
  name: string;
  color: string;
  /** Entry they are editing, if any. */
  editing: string | null;
  idle: boolean;
  self: boolean;
}

const IDLE_MS = 2 * 60_000;

interface AwarenessLike {
  clientID: number;
  getStates(): Map<number, Record<string, unknown>>;
}

/** Collapses awareness states (one per tab) into one person each, most recently active tab winning. */
export function readPresence(awareness: AwarenessLike, now = Date.now()): PresenceUser[] {
  const byPerson = new Map<string, PresenceUser & { at: number }>();
  for (const [clientId, state] of awareness.getStates()) {
    const user = (state.user ?? {}) as { id?: string; accountId?: string; name?: string; displayName?: string; color?: string };
    const name = user.name ?? user.displayName;
    if (!name) continue;
    const key = user.id ?? user.accountId ?? name;
    const at = typeof state.activeAt === 'number' ? state.activeAt : now;
    const prev = byPerson.get(key);
    const self = clientId === awareness.clientID || prev?.self === true;
    if (prev && prev.at >= at && !(clientId === awareness.clientID)) {
      prev.self = self;
      continue;
    }
    byPerson.set(key, {
      key,
      name,
      color: typeof user.color === 'string' && /^#[0-9a-f]{3,8}$/i.test(user.color) ? user.color : '#8a919e',
      editing: entryOf(state) ?? prev?.editing ?? null,
      idle: now - at > IDLE_MS,
      self,
      at,
    });
  }
  return [...byPerson.values()].sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name));
}

/** The entry a tab is in: `entryId` (older clients said `editing`). */
function entryOf(state: Record<string, unknown>): string | null {
  const id = state.entryId ?? state.editing;
  return typeof id === 'string' && id ? id : null;
}
