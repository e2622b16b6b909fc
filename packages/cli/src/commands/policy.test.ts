import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../main.ts';

async function cli(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await main(args, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    stderrIsTTY: false,
  });
  return { status, stdout, stderr };
}

let dir: string;

describe('provenant policy init | lint', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'provenant-policy-'));
    await mkdir(join(dir, 'dist'));
    await writeFile(join(dir, 'dist', 'app.js'), 'app\n');
    assert.equal((await cli(['keygen', '--out', join(dir, 'k')])).status, 0);
    assert.equal((await cli(['attest', '--cwd', dir, '--subject', 'dist/app.js', '--key', join(dir, 'k.key'), '--out', join(dir, 'b.sigstore.json'), '--no-deps'])).status, 0);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('init writes a policy the attestation passes, which lint accepts; --out is not overwritten without --force', async () => {
    const out = join(dir, 'policy.yaml');
    const init = await cli(['policy', 'init', '--from', join(dir, 'b.sigstore.json'), '--out', out, '--max-age', '7d']);
    assert.equal(init.status, 0, init.stderr);
    assert.match(init.stderr, /wrote .*policy\.yaml: review it/);
    const text = await readFile(out, 'utf8');
    assert.match(text, /^maxAge: 7d$/m);
    const lint = await cli(['policy', 'lint', out]);
    assert.equal(lint.status, 0);
    // The local builder records no source repository: lint says so.
    assert.match(lint.stdout, /policy\.yaml:1:1: warning: no source constraint .*\nOK \(1 warning\)\n$/);
    assert.equal((await cli(['policy', 'lint', out, '--strict'])).status, 2);
    const verify = await cli(['verify', join(dir, 'dist', 'app.js'), '--bundle', join(dir, 'b.sigstore.json'), '--key', join(dir, 'k.pub'), '--policy', out]);
    assert.equal(verify.status, 0, verify.stdout);
    const again = await cli(['policy', 'init', '--from', join(dir, 'b.sigstore.json'), '--out', out]);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /^provenant: USAGE: .*exists: give --force/);
    assert.equal((await cli(['policy', 'init', '--from', join(dir, 'b.sigstore.json')])).stdout.startsWith('# provenant policy'), true, 'stdout without --out');
  });

  it('lint prints each error as file:line:col and exits 2; --json for tools', async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'apiVersion: provenant.dev/v1\nkind: Policy\nmaxAge: soon\nsource:\n  urls: [x]\n');
    const r = await cli(['policy', 'lint', bad]);
    assert.equal(r.status, 2);
    assert.deepEqual(
      r.stdout.trim().split('\n').map((l) => l.replace(/: error: .*/, '')),
      [`${bad}:3:9`, `${bad}:5:3`],
    );
    const json = JSON.parse((await cli(['policy', 'lint', bad, '--json'])).stdout);
    assert.equal(json.ok, false);
    assert.equal(json.problems.length, 2);
    const missing = await cli(['policy', 'lint', join(dir, 'nope.yaml')]);
    assert.match(missing.stderr, /^provenant: FILE_UNREADABLE: /);
  });
});
