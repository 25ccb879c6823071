// Monaco's workers, bundled beside the page by build.mjs (GraphiQL ships worker setups only for vite, webpack and
// esm.sh). Must run before GraphiQL loads.
const base = new URL('./', import.meta.url);
globalThis.MonacoEnvironment = {
  getWorker(_id, label) {
    const file = label === 'json' ? 'json.worker.js' : label === 'graphql' ? 'graphql.worker.js' : 'editor.worker.js';
    return new Worker(new URL(file, base), { type: 'module' });
  },
};
