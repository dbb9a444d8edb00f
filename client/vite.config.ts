import { defineConfig } from 'vite';
import { precompress, serviceWorkerPrecache } from '../scripts/vitePlugins.js';
import { embedBuild } from '../scripts/embedBuild.js';

/** Where the API server listens during `npm run dev` (scripts/dev.ts starts it). */
const API_TARGET = 'http://localhost:8080';

const here = (p: string) => decodeURIComponent(new URL(p, import.meta.url).pathname);

export default defineConfig({
  root: here('.'),
  // Icons and the web manifest, copied as they are (unhashed names: the page links them by name).
  publicDir: here('./public'),
  // embedBuild: <livedesk-feed> for other sites, built alone as one script (scripts/embedBuild.ts).
  plugins: [serviceWorkerPrecache({ publicDir: here('./public') }), embedBuild(), precompress()],
  // Decorators: oxc takes experimentalDecorators / useDefineForClassFields from client/tsconfig.json,
  // the nearest tsconfig of each client module. Without it the built JS would keep raw `@customElement`.
  build: {
    outDir: here('../dist'),
    emptyOutDir: true,
    target: 'es2022',
    // No source maps in production (they were 2.8 MB, served publicly); `vite` dev keeps its own.
    sourcemap: false,
    // dist/.vite/manifest.json: the chunk graph, for bench/firstLoad.ts and the e2e budget test (never served).
    manifest: true,
    rolldownOptions: {
      input: {
        // The desk app (sign-in included).
        index: here('./index.html'),
        // The public live page's script (/live/<slug>, rendered by the server, which reads this
        // entry's file and style from the manifest): no Yjs, no editor, no desk code.
        reader: here('./reader/main.ts'),
        // The correspondent's filing page (/file): lit and the outbox, no Yjs, no editor, no desk code.
        file: here('./file.html'),
        // The service worker: /sw.js (its scope is the whole site), no hash, no imports.
        sw: here('./sw.ts'),
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: API_TARGET, changeOrigin: false },
      '/healthz': { target: API_TARGET },
      '/socket.io': { target: API_TARGET, ws: true },
      '/collab': { target: API_TARGET, ws: true },
    },
  },
});
