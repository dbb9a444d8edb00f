// A local webhook receiver on 127.0.0.1 (port 0): records every request with its raw body and
// answers as the test says (a status, a redirect, or never).
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  at: number;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}
export type Answer = (res: ServerResponse, got: Received) => void;

export async function startReceiver(answer: Answer = (res) => res.writeHead(204).end()) {
  const received: Received[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  let current = answer;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const got = { at: Date.now(), path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(got);
      for (const w of [...waiters]) if (received.length >= w.n) { waiters.splice(waiters.indexOf(w), 1); w.resolve(); }
      current(res, got);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    answer(next: Answer) { current = next; },
    /** Resolves once `n` requests came in (in all); rejects after timeoutMs. */
    count(n: number, timeoutMs = 8000): Promise<void> {
      if (received.length >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the receiver got ${received.length} of ${n} requests`)), timeoutMs);
        waiters.push({ n, resolve: () => { clearTimeout(timer); resolve(); } });
      });
    },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
