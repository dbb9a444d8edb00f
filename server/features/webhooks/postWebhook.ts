import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { DeliveryOutcome } from '../../../shared/schemas/webhook.js';
import { AddressRefusedError, assertPublicHost, guardedLookup } from './addressPolicy.js';

export interface PostResult {
  outcome: DeliveryOutcome;
  status?: number;
  durationMs: number;
  error?: string;
}
export type PostWebhook = (url: string, body: string, headers: Record<string, string>, signal?: AbortSignal) => Promise<PostResult>;

/** What we read of a receiver's answer before hanging up: its status is all that counts. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * One POST, by node:http: no redirect is ever followed (a 3xx is a failure), the whole attempt
 * (DNS, connect, answer) ends at `timeoutMs`, and every address the host resolves to is checked
 * as the socket connects (addressPolicy.ts). No agent: no connection is reused across hooks.
 */
export function createPostWebhook(opts: { timeoutMs: number; allowPrivate: boolean }): PostWebhook {
  const lookup = guardedLookup(opts.allowPrivate);
  return async (url, body, headers, signal) => {
    const started = performance.now();
    const done = (r: Omit<PostResult, 'durationMs'>): PostResult => ({ ...r, durationMs: Math.round(performance.now() - started) });
    const target = new URL(url);
    try {
      await assertPublicHost(target.hostname, opts.allowPrivate);
    } catch (err) {
      return done(err instanceof AddressRefusedError ? { outcome: 'address_refused', error: err.message } : { outcome: 'network_error', error: (err as Error).message });
    }
    return new Promise<PostResult>((resolve) => {
      let settled = false;
      const finish = (r: Omit<PostResult, 'durationMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        req.destroy();
        resolve(done(r));
      };
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(target, {
        method: 'POST',
        agent: false,
        lookup: lookup as never,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
      }, (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) finish(outcomeOf(status));
        });
        res.on('end', () => finish(outcomeOf(status)));
        res.on('error', () => finish(outcomeOf(status)));
      });
      const timer = setTimeout(() => finish({ outcome: 'timeout', error: `no answer within ${opts.timeoutMs} ms` }), opts.timeoutMs);
      const onAbort = () => finish({ outcome: 'network_error', error: 'stopped' });
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (err: NodeJS.ErrnoException) => {
        const refused = err instanceof AddressRefusedError || err.code === 'EADDRREFUSED';
        finish({ outcome: refused ? 'address_refused' : 'network_error', error: err.message });
      });
      req.end(body);
    });
  };
}

function outcomeOf(status: number): Omit<PostResult, 'durationMs'> {
  if (status >= 200 && status < 300) return { outcome: 'delivered', status };
  if (status >= 300 && status < 400) return { outcome: 'redirect_refused', status, error: 'redirects are not followed' };
  return { outcome: 'http_error', status };
}
