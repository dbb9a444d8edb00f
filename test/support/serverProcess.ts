import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Demo logins printed on first start (empty on later starts). */
  logins: Map<string, string>;
  output(): string;
  exited: Promise<number | null>;
}

/** `server/main.ts` as `npm start` runs it (without the build), in its own process. */
export function spawnServer(env: Record<string, string>): ServerProcess & { ready: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const logins = new Map<string, string>();
  const handle = { child, url: '', logins, output: () => out } as ServerProcess & { ready: Promise<void> };
  handle.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  handle.ready = new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      for (const m of out.matchAll(/^\s+\w+\s+(\w+)\s+(\S+)\s+\(/gm)) logins.set(m[1], m[2]);
      const running = /"url":"(http:\/\/[^"]+)"[^\n]*Livedesk is running/.exec(out);
      if (running && !handle.url) {
        handle.url = running[1];
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    void handle.exited.then((code) => reject(new Error(`server exited (${code}) before it was ready:\n${out}`)));
  });
  handle.ready.catch(() => undefined);
  return handle;
}
