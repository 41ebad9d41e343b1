// Bundles the browser code the gateway serves (the GraphiQL playground and the reader page) into
// dist/web, from npm packages only: nothing is fetched from a CDN at run time.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'web');
fs.rmSync(out, { recursive: true, force: true });

/** The example operations of schema/, each with the variables its "# variables:" comment gives. */
function examples() {
  const dir = path.join(root, 'schema');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.graphql') && f !== 'schema.graphql')
    .sort()
    .map((file) => {
      const query = fs.readFileSync(path.join(dir, file), 'utf8');
      const variables = /^# variables: (.*)$/m.exec(query)?.[1] ?? '';
      return { file, query, variables: variables ? JSON.stringify(JSON.parse(variables), null, 2) : undefined };
    });
}

const common = {
  bundle: true,
  minify: true,
  sourcemap: false,
  target: ['chrome110', 'firefox110', 'safari16'],
  logLevel: 'warning',
  legalComments: 'none',
};

const monaco = path.join(root, 'node_modules', 'monaco-editor', 'esm', 'vs');
await build({
  ...common,
  entryPoints: {
    'editor.worker': path.join(monaco, 'editor', 'editor.worker.js'),
    'json.worker': path.join(monaco, 'language', 'json', 'json.worker.js'),
    'graphql.worker': path.join(root, 'node_modules', 'monaco-graphql', 'esm', 'graphql.worker.js'),
  },
  outdir: path.join(out, 'playground'),
  format: 'iife',
});

await build({
  ...common,
  entryPoints: { playground: path.join(root, 'web', 'playground', 'main.tsx') },
  outdir: path.join(out, 'playground'),
  format: 'esm',
  jsx: 'automatic',
  loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'dataurl' },
  assetNames: '[name]-[hash]',
  define: { 'process.env.NODE_ENV': '"production"', EXAMPLE_OPERATIONS: JSON.stringify(examples()) },
});

await build({
  ...common,
  entryPoints: { reader: path.join(root, 'web', 'reader', 'main.ts') },
  outdir: path.join(out, 'reader'),
  format: 'esm',
  loader: { '.graphql': 'text' },
});
fs.copyFileSync(path.join(root, 'web', 'reader', 'reader.css'), path.join(out, 'reader', 'reader.css'));
