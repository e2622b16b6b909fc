// `provenant doctor` through the built CLI: one line per check on stdout, exit 0 without a FAIL and
// 1 with any, and it accepts an attest command line unchanged.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FAKE_SECRETS, GITHUB_ENV } from '../packages/generator/src/collectors/testing/ci-env.ts';
import { runCli, tempDir } from './support/cli.ts';

const LINE = /^(OK|WARN|FAIL) (id-token|runner|repository-url|transparency-log|subjects|lockfile): \S.*$/;

/** A package to publish: dist/ built, a lockfile, repository.url matching GITHUB_ENV's repository. */
async function project(t: { after: (fn: () => Promise<void>) => unknown }, manifest: Record<string, unknown> = {}): Promise<string> {
  const dir = await tempDir(t);
  await mkdir(join(dir, 'dist'));
  await writeFile(join(dir, 'dist', 'app.js'), 'console.log(1)\n');
  await writeFile(join(dir, 'package-lock.json'), JSON.stringify({ name: 'app', lockfileVersion: 3, packages: { '': { name: 'app' } } }));
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'app', version: '1.0.0', repository: { type: 'git', url: 'git+https://github.com/octo-org/octo-repo.git' }, ...manifest }),
  );
  return dir;
}

describe('provenant doctor', () => {
  test('GitHub Actions with everything in place: exit 0, six lines, no FAIL', async (t) => {
    const dir = await project(t);
    const r = await runCli(['doctor', '--subject', 'dist/'], { cwd: dir, env: { ...GITHUB_ENV, SIGSTORE_ID_TOKEN: '' } });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 6, r.stdout);
    for (const line of lines) assert.match(line, LINE);
    // No event payload to read the visibility from (GITHUB_EVENT_PATH does not exist here): a WARN, not a FAIL.
    assert.match(r.stdout, /^WARN transparency-log: cannot tell whether the repository is public/m);
    assert.match(r.stdout, /^OK subjects: 1 subject$/m);
    assert.equal(r.stderr, '');
  });

  test('missing id-token: write, a self-hosted runner and another repository: exit 1, a FAIL line each, with the fix', async (t) => {
    const dir = await project(t, { repository: 'https://github.com/someone-else/fork', publishConfig: { provenance: true } });
    const env: Record<string, string> = { ...GITHUB_ENV, RUNNER_ENVIRONMENT: 'self-hosted', SIGSTORE_ID_TOKEN: '', ACTIONS_ID_TOKEN_REQUEST_URL: '' };
    const r = await runCli(['doctor', '--subject', 'dist/'], { cwd: dir, env });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^FAIL id-token: .* — add `permissions: id-token: write` to the job$/m);
    assert.match(r.stdout, /^FAIL runner: self-hosted runner, .* — run the publish job on a GitHub-hosted runner/m);
    assert.match(r.stdout, /^FAIL repository-url: package\.json repository\.url https:\/\/github\.com\/someone-else\/fork vs .* — set "repository"/m);
    for (const secret of FAKE_SECRETS) assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret));
  });

  test('takes an attest command line unchanged (--key, --out, --sbom are accepted; nothing is written)', async (t) => {
    const dir = await project(t);
    const key = await runCli(['keygen', '--out', join(dir, 'release')], { cwd: dir });
    assert.equal(key.status, 0, key.stderr);
    const r = await runCli(['doctor', '--subject', 'dist/*.js', '--key', 'release.key', '--sbom', '--out', 'build.sigstore.json'], { cwd: dir });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^OK id-token: signing with --key needs no OIDC token$/m);
    assert.match(r.stdout, /^OK transparency-log: signing with --key writes nothing/m);
    const listed = await runCli(['doctor', '--help']);
    for (const flag of ['--subject', '--lockfile', '--key', '--keyless', '--signing-config', '--rekor-url', '--out']) assert.match(listed.stdout, new RegExp(`${flag}\\b`));
  });

  test('a subject that is not there: FAIL before any hashing', async (t) => {
    const dir = await project(t);
    const r = await runCli(['doctor', '--subject', 'build/', '--key', 'x.key'], { cwd: dir });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^FAIL subjects: --subject build\/ does not exist — build before attesting/m);
  });
});
