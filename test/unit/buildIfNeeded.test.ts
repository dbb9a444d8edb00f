// npm start builds the client only when what the build reads changed (scripts/buildIfNeeded.ts).
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clientBuildIsFresh, ensureClientBuilt, hashBuildInputs, STAMP } from '../../scripts/buildIfNeeded.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

describe('building the client only when needed', () => {
  let root: string;

  beforeEach(async () => {
    // A repo in miniature: what the build reads, and a dist/ built from exactly that.
    root = await mkdtemp(join(tmpdir(), 'ld-build-'));
    await mkdir(join(root, 'client', 'pages'), { recursive: true });
    await mkdir(join(root, 'shared'), { recursive: true });
    await mkdir(join(root, 'dist'), { recursive: true });
    await writeFile(join(root, 'client', 'main.ts'), 'import "./pages/a.js";\n');
    await writeFile(join(root, 'client', 'pages', 'a.ts'), 'export const a = 1;\n');
    await writeFile(join(root, 'client', 'vite.config.ts'), 'export default {};\n');
    await writeFile(join(root, 'shared', 'limits.ts'), 'export const L = 1;\n');
    await writeFile(join(root, 'package.json'), '{"name":"x"}\n');
    await writeFile(join(root, 'package-lock.json'), '{"lockfileVersion":3}\n');
    await writeFile(join(root, 'dist', 'index.html'), '<!doctype html>');
    await writeFile(join(root, 'dist', STAMP), JSON.stringify({ inputs: hashBuildInputs(root) }));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('[FL11] nothing changed: no build (ensureClientBuilt returns without running vite)', async () => {
    expect(clientBuildIsFresh(root)).toBe(true);
    // There is no node_modules/vite here: a build would fail, so returning false proves none ran.
    await expect(ensureClientBuilt({ root })).resolves.toBe(false);
  });

  it('[FL11] a changed, added or removed client or shared file, the vite config or the lockfile means a build', async () => {
    const changes: Array<[string, () => Promise<void>]> = [
      ['client file edited', () => writeFile(join(root, 'client', 'pages', 'a.ts'), 'export const a = 2;\n')],
      ['client file added', () => writeFile(join(root, 'client', 'pages', 'b.ts'), 'export {};\n')],
      ['shared file removed', () => rm(join(root, 'shared', 'limits.ts'))],
      ['vite config edited', () => writeFile(join(root, 'client', 'vite.config.ts'), 'export default { base: "/" };\n')],
      ['lockfile edited', () => writeFile(join(root, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}\n')],
    ];
    for (const [what, change] of changes) {
      const stamp = await readFile(join(root, 'dist', STAMP), 'utf8');
      await change();
      expect(clientBuildIsFresh(root), what).toBe(false);
      // Re-stamp for the next case.
      await writeFile(join(root, 'dist', STAMP), stamp.replace(/"inputs":"[0-9a-f]+"/, `"inputs":"${hashBuildInputs(root)}"`));
      expect(clientBuildIsFresh(root), `${what}, then built`).toBe(true);
    }
  });

  it('[FL11] no dist/ or no stamp (an older build): a build; a file outside the inputs changes nothing', async () => {
    await writeFile(join(root, 'README.md'), 'docs\n');
    await mkdir(join(root, 'server'), { recursive: true });
    await writeFile(join(root, 'server', 'main.ts'), 'export {};\n');
    expect(clientBuildIsFresh(root)).toBe(true);
    await rm(join(root, 'dist', STAMP));
    expect(clientBuildIsFresh(root)).toBe(false);
    await rm(join(root, 'dist'), { recursive: true });
    expect(clientBuildIsFresh(root)).toBe(false);
  });

  it('[FL11] npm start builds only if needed, then starts the server', async () => {
    const pkg = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toMatch(/^npm run build:if-needed && (MALLOC_ARENA_MAX=\S+ )?node --import tsx server\/main\.ts$/);
    expect(pkg.scripts['build:if-needed']).toBe('node --import tsx scripts/buildIfNeeded.ts');
  });
});
