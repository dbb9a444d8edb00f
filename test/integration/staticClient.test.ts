// The built client as the server sends it: compression, caching, icons, 404s for missing files,
// and any install path (issue 9, "First load that works on a phone"). A small hand-made build in a
// temp dir stands in for dist/ (the e2e suite checks the real one).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gzipSync, gunzipSync } from 'node:zlib';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/startTestServer.js';

const SHELL = '<!doctype html><title>Livedesk</title><link rel="icon" href="/favicon.ico"><ld-app></ld-app>' + ' '.repeat(600);
const SCRIPT = `export const desk = ${JSON.stringify('Жаңалықтар '.repeat(200))};\n`;
const ICO = Buffer.from([0, 0, 1, 0, 1, 0, 16, 16, 0, 0, 1, 0, 32, 0, 4, 0, 0, 0, 22, 0, 0, 0, 1, 2, 3, 4]);

/** A build as `vite build` + scripts/vitePlugins.ts leave it: files, .br/.gz copies, dot-files. */
async function writeBuild(dir: string): Promise<void> {
  await mkdir(join(dir, 'assets'), { recursive: true });
  await mkdir(join(dir, '.vite'), { recursive: true });
  const files: Record<string, string | Buffer> = {
    'index.html': SHELL,
    'assets/index-AbC123.js': SCRIPT,
    'assets/index-AbC123.js.map': '{"version":3,"sources":["../client/main.ts"]}',
    'sw.js': `self.addEventListener('fetch', () => {}); // ${'x'.repeat(600)}`,
    'favicon.ico': ICO,
    'favicon.svg': '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64"/></svg>',
    'manifest.webmanifest': JSON.stringify({ name: 'Livedesk', icons: [] }),
    '.vite/manifest.json': '{"index.html":{"file":"assets/index-AbC123.js"}}',
    '.build-stamp': '{"inputs":"abc"}',
  };
  for (const [name, body] of Object.entries(files)) await writeFile(join(dir, name), body);
  for (const name of ['index.html', 'assets/index-AbC123.js', 'sw.js']) {
    const raw = Buffer.from(files[name] as string);
    await writeFile(join(dir, `${name}.br`), brotliCompressSync(raw));
    await writeFile(join(dir, `${name}.gz`), gzipSync(raw));
  }
}

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET with exactly these headers (fetch would add and undo its own Accept-Encoding). */
function get(server: TestServer, path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the built client over HTTP', () => {
  let server: TestServer;
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ld-static-'));
    await writeBuild(join(root, 'dist'));
    server = await startTestServer({ clientDir: join(root, 'dist'), seed: false });
  });
  afterAll(async () => {
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('[FL1] scripts, the page and the worker are sent brotli or gzip as the request accepts, else as they are', async () => {
    for (const path of ['/assets/index-AbC123.js', '/', '/sw.js']) {
      const plain = await get(server, path, { 'accept-encoding': 'identity' });
      expect(plain.status, path).toBe(200);
      expect(plain.headers['content-encoding'], path).toBeUndefined();
      expect(plain.headers.vary, path).toMatch(/Accept-Encoding/i);

      const br = await get(server, path, { 'accept-encoding': 'gzip, deflate, br, zstd' }); // Chromium's
      expect(br.headers['content-encoding'], path).toBe('br');
      expect(br.headers.vary, path).toMatch(/Accept-Encoding/i);
      expect(brotliDecompressSync(br.body).equals(plain.body), path).toBe(true);
      expect(br.body.length, path).toBeLessThan(plain.body.length / 2);

      const gz = await get(server, path, { 'accept-encoding': 'gzip' });
      expect(gz.headers['content-encoding'], path).toBe('gzip');
      expect(gunzipSync(gz.body).equals(plain.body), path).toBe(true);

      // q-values: gzip preferred over brotli gets gzip; brotli refused gets gzip.
      expect((await get(server, path, { 'accept-encoding': 'br;q=0.5, gzip' })).headers['content-encoding'], path).toBe('gzip');
      expect((await get(server, path, { 'accept-encoding': 'br;q=0, gzip;q=0.8' })).headers['content-encoding'], path).toBe('gzip');
    }
    const js = await get(server, '/assets/index-AbC123.js', { 'accept-encoding': 'br' });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(brotliDecompressSync(js.body).toString('utf8')).toBe(SCRIPT);
    // A client route gets the page, compressed too.
    const route = await get(server, '/files/AbCdEfGhIjKl', { 'accept-encoding': 'br' });
    expect(route.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(route.body).toString('utf8')).toBe(SHELL);
  });

  it('[FL2] hashed assets are cached for a year, immutable; the page and the worker are revalidated', async () => {
    expect((await get(server, '/assets/index-AbC123.js')).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const path of ['/', '/index.html', '/files/AbCdEfGhIjKl', '/signin', '/sw.js']) {
      const res = await get(server, path);
      expect(res.status, path).toBe(200);
      expect(res.headers['cache-control'], path).toBe('no-cache');
    }
    // A revalidation of an unchanged page costs a 304, not the page again.
    const first = await get(server, '/', { 'accept-encoding': 'br' });
    const again = await get(server, '/', { 'accept-encoding': 'br', 'if-none-match': String(first.headers.etag) });
    expect(again.status).toBe(304);
  });

  it('[FL3] a source map is never served, even when one is on disk', async () => {
    const res = await get(server, '/assets/index-AbC123.js.map');
    expect(res.status).toBe(404);
    expect(res.body.toString()).not.toContain('sources');
    // Nor the compressed copies by their own names.
    expect((await get(server, '/assets/index-AbC123.js.br')).status).toBe(404);
  });

  it('[FL4] /favicon.ico is the icon; a missing file is a 404, never the HTML page', async () => {
    const ico = await get(server, '/favicon.ico');
    expect(ico.status).toBe(200);
    expect(ico.headers['content-type']).toBe('image/x-icon');
    expect(ico.body.equals(ICO)).toBe(true);
    expect((await get(server, '/favicon.svg')).headers['content-type']).toBe('image/svg+xml');
    expect((await get(server, '/manifest.webmanifest')).headers['content-type']).toBe('application/manifest+json');
    for (const path of ['/assets/index-Gone99.js', '/assets/nothing', '/apple-touch-icon-precomposed.png', '/robots.txt', '/files/x/app.js']) {
      const res = await get(server, path);
      expect(res.status, path).toBe(404);
      expect(String(res.headers['content-type']), path).not.toMatch(/html/);
      expect(res.body.toString(), path).not.toContain('<ld-app>');
    }
    // Paths of the client's routes still get the page [BI6].
    expect((await get(server, '/files/anything')).body.toString()).toContain('<ld-app>');
  });

  it('[FL5] dot-files inside the build are not served', async () => {
    for (const path of ['/.build-stamp', '/.vite/manifest.json', '/.vite/', '/assets/../.build-stamp', '/%2Evite/manifest.json']) {
      const res = await get(server, path);
      expect([400, 404], path).toContain(res.status);
      expect(res.body.toString(), path).not.toContain('inputs');
      expect(res.body.toString(), path).not.toContain('"file"');
    }
  });
});

describe('installed under a dot-directory', () => {
  it('[FL5] with the build under ~/.cache/… the page and its assets answer 200, not 500', async () => {
    const home = await mkdtemp(join(tmpdir(), 'ld-home-'));
    const dist = join(home, '.cache', 'livedesk', '.local', 'dist');
    await writeBuild(dist);
    const server = await startTestServer({ clientDir: dist, seed: false });
    try {
      for (const path of ['/', '/files/AbCdEfGhIjKl', '/assets/index-AbC123.js', '/favicon.ico', '/sw.js']) {
        const res = await get(server, path, { 'accept-encoding': 'br' });
        expect(res.status, path).toBe(200);
      }
      expect(brotliDecompressSync((await get(server, '/', { 'accept-encoding': 'br' })).body).toString()).toBe(SHELL);
      expect((await get(server, '/.build-stamp')).status).toBe(404);
    } finally {
      await server.close();
      await rm(home, { recursive: true, force: true });
    }
  });
});
