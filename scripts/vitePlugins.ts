// Build-time plugins of client/vite.config.ts (node side: they read and write dist/).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** Text types worth compressing; the server serves `<file>.br` / `<file>.gz` by content negotiation. */
export const COMPRESSIBLE = /\.(js|css|html|svg|webmanifest|json|txt)$/;
/** Below this a compressed copy saves less than a packet. */
const MIN_BYTES = 512;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name.startsWith('.')) return []; // .vite/manifest.json, .build-stamp: never served
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Writes a brotli (quality 11) and a gzip (level 9) copy beside every text file of the build,
 * once, at build time: the server spends no CPU per request and phones get the smallest bytes.
 * A copy that is not at least 5 % smaller is not written (the server then sends the original).
 */
export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'livedesk:precompress',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      if (!existsSync(outDir)) return; // build.write: false
      for (const file of filesUnder(outDir)) {
        if (!COMPRESSIBLE.test(file)) continue;
        const raw = readFileSync(file);
        if (raw.length < MIN_BYTES) continue;
        const br = brotliCompressSync(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length } });
        const gz = gzipSync(raw, { level: 9 });
        if (br.length < raw.length * 0.95) writeFileSync(`${file}.br`, br);
        if (gz.length < raw.length * 0.95) writeFileSync(`${file}.gz`, gz);
      }
    },
  };
}

/** The token in client/sw.ts that the build replaces with the precache list. */
const PRECACHE_TOKEN = /(["'`])__LD_PRECACHE__\1/;

/** Each shell the service worker keeps: the page it serves for a navigation, and its HTML entry in the build. */
export const SHELLS = {
  /** The desk (index.html, every path but /file). */
  desk: { page: '/', html: 'index.html' },
  /** The filing page (file.html at /file), registered as `/sw.js?shell=file` for scope /file. */
  file: { page: '/file', html: 'file.html' },
} as const;
export type ShellName = keyof typeof SHELLS;

/** The files an HTML entry needs, now or later: what it links, and every chunk, style and asset those import (statically or lazily). */
function closureOf(bundle: Record<string, { type: string; fileName: string }>, htmlName: string): string[] {
  const html = bundle[htmlName] as { type: string; source?: unknown } | undefined;
  if (!html || html.type !== 'asset') return [];
  const seen = new Set<string>();
  const queue = [...String(html.source).matchAll(/(?:src|href)="\/?([^"?#]+)"/g)].map((m) => m[1]!).filter((f) => f in bundle);
  while (queue.length) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const f = bundle[name] as { type: string; imports?: string[]; dynamicImports?: string[]; viteMetadata?: { importedCss?: Set<string>; importedAssets?: Set<string> } };
    if (f?.type !== 'chunk') continue;
    queue.push(...(f.imports ?? []), ...(f.dynamicImports ?? []), ...(f.viteMetadata?.importedCss ?? []), ...(f.viteMetadata?.importedAssets ?? []));
  }
  return [...seen];
}

/**
 * Builds the service worker entry (`sw` in rolldownOptions.input) as `/sw.js` and writes into it
 * the shells to precache: per HTML entry (SHELLS), every chunk, style and asset it can load (no
 * source maps, no manifest) plus the files of publicDir but the PNG icons, and one version that
 * changes whenever any of them does. The worker reads which shell it keeps from its own URL.
 */
export function serviceWorkerPrecache(opts: { publicDir: string }): Plugin {
  return {
    name: 'livedesk:sw-precache',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const sw = Object.values(bundle).find((f) => f.type === 'chunk' && f.isEntry && f.name === 'sw');
      if (!sw || sw.type !== 'chunk') throw new Error('livedesk:sw-precache: no `sw` entry chunk in the bundle');
      const publicFiles = existsSync(opts.publicDir) ? filesUnder(opts.publicDir).map((f) => relative(opts.publicDir, f).split('\\').join('/')) : [];
      // The page needs its favicons and manifest offline; the PNG app icons are fetched when installed.
      const shellPublic = publicFiles.filter((f) => !f.endsWith('.png'));
      const htmlNames = new Set<string>(Object.values(SHELLS).map((s) => s.html));
      const keep = (name: string) => name !== sw.fileName && !htmlNames.has(name) && !name.endsWith('.map') && !name.startsWith('.');
      const shells = Object.fromEntries(Object.entries(SHELLS).map(([shell, { html }]) => {
        if (!bundle[html]) return [shell, []];
        const files = closureOf(bundle as unknown as Record<string, { type: string; fileName: string }>, html).filter(keep);
        return [shell, [...new Set([...files, ...shellPublic])].sort().map((name) => `/${name}`)];
      })) as Record<ShellName, string[]>;
      const pages = [...htmlNames].map((n) => bundle[n]).map((h) => (h && h.type === 'asset' ? String(h.source) : '')).join('\n');
      const version = createHash('sha256')
        .update(JSON.stringify(shells))
        .update(pages)
        .update(publicFiles.map((f) => readFileSync(join(opts.publicDir, f))).join('\n'))
        .digest('hex')
        .slice(0, 16);
      if (!PRECACHE_TOKEN.test(sw.code)) throw new Error('livedesk:sw-precache: __LD_PRECACHE__ not found in the service worker');
      sw.code = sw.code.replace(PRECACHE_TOKEN, JSON.stringify({ version, shells }));
    },
  };
}
