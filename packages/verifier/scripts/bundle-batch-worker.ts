// Rewrites dist/batch-worker.js (tsc's output) as one file holding the verifier's and
// @provenant/core's modules that a batch worker thread loads. A worker is a fresh isolate that
// loads its modules before it can take work, on the critical path of every batch: as ~70 separate
// ES modules that took 55–90 ms here, as one file 15–30 ms (measured with `npm run bench`).
// Third-party packages (@sigstore/*, @noble/curves, semver, ...) stay imports resolved from
// node_modules at run time, so that their updates reach the worker as they reach the main thread.
// The file sits at dist's root, so that the verifier's lazy requires of its own modules
// (lazy-modules.ts) resolve to the unbundled dist files, as they do on the main thread.
import { build } from 'esbuild';

const entry = new URL('../dist/batch-worker.js', import.meta.url).pathname;

await build({
  entryPoints: [entry],
  outfile: entry,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  logLevel: 'warning',
  legalComments: 'none',
  plugins: [
    {
      name: 'only-own-packages',
      setup(b) {
        // Bare specifiers (node: builtins, npm packages) are left to Node, except provenant's own.
        b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@provenant/') ? undefined : { path: args.path, external: true }));
      },
    },
  ],
});
