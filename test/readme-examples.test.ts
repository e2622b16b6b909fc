// The ```ts examples in the package READMEs are run as they are, so they stay true to the code.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './support/cli.ts';

for (const pkg of ['core', 'generator', 'verifier', 'cli']) {
  test(`packages/${pkg}/README.md examples run`, async () => {
    const readme = await readFile(join(repoRoot, 'packages', pkg, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    assert.ok(blocks.length > 0, 'the README has a TypeScript example');
    for (const code of blocks) {
      // Written inside the package so that its @provenant/* imports resolve as a user's would.
      const file = join(repoRoot, 'packages', pkg, `.readme-example-${randomBytes(4).toString('hex')}.ts`);
      await writeFile(file, code);
      try {
        const r = spawnSync(process.execPath, ['--conditions=provenant-source', file], { encoding: 'utf8', timeout: 60_000 });
        assert.equal(r.status, 0, `${pkg} README example failed:\n${r.stderr}`);
        assert.notEqual(r.stdout.trim(), '', 'the example prints its result');
      } finally {
        await rm(file, { force: true });
      }
    }
  });
}
