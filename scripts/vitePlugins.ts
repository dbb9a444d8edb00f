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

/**
 * Builds the service worker entry (`sw` in rolldownOptions.input) as `/sw.js` and writes into it
 * the app shell to precache: every emitted asset and chunk (no source maps, no manifest) plus the
 * files of publicDir, and a version that changes whenever any of them does.
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
      const emitted = Object.values(bundle)
        .map((f) => f.fileName)
        .filter((name) => name !== sw.fileName && name !== 'index.html' && !name.endsWith('.map') && !name.startsWith('.'));
      const urls = [...new Set([...emitted, ...shellPublic])].sort().map((name) => `/${name}`);
      const html = bundle['index.html'];
      const version = createHash('sha256')
        .update(urls.join('\n'))
        .update(html && html.type === 'asset' ? String(html.source) : '')
        .update(publicFiles.map((f) => readFileSync(join(opts.publicDir, f))).join('\n'))
        .digest('hex')
        .slice(0, 16);
      if (!PRECACHE_TOKEN.test(sw.code)) throw new Error('livedesk:sw-precache: __LD_PRECACHE__ not found in the service worker');
      sw.code = sw.code.replace(PRECACHE_TOKEN, JSON.stringify({ version, urls }));
    },
  };
}
