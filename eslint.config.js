// @ts-check
import { posix } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The layer table of docs/architecture.md §1, enforced. Imports are relative paths, so each rule
// is written once per depth below its folder: from `server/features/entries/x.ts`, `server/http`
// is `../../http`. A change of the table changes this and that file in one commit.
const MAX_DEPTH = 4;
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const HOW = 'See the layer table in docs/architecture.md.';

/** `target` (a folder, or a .ts file) as a file `depth` folders below `folder` writes it: a regex. */
function importOf(folder, depth, target) {
  const path = '../'.repeat(depth) + posix.relative(folder, target);
  const spec = path.startsWith('.') ? path : `./${path}`;
  return target.endsWith('.ts') ? `^${escape(spec.replace(/\.ts$/, '.js'))}$` : `^${escape(spec)}(/|$)`;
}

/**
 * `no-restricted-imports` for every file under `folder`: never the repo paths in `paths` (folders
 * or files, from the repo root), never the packages matched by `packages` (a regex).
 */
function layer(folder, { paths = [], packages, why }) {
  return Array.from({ length: MAX_DEPTH + 1 }, (_, depth) => ({
    files: [`${folder}/${'*/'.repeat(depth)}*.ts`],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          ...paths.map((target) => ({ regex: importOf(folder, depth, target), message: `${folder}/ never imports ${target}: ${why} ${HOW}` })),
          ...(packages ? [{ regex: packages, message: `${folder}/ does not use this package: ${why} ${HOW}` }] : []),
        ],
      }],
    },
  }));
}

const EDGES = ['server/http', 'server/realtime', 'server/collab', 'server/upgrade.ts'];
const ADAPTERS = ['server/store/embedded', 'server/store/mongo', 'server/store/openStore.ts'];
const COMPOSITION = ['server/createServer.ts', 'server/main.ts', 'server/seed'];
const FEATURES = ['server/features'];
const except = (list, ...own) => list.filter((p) => !own.includes(p));
const SERVER_LIBS = '^(express|socket\\.io|ws|engine\\.io)(/|$)';

const layers = [
  // shared/ runs on both sides: nothing outside shared/, and only the packages the table lists.
  ...Array.from({ length: MAX_DEPTH + 1 }, (_, depth) => ({
    files: [`shared/${'*/'.repeat(depth)}*.ts`],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: `^${escape('../'.repeat(depth + 1))}`, message: `shared/ imports only shared/: it runs on both sides. ${HOW}` },
          { regex: '^(?!\\.{1,2}/|(zod|yjs|prosemirror-model|fractional-indexing)$)', message: `shared/ may use zod, yjs, prosemirror-model and fractional-indexing only (never node:*, express, ws, socket.io). ${HOW}` },
        ],
      }],
    },
  })),
  ...layer('server/features', {
    paths: [...EDGES, ...ADAPTERS, ...COMPOSITION, 'server/edgeSupport'],
    packages: SERVER_LIBS,
    why: 'features hold the rules; edges call them, never the reverse (a feature that needs an edge declares a port).',
  }),
  ...['server/store/embedded', 'server/store/mongo'].flatMap((adapter) =>
    layer(adapter, {
      paths: [...FEATURES, ...EDGES, ...COMPOSITION, 'server/edgeSupport', ...except(ADAPTERS, adapter)],
      packages: SERVER_LIBS,
      why: 'an adapter implements the store port with its own driver and knows nothing above it.',
    }),
  ),
  ...layer('server/store/ports', {
    paths: [...FEATURES, ...EDGES, ...ADAPTERS, ...COMPOSITION, 'server/edgeSupport'],
    packages: SERVER_LIBS,
    why: 'the store port is types over shared/ only.',
  }),
  ...['server/http', 'server/realtime', 'server/collab'].flatMap((edge) =>
    layer(edge, {
      paths: [...except(EDGES, edge), ...ADAPTERS, ...COMPOSITION],
      why: 'no edge imports another edge or an adapter; what two edges share lives in server/edgeSupport/.',
    }),
  ),
  ...layer('server/edgeSupport', {
    paths: [...EDGES, ...ADAPTERS, ...COMPOSITION],
    why: 'edge helpers are shared by every edge and belong to none.',
  }),
  {
    // The upgrade router hands sockets to Socket.IO and collab (it may name their types), never to http/.
    files: ['server/upgrade.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [...['server/http', ...ADAPTERS, ...COMPOSITION].map((target) => ({
          regex: importOf('server', 0, target),
          message: `server/upgrade.ts never imports ${target}: it routes upgrades to realtime/ and collab/ only. ${HOW}`,
        }))],
      }],
    },
  },
  ...layer('client', {
    paths: ['server', 'test', 'bench'],
    packages: SERVER_LIBS,
    why: 'the client talks to the server over HTTP, Socket.IO and /collab only; shared code lives in shared/.',
  }),
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'screenshots/**', 'data/**', 'bench/.reference/**', 'bench/results/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use a const object with a same-name type.' }],
    },
  },
  {
    files: ['test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  ...layers,
);
