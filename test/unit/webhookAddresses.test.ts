import { describe, expect, it } from 'vitest';
import { assertPublicHost, isPublicAddress } from '../../server/features/webhooks/addressPolicy.js';
import { signWebhook, verifyWebhook } from '../../server/features/webhooks/signature.js';

describe('webhook address policy', () => {
  it('[WH7] loopback, private, link-local, CGNAT, documentation, multicast, unspecified and IPv4-mapped private addresses are refused; public ones pass', () => {
    const refused = [
      '127.0.0.1', '127.255.0.9', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
      '192.0.2.10', '198.18.0.1', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1',
      '::ffff:127.0.0.1', '::ffff:7f00:1', '0:0:0:0:0:ffff:10.0.0.1', '[::1]', '2001:db8::1', '64:ff9b::a00:1', 'not an address',
    ];
    const allowed = ['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450:4001::1', '::ffff:8.8.8.8'];
    expect(refused.filter(isPublicAddress)).toEqual([]);
    expect(allowed.filter((a) => !isPublicAddress(a))).toEqual([]);
  });

  it('[WH7] literal hosts are judged without DNS; WEBHOOKS_ALLOW_PRIVATE lifts the rule', async () => {
    await expect(assertPublicHost('127.0.0.1', false)).rejects.toThrow(/not a public address/);
    await expect(assertPublicHost('[::1]', false)).rejects.toThrow(/not a public address/);
    await expect(assertPublicHost('localhost', false)).rejects.toThrow(/not a public address/);
    await expect(assertPublicHost('8.8.8.8', false)).resolves.toBeUndefined();
    await expect(assertPublicHost('127.0.0.1', true)).resolves.toBeUndefined();
  });

  it('[WH2] the signature is HMAC-SHA256 over "<timestamp>.<body>"; another secret, body or timestamp fails', () => {
    const body = '{"event":"publish","text":"Митинг"}';
    const sig = signWebhook('whsec_a', 1767225600, body);
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhook('whsec_a', '1767225600', body, sig)).toBe(true);
    expect(verifyWebhook('whsec_b', '1767225600', body, sig)).toBe(false);
    expect(verifyWebhook('whsec_a', '1767225601', body, sig)).toBe(false);
    expect(verifyWebhook('whsec_a', '1767225600', `${body} `, sig)).toBe(false);
  });
});
