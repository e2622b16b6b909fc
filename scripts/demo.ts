// The README's first command ends here: provenant attests its own build output with a freshly
// generated key and verifies it. No network, no accounts. Keys live in a temporary directory that
// is removed afterwards, so no private key ever lands in the repository.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'packages', 'cli', 'dist', 'bin.js');
const work = mkdtempSync(join(tmpdir(), 'provenant-demo-'));

function provenant(...args: string[]): number {
  console.log(`$ provenant ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: root, stdio: 'inherit' });
  return result.status ?? 2;
}

try {
  const key = join(work, 'demo');
  const bundle = join(work, 'cli.sigstore.json');
  let status = provenant('keygen', '--out', key);
  if (status === 0) status = provenant('attest', '--subject', 'packages/cli/dist', '--subject', 'packages/core/dist/index.js', '--key', `${key}.key`, '--out', bundle);
  if (status === 0) status = provenant('inspect', bundle);
  if (status === 0) {
    status = provenant('verify', 'packages/cli/dist/bin.js', '--bundle', bundle, '--key', `${key}.pub`, '--max-age', '1h');
  }
  process.exitCode = status;
} finally {
  rmSync(work, { recursive: true, force: true });
}
