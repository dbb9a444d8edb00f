import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { MongoClient } from 'mongodb';
import { freePort } from './freePort.js';
import { tempDir } from './tempDir.js';

const READY_WITHIN_MS = 20_000;

/**
 * Runs ferretdb and kills it once our end of the shell's stdin closes: when stop() ends it, or
 * when the test process dies in any way (vitest may end workers without an 'exit' event), so no
 * server outlives its tests. fd 3 keeps the pipe, as background jobs get /dev/null as stdin.
 */
const WATCHDOG = 'exec 3<&0; bin="$1"; shift; "$bin" "$@" </dev/null 3<&- & pid=$!; (read _ <&3; kill $pid 2>/dev/null) & wait $pid';

export interface FerretDb {
  uri: string;
  stop(): Promise<void>;
}

/** `ferretdb` from FERRETDB_BIN, PATH or ~/go/bin; null when there is none. */
export function findFerretDbBinary(): string | null {
  const candidates = [
    process.env.FERRETDB_BIN,
    ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'ferretdb')),
    join(homedir(), 'go', 'bin', 'ferretdb'),
  ];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not there or not executable: try the next
    }
  }
  return null;
}

/** Starts FerretDB (SQLite backend, own temp dir, free port) and resolves once it answers ping. */
export async function startFerretDb(): Promise<FerretDb> {
  const binary = findFerretDbBinary();
  if (!binary) throw new Error('ferretdb not found: set FERRETDB_BIN, put it on PATH or in ~/go/bin');
  const dataDir = await tempDir('ferretdb-');
  const port = await freePort();
  const child = spawn(
    '/bin/sh',
    [
      '-c',
      WATCHDOG,
      'ferretdb-watchdog',
      binary,
      '--handler=sqlite',
      `--sqlite-url=file:${dataDir}/`,
      `--state-dir=${dataDir}`, // default '.' would write state.json into the repo
      `--listen-addr=127.0.0.1:${port}`,
      '--debug-addr=-', // '-' disables the HTTP debug listener (fixed port 8088 clashes between servers)
      '--telemetry=disable',
      '--log-level=warn',
    ],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
  const uri = `mongodb://127.0.0.1:${port}/`;
  const exitedEarly = rejectOnExit(child, () => stderr);
  exitedEarly.catch(() => undefined); // after start-up, an exit is stop() doing its job
  try {
    await Promise.race([waitForPing(uri), exitedEarly]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  // Never keep the test process alive. The pipes are net.Sockets, whose unref the typings hide.
  child.unref();
  for (const stream of [child.stdin, child.stderr]) (stream as unknown as { unref?: () => void } | null)?.unref?.();
  return { uri, stop: () => stopChild(child) };
}

/** One server per test process, started on first use; it stops with the process (or stopSharedFerretDb()). */
let shared: Promise<FerretDb> | null = null;
export async function ferretUri(): Promise<string> {
  shared ??= startFerretDb();
  return (await shared).uri;
}

export async function stopSharedFerretDb(): Promise<void> {
  const server = shared;
  shared = null;
  if (server) await (await server).stop();
}

/**
 * The driver's server selection retries until its timeout, so a single connect() is the
 * event-based wait; a fresh client per attempt (a failed client stays closed).
 */
async function waitForPing(uri: string): Promise<void> {
  const deadline = Date.now() + READY_WITHIN_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: Math.max(500, deadline - Date.now()) });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      return;
    } catch (error) {
      lastError = error;
    } finally {
      await client.close().catch(() => undefined);
    }
  }
  throw new Error(`FerretDB at ${uri} did not answer within ${READY_WITHIN_MS} ms`, { cause: lastError });
}

function rejectOnExit(child: ChildProcess, stderr: () => string): Promise<never> {
  return new Promise((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`ferretdb exited early (code ${code}, signal ${signal}):\n${stderr()}`)),
    );
  });
}

/** Closing the watchdog's stdin makes it kill ferretdb; the shell exits once ferretdb has. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.stdin?.end();
  });
}
