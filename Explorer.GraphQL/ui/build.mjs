// Bundles GraphiQL (and Monaco's three workers) into ../wwwroot/graphiql/ with esbuild: the IDE at /graphql/ui works
// offline, from this server only. Run by the project's MSBuild target when the output is missing or older than this folder.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '../wwwroot/graphiql');
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });

const common = {
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2022',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
  loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
};

await build({ ...common, entryPoints: { index: path.join(here, 'index.jsx') }, outdir: out, jsx: 'automatic' });
await build({
  ...common,
  entryPoints: {
    'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
    'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
    'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
  },
  outdir: out,
});
await copyFile(path.join(here, 'index.html'), path.join(out, 'index.html'));
console.log(`graphiql bundled into ${out}`);
