// Child processes with a request/reply channel over IPC, and CPU read from /proc.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLK_TCK = 100; // getconf CLK_TCK on Linux

/** utime+stime of a process, in ms (10 ms resolution; ours also reports process.cpuUsage). */
export function procCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

/** RSS of a process in bytes. */
export function procRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) * 1024 : NaN;
}

export interface Child {
  proc: ChildProcess;
  pid: number;
  request<T = unknown>(cmd: string, args?: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** Resolves with the first message of this type sent unprompted by the child. */
  next<T = unknown>(type: string, timeoutMs?: number): Promise<T>;
  kill(): Promise<void>;
}

/** Forks a TypeScript child (tsx) with IPC; children answer {id, ok, result|error}. */
export function forkTs(script: string, opts: { execArgv?: string[]; env?: Record<string, string>; args?: string[] } = {}): Child {
  const proc = fork(script, opts.args ?? [], {
    execArgv: ['--import', 'tsx', ...(opts.execArgv ?? [])],
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    cwd: REPO_ROOT,
  });
  return wrap(proc);
}

function wrap(proc: ChildProcess): Child {
  let seq = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const waiters = new Map<string, Array<(v: unknown) => void>>();
  const early = new Map<string, unknown[]>();
  let exited = false;
  const exitP = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.on('message', (m: { id?: number; ok?: boolean; result?: unknown; error?: string; type?: string; data?: unknown }) => {
    if (m.id !== undefined && pending.has(m.id)) {
      const p = pending.get(m.id)!;
      pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(m.error ?? 'child error'));
    } else if (m.type) {
      const ws = waiters.get(m.type);
      if (ws?.length) ws.shift()!(m.data);
      else early.set(m.type, [...(early.get(m.type) ?? []), m.data]);
    }
  });
  proc.once('exit', (code, signal) => {
    exited = true;
    for (const p of pending.values()) p.reject(new Error(`child exited (${code ?? signal})`));
    pending.clear();
  });
  return {
    proc,
    pid: proc.pid!,
    request<T>(cmd: string, args: Record<string, unknown> = {}, timeoutMs = 120_000): Promise<T> {
      if (exited) return Promise.reject(new Error(`child already exited (cmd ${cmd})`));
      const id = ++seq;
      return new Promise<T>((resolve, reject) => {
        const t = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`child did not answer ${cmd} within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (v) => (clearTimeout(t), resolve(v as T)),
          reject: (e) => (clearTimeout(t), reject(e)),
        });
        proc.send({ id, cmd, ...args });
      });
    },
    next<T>(type: string, timeoutMs = 60_000): Promise<T> {
      const queued = early.get(type);
      if (queued?.length) return Promise.resolve(queued.shift() as T);
      return new Promise<T>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`child sent no ${type} within ${timeoutMs} ms`)), timeoutMs);
        waiters.set(type, [...(waiters.get(type) ?? []), (v) => (clearTimeout(t), resolve(v as T))]);
        if (exited) reject(new Error(`child exited before ${type}`));
      });
    },
    async kill() {
      if (exited) return;
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exitP;
      clearTimeout(t);
    },
  };
}

/** Child side: answers requests with the handlers' results. */
export function serveRequests(handlers: Record<string, (args: Record<string, unknown>) => unknown>): void {
  process.on('message', async (m: { id: number; cmd: string } & Record<string, unknown>) => {
    if (typeof m?.id !== 'number') return;
    const h = handlers[m.cmd];
    try {
      if (!h) throw new Error(`unknown command ${m.cmd}`);
      const result = await h(m);
      process.send!({ id: m.id, ok: true, result });
    } catch (err) {
      process.send!({ id: m.id, ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) });
    }
  });
  // The parent going away ends the child: no orphans on a crashed run.
  process.on('disconnect', () => process.exit(0));
}

export function emit(type: string, data?: unknown): void {
  process.send?.({ type, data });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** The stock y-websocket@1.5.4 server (CommonJS bin/server.js), listening on 127.0.0.1:port. */
export async function startReferenceServer(serverJs: string, execArgv: string[] = []): Promise<{ url: string; pid: number; kill(): Promise<void> }> {
  const port = await freePort();
  const proc = spawn(process.execPath, [...execArgv, serverJs], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('reference server did not start in 15 s')), 15_000);
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('running at')) {
        clearTimeout(t);
        resolve();
      }
    });
    proc.once('exit', (code) => reject(new Error(`reference server exited (${code})`)));
  });
  const exitP = new Promise<void>((r) => proc.once('exit', () => r()));
  return {
    url: `ws://127.0.0.1:${port}`,
    pid: proc.pid!,
    async kill() {
      if (proc.exitCode !== null) return;
      proc.kill('SIGTERM');
      await exitP;
    },
  };
}
