// The chiefs' side of bench/publish.ts, in a worker thread: its own event loop (the other core),
// so the server's loop in the main thread carries only the server's work, as it would with the
// chiefs in their browsers. Each job: POST /api/entries/:id/publish, then GET /changes?after=seq
// until the change is there (it should be at the first look: the answer comes after it is stored).
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';

export interface PublishJob { cookie: string; id: string; version: number; revision: number }
export interface RunRequest { url: string; slug: string; seqBefore: number; jobs: PublishJob[]; timeoutMs: number; visibleWithinMs: number }
export interface Sample { responseMs: number; visibleMs: number; visibleFirstTry: boolean; seq: number; entryId: string }
export type RunReply = { ok: true; samples: Sample[] } | { ok: false; error: string };

async function call(url: string, method: string, path: string, cookie: string | null, timeoutMs: number, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...(cookie ? { cookie } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

async function publishOnce(r: RunRequest, job: PublishJob): Promise<Sample> {
  const t0 = performance.now();
  const res = await call(r.url, 'POST', `/api/entries/${job.id}/publish`, job.cookie, r.timeoutMs, { version: job.version, revision: job.revision }, { 'idempotency-key': randomUUID() });
  const t1 = performance.now();
  if (res.status !== 200 || res.json.status !== 'published') throw new Error(`publish ${job.id}: ${res.status} ${JSON.stringify(res.json)}`);
  const deadline = t1 + r.visibleWithinMs;
  for (let tries = 0; ; tries++) {
    const ch = await call(r.url, 'GET', `/api/public/live/${encodeURIComponent(r.slug)}/changes?after=${r.seqBefore}`, null, r.timeoutMs);
    const hit = (ch.json.changes as Array<{ seq: number; kind: string; entryId: string }> | undefined)?.find((c) => c.entryId === job.id && c.kind === 'published');
    if (hit) return { responseMs: t1 - t0, visibleMs: performance.now() - t0, visibleFirstTry: tries === 0, seq: hit.seq, entryId: job.id };
    if (performance.now() > deadline) throw new Error(`entry ${job.id} not in /changes ${r.visibleWithinMs} ms after its publish answered`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** All jobs of one request at once (one job: one publish). */
export async function run(r: RunRequest): Promise<Sample[]> {
  return Promise.all(r.jobs.map((job) => publishOnce(r, job)));
}

parentPort?.postMessage({ ready: true });
parentPort?.on('message', (r: RunRequest) => {
  run(r).then(
    (samples) => parentPort!.postMessage({ ok: true, samples } satisfies RunReply),
    (error: unknown) => parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) } satisfies RunReply),
  );
});
