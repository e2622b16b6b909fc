// Preloaded with --import by tests that check what a command loads: records every module URL the
// main thread resolves (ES modules and require), and writes them, one per line, at exit to the
// file PROVENANT_TEST_MODULES_OUT names.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { isMainThread } from 'node:worker_threads';

if (isMainThread && process.env.PROVENANT_TEST_MODULES_OUT) {
  const seen = new Set();
  registerHooks({
    resolve(specifier, context, next) {
      const resolved = next(specifier, context);
      seen.add(resolved.url);
      return resolved;
    },
  });
  process.on('exit', () => writeFileSync(process.env.PROVENANT_TEST_MODULES_OUT, [...seen].join('\n')));
}
