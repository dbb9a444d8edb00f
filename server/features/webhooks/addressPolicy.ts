import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';

/**
 * Where a webhook may not go: anything that is not a public unicast address. A webhook URL is typed
 * by a chief, but the server makes the request, so without this anyone with that role could reach
 * the server's own ports, the LAN or a cloud metadata service (169.254.169.254) from inside.
 * WEBHOOKS_ALLOW_PRIVATE=true lifts it (tests; a newsroom whose receiver is on its own network).
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 23], ['2001:db8::', 32], ['2002::', 16],
  ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) blocked.addSubnet(net, prefix, 'ipv6');

/** IPv4-mapped IPv6 (`::ffff:127.0.0.1`, or `::ffff:7f00:1` as URL parsing writes it). */
const MAPPED_DOTTED = /^(?:(?:0{1,4}:){5}|::)ffff:(\d+\.\d+\.\d+\.\d+)$/i;
const MAPPED_HEX = /^(?:(?:0{1,4}:){5}|::)ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i;

/** True for a public unicast address; an IPv4-mapped IPv6 address is judged as its IPv4 one. */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 0) return false;
  if (family === 6) {
    const dotted = MAPPED_DOTTED.exec(bare);
    if (dotted) return isPublicAddress(dotted[1]!);
    const hex = MAPPED_HEX.exec(bare);
    if (hex) {
      const hi = parseInt(hex[1]!, 16);
      const lo = parseInt(hex[2]!, 16);
      return isPublicAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
    }
    return !blocked.check(bare, 'ipv6');
  }
  return !blocked.check(bare, 'ipv4');
}

export class AddressRefusedError extends Error {
  constructor(readonly host: string, readonly address: string) {
    super(`${host} resolves to ${address}, which is not a public address`);
    this.name = 'AddressRefusedError';
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for node:http that resolves every address of the name and refuses the connection if
 * any is not public (one bad address is enough: a resolver may hand out either). It is the lookup
 * the socket connects with, so what was checked is what is reached (no DNS rebinding between a
 * check and the connection). IP literals never reach a lookup: `assertPublicHost` checks those.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean; family?: number | string }, callback: LookupCallback): void => {
    dnsLookup(hostname, { all: true, family: typeof options.family === 'number' ? options.family : 0 }, (err, addresses) => {
      if (err) return callback(err, []);
      const bad = allowPrivate ? undefined : addresses.find((a) => !isPublicAddress(a.address));
      if (bad) return callback(Object.assign(new AddressRefusedError(hostname, bad.address), { code: 'EADDRREFUSED' }), []);
      if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** The same rule for a URL's host before anything is sent (creation, change, and each attempt for literals). */
export async function assertPublicHost(hostname: string, allowPrivate: boolean): Promise<void> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (allowPrivate) return;
  if (isIP(bare)) {
    if (!isPublicAddress(bare)) throw new AddressRefusedError(hostname, bare);
    return;
  }
  const addresses = await new Promise<LookupAddress[]>((resolve, reject) => dnsLookup(bare, { all: true }, (err, list) => (err ? reject(err) : resolve(list))));
  const bad = addresses.find((a) => !isPublicAddress(a.address));
  if (bad) throw new AddressRefusedError(hostname, bad.address);
}
