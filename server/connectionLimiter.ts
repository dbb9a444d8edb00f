import { isIPv6 } from 'node:net';

/** One counted connection. `release()` may be called any number of times; only the first counts. */
export interface ConnectionLease {
  readonly key: string;
  release(): void;
}

/**
 * Concurrent long-lived connections (collab websockets, Socket.IO sessions) per client address.
 * Pure bookkeeping: upgrade.ts and createRealtime.ts acquire a lease before any work and tie its
 * release to the connection's 'close', so the count cannot drift.
 */
export class ConnectionLimiter {
  private readonly open = new Map<string, number>();
  private readonly listeners = new Set<(key: string, open: number) => void>();

  /** `max` 0 means no cap (a proxy in front may do it instead). */
  constructor(readonly max: number) {}

  /** A lease, or null when `address` already holds `max` connections (nothing is counted then). */
  tryAcquire(address: string | undefined): ConnectionLease | null {
    const key = addressKey(address);
    const n = this.open.get(key) ?? 0;
    if (this.max > 0 && n >= this.max) return null;
    this.open.set(key, n + 1);
    this.changed(key, n + 1);
    return new CountedLease(this, key);
  }

  /** CountedLease's release: one fewer connection for `key`. */
  releaseOne(key: string): void {
    const left = (this.open.get(key) ?? 1) - 1;
    if (left > 0) this.open.set(key, left);
    else this.open.delete(key);
    this.changed(key, left);
  }

  count(address: string | undefined): number {
    return this.open.get(addressKey(address)) ?? 0;
  }

  /** Addresses holding at least one connection (for stats and tests). */
  get addresses(): number {
    return this.open.size;
  }

  /** Called after every acquire and release with the address key and its new count (tests wait on it). */
  subscribe(fn: (key: string, open: number) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(key: string, open: number): void {
    for (const fn of this.listeners) fn(key, open);
  }
}

/** A lease is an object with a method, not a closure: one is held per open connection, by the thousand. */
class CountedLease implements ConnectionLease {
  private released = false;
  constructor(
    private readonly limiter: ConnectionLimiter,
    readonly key: string,
  ) {}

  release(): void {
    if (this.released) return;
    this.released = true;
    this.limiter.releaseOne(this.key);
  }
}

/**
 * What counts as one address: IPv4 as is (also when IPv4-mapped, `::ffff:1.2.3.4`); IPv6 by its
 * /64, since one host is routinely handed a whole /64 and could otherwise pick a fresh address per
 * connection.
 */
export function addressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const bare = address.split('%')[0]; // zone id: fe80::1%eth0
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(bare);
  if (mapped) return mapped[1];
  if (!isIPv6(bare)) return bare;
  return `${expandIPv6(bare).slice(0, 4).join(':')}::/64`;
}

/** Eight 16-bit groups, lower-case, without leading zeros; an embedded IPv4 tail becomes two groups. */
function expandIPv6(address: string): string[] {
  const [head, tail] = address.toLowerCase().split('::') as [string, string | undefined];
  const groups = (part: string | undefined) => (part ? part.split(':').flatMap(ipv4Tail) : []);
  const left = groups(head);
  const right = groups(tail);
  const zeros = tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => g.replace(/^0+(?=.)/, ''));
}

function ipv4Tail(group: string): string[] {
  if (!group.includes('.')) return [group];
  const [a, b, c, d] = group.split('.').map(Number);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}
