import { describe, expect, it } from 'vitest';
import { ConnectionLimiter, addressKey } from '../../server/connectionLimiter.js';

describe('ConnectionLimiter', () => {
  it('[CG7] refuses past the cap per address, counts nothing refused, lets one in per release', () => {
    const limiter = new ConnectionLimiter(2);
    const a = limiter.tryAcquire('10.0.0.1');
    const b = limiter.tryAcquire('10.0.0.1');
    expect(a && b).toBeTruthy();
    expect(limiter.tryAcquire('10.0.0.1')).toBeNull();
    expect(limiter.count('10.0.0.1')).toBe(2);
    expect(limiter.tryAcquire('10.0.0.2')).not.toBeNull(); // another address has its own budget
    a!.release();
    expect(limiter.count('10.0.0.1')).toBe(1);
    expect(limiter.tryAcquire('10.0.0.1')).not.toBeNull();
    expect(limiter.tryAcquire('10.0.0.1')).toBeNull();
  });

  it('[CG7] a lease released twice counts once; the map forgets idle addresses', () => {
    const limiter = new ConnectionLimiter(3);
    const a = limiter.tryAcquire('10.0.0.1')!;
    const b = limiter.tryAcquire('10.0.0.1')!;
    a.release();
    a.release();
    expect(limiter.count('10.0.0.1')).toBe(1);
    b.release();
    expect(limiter.count('10.0.0.1')).toBe(0);
    expect(limiter.addresses).toBe(0);
  });

  it('[CG7] 0 means no cap', () => {
    const limiter = new ConnectionLimiter(0);
    for (let i = 0; i < 1000; i++) expect(limiter.tryAcquire('10.0.0.1')).not.toBeNull();
    expect(limiter.count('10.0.0.1')).toBe(1000);
  });

  it('[CG7] one address: IPv4-mapped IPv6 is the IPv4 address; IPv6 counts per /64', () => {
    expect(addressKey('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(addressKey('127.0.0.1')).toBe('127.0.0.1');
    expect(addressKey('2001:db8:0:1::1')).toBe(addressKey('2001:0db8:0000:0001:ffff:ffff:ffff:ffff'));
    expect(addressKey('2001:db8:0:1::1')).not.toBe(addressKey('2001:db8:0:2::1'));
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('2001:db8::1.2.3.4')).toBe('2001:db8:0:0::/64');
    expect(addressKey(undefined)).toBe('unknown');
    const limiter = new ConnectionLimiter(1);
    expect(limiter.tryAcquire('2001:db8:0:1::1')).not.toBeNull();
    expect(limiter.tryAcquire('2001:db8:0:1::2')).toBeNull();
  });
});

describe('ConnectionLimiter.subscribe', () => {
  it('[CG7] reports each acquire and release once, with the new count', () => {
    const limiter = new ConnectionLimiter(1);
    const seen: [string, number][] = [];
    const stop = limiter.subscribe((key, open) => seen.push([key, open]));
    const lease = limiter.tryAcquire('::ffff:10.0.0.9')!;
    limiter.tryAcquire('10.0.0.9'); // refused: nothing to report
    lease.release();
    lease.release();
    stop();
    limiter.tryAcquire('10.0.0.9');
    expect(seen).toEqual([['10.0.0.9', 1], ['10.0.0.9', 0]]);
  });
});
