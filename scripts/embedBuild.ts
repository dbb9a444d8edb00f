// The embed (<livedesk-feed>, client/embed/) as ONE classic script: a second, nested Vite build run
// from client/vite.config.ts after the desk's bundle is written. In the desk's build it would share
// chunks (lit, socket.io-client) with the other entries and become an ES module graph; other
// sites include one <script src>, so it is built alone, as an IIFE with everything inlined.
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
/** The embed build's own manifest (the desk's is .vite/manifest.json): the server reads the hashed name from it. */
export const EMBED_MANIFEST = '.vite/embed-manifest.json';

export function embedBuild(): Plugin {
  let outDir = '';
  return {
    name: 'livedesk:embed',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    // writeBundle, not closeBundle: the desk's outDir is emptied before its files are written, and
    // precompress (closeBundle) then writes the embed's .br and .gz copies with everyone else's.
    async writeBundle() {
      await build({
        configFile: false,
        root: here('../client'),
        publicDir: false,
        logLevel: 'warn',
        build: {
          outDir,
          emptyOutDir: false,
          target: 'es2020',
          sourcemap: false,
          manifest: EMBED_MANIFEST,
          copyPublicDir: false,
          rolldownOptions: {
            input: { embed: here('../client/embed/main.ts') },
            output: { format: 'iife', entryFileNames: 'assets/[name]-[hash].js' },
          },
        },
      });
    },
  };
}
