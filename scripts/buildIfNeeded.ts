// `npm start` builds the client only when its inputs changed: a SHA-256 over client/, shared/,
// the build scripts, package.json and package-lock.json is compared with dist/.build-stamp, written
// after each successful `vite build`. `--force` (npm run build) always builds. A lock directory
// keeps two builds (npm start, an e2e run) from writing dist/ at once.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** What the build reads. Folders are walked (dot-entries and node_modules skipped). */
export const BUILD_INPUTS = ['client', 'shared', 'scripts/vitePlugins.ts', 'scripts/embedBuild.ts', 'scripts/buildIfNeeded.ts', 'package.json', 'package-lock.json'];
export const STAMP = '.build-stamp';

function filesOf(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => !name.startsWith('.') && name !== 'node_modules')
    .sort()
    .flatMap((name) => filesOf(join(path, name)));
}

/** One hash over every input file's path and bytes. */
export function hashBuildInputs(root = ROOT): string {
  const h = createHash('sha256');
  for (const input of BUILD_INPUTS) {
    for (const file of filesOf(join(root, input))) {
      h.update(relative(root, file).split('\\').join('/')).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  return h.digest('hex');
}

export function builtHash(outDir: string): string | null {
  try {
    return (JSON.parse(readFileSync(join(outDir, STAMP), 'utf8')) as { inputs?: string }).inputs ?? null;
  } catch {
    return null;
  }
}

export function clientBuildIsFresh(root = ROOT, outDir = join(root, 'dist')): boolean {
  return existsSync(join(outDir, 'index.html')) && builtHash(outDir) === hashBuildInputs(root);
}

function runVite(root: string): Promise<void> {
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [vite, 'build', '--config', 'client/vite.config.ts', '--logLevel', 'warn'], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    child.on('error', fail);
    child.on('exit', (code, signal) => (code === 0 ? done() : fail(new Error(`vite build failed (exit ${code ?? signal})`))));
  });
}

/** mkdir is atomic: the first process to create the directory builds, the others wait for it. */
async function withBuildLock<T>(root: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(tmpdir(), `livedesk-build-${createHash('sha256').update(resolve(root)).digest('hex').slice(0, 12)}.lock`);
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than 5 minutes was left by a killed build.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      } catch { /* gone meanwhile */ }
      if (Date.now() > deadline) throw new Error(`waited 5 minutes for another client build (${lock})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Builds dist/ unless it was built from exactly these inputs; returns whether it built. */
export async function ensureClientBuilt(opts: { root?: string; force?: boolean; log?: (msg: string) => void } = {}): Promise<boolean> {
  const root = opts.root ?? ROOT;
  const log = opts.log ?? (() => {});
  const outDir = join(root, 'dist');
  return withBuildLock(root, async () => {
    const inputs = hashBuildInputs(root);
    if (!opts.force && existsSync(join(outDir, 'index.html')) && builtHash(outDir) === inputs) {
      log('client: dist/ is up to date (same client/, shared/, build config and lockfile): not rebuilding');
      return false;
    }
    const started = Date.now();
    await runVite(root);
    writeFileSync(join(outDir, STAMP), `${JSON.stringify({ inputs, builtAt: new Date().toISOString() })}\n`);
    log(`client: built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return true;
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureClientBuilt({ force: process.argv.includes('--force'), log: (m) => console.log(m) }).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
