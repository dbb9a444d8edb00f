import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * vitest globalSetup of the e2e project: builds the client once (`vite build` into dist/) so the
 * tests load the real built pages from the real server. Skipped when dist/index.html is newer than
 * every file in client/ and shared/ (a cheap mtime walk), so reruns start at once.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const SOURCES = ['client', 'shared', 'package.json', 'package-lock.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs; // a deleted file bumps its directory
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

export function clientBuildIsFresh(): boolean {
  const built = join(root, 'dist', 'index.html');
  if (!existsSync(built)) return false;
  const builtAt = statSync(built).mtimeMs;
  return SOURCES.every((s) => newestMtime(join(root, s)) < builtAt);
}

export default function setup(): void {
  if (process.env.E2E_SKIP_BUILD === '1') return;
  if (clientBuildIsFresh()) {
    console.log('[e2e] dist/ is newer than client/ and shared/: not rebuilding');
    return;
  }
  const started = Date.now();
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const res = spawnSync(process.execPath, [vite, 'build', '--config', 'client/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' },
    timeout: 240_000,
  });
  if (res.status !== 0) {
    throw new Error(`[e2e] vite build failed (exit ${res.status ?? res.signal}):\n${res.stdout}\n${res.stderr}`);
  }
  console.log(`[e2e] built the client into dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
