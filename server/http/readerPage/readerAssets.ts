import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The reader script's built files, from Vite's manifest (dist/.vite/manifest.json). */
export interface ReaderAssets {
  /** /assets/reader-<hash>.js, loaded as a module (deferred). */
  script: string;
  /** Chunks it imports statically: <link rel="modulepreload">. */
  preload: string[];
  /** The reader style sheet, inlined in the page (no request before first paint). */
  css: string;
  /** Its CSP source, 'sha256-…', for the page's style-src. */
  cssHash: string;
}

/** The Vite entry of the reader script (client/vite.config.ts). */
const ENTRY = 'reader/main.ts';

interface ManifestChunk { file: string; css?: string[]; imports?: string[]; isEntry?: boolean; name?: string }

function load(clientDir: string): ReaderAssets | null {
  let manifest: Record<string, ManifestChunk>;
  try {
    manifest = JSON.parse(readFileSync(join(clientDir, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  } catch {
    return null;
  }
  const entry = manifest[ENTRY];
  if (!entry) return null;
  const css = (entry.css ?? []).map((f) => readFileSync(join(clientDir, f), 'utf8')).join('\n')
    // Inlined in <style>: its text must not close the element (CSS reads \/ as /).
    .replace(/<\/(style)/gi, '<\\/$1');
  const preload: string[] = [];
  const walk = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || preload.includes(`/${chunk.file}`)) return;
    preload.push(`/${chunk.file}`);
    for (const k of chunk.imports ?? []) walk(k);
  };
  for (const k of entry.imports ?? []) walk(k);
  return { script: `/${entry.file}`, preload, css, cssHash: `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'` };
}

/**
 * The assets of the build in `clientDir`, read again when the manifest changes (a new build under
 * a running dev server). null when the client is not built or predates the reader entry: the page
 * then renders without its script and style, still whole and readable.
 */
export function readerAssets(clientDir: string): () => ReaderAssets | null {
  let cached: { mtimeMs: number; assets: ReaderAssets | null } | null = null;
  let checkedAt = 0;
  return () => {
    const now = Date.now();
    if (cached && now - checkedAt < 2000) return cached.assets;
    checkedAt = now;
    let mtimeMs = -1;
    try {
      mtimeMs = statSync(join(clientDir, '.vite', 'manifest.json')).mtimeMs;
    } catch { /* not built */ }
    if (!cached || cached.mtimeMs !== mtimeMs) cached = { mtimeMs, assets: mtimeMs < 0 ? null : load(clientDir) };
    return cached.assets;
  };
}
