import { defineConfig } from 'vite';

/** Where the API server listens during `npm run dev` (scripts/dev.ts starts it). */
const API_TARGET = 'http://localhost:8080';

const here = (p: string) => decodeURIComponent(new URL(p, import.meta.url).pathname);

export default defineConfig({
  root: here('.'),
  publicDir: false,
  // Decorators: oxc takes experimentalDecorators / useDefineForClassFields from client/tsconfig.json,
  // the nearest tsconfig of each client module. Without it the built JS would keep raw `@customElement`.
  build: {
    outDir: here('../dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    rolldownOptions: {
      input: {
        // The desk app (sign-in included). reader.html joins here later: readers never load Yjs.
        index: here('./index.html'),
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
