// Through the CLI (in process): attest --sbom, verify with a dependencies policy and OSV
// advisories, diff of two builds. Runs once main.ts registers the options (lead wiring).
import assert from 'node:assert/strict';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCliInProcess, tempDir } from './support/cli.ts';

const FIXTURE = join(import.meta.dirname, '..', 'packages', 'generator', 'src', 'dependencies', 'fixtures', 'npm', 'small-v3');

const help = async (command: string) => (await runCliInProcess([command, '--help'])).stdout;
const WIRED = (await help('attest')).includes('--sbom') && (await help('verify')).includes('--advisories') && (await help('diff')).includes('<old>');
const skip = !WIRED && 'attest --sbom / verify --advisories / diff are not registered in main.ts yet';

/** A project with small-v3's lockfile (30 packages: debug 2.6.9 and 4.3.4, ms 2.0.0 ...), attested with --sbom. */
async function project(t: Parameters<typeof tempDir>[0]) {
  const dir = await tempDir(t);
  await cp(join(FIXTURE, 'package.json'), join(dir, 'package.json'));
  await cp(join(FIXTURE, 'package-lock.json'), join(dir, 'package-lock.json'));
  await writeFile(join(dir, 'app.txt'), 'the artifact\n');
  assert.equal((await runCliInProcess(['keygen', '--out', join(dir, 'k')])).status, 0);
  const attest = await runCliInProcess(['attest', '--cwd', dir, '--subject', 'app.txt', '--key', join(dir, 'k.key'), '--out', join(dir, 'build.sigstore.json'), '--sbom']);
  assert.equal(attest.status, 0, attest.stderr);
  return { dir, attest, verify: (...args: string[]) => runCliInProcess(['verify', join(dir, 'app.txt'), '--bundle', join(dir, 'build.sigstore.json'), '--key', join(dir, 'k.pub'), ...args]) };
}

describe('dependencies through the CLI', { skip }, () => {
  it('attest --sbom writes a second bundle that verifies under the CycloneDX predicate type', async (t) => {
    const p = await project(t);
    assert.match(p.attest.stderr, /wrote .*build\.sbom\.sigstore\.json: CycloneDX SBOM of 30 component\(s\)/);
    const r = await runCliInProcess(['verify', join(p.dir, 'app.txt'), '--bundle', join(p.dir, 'build.sbom.sigstore.json'), '--key', join(p.dir, 'k.pub'), '--predicate-type', 'https://cyclonedx.org/bom', '--json']);
    assert.equal(r.status, 0, r.stdout);
    const bom = JSON.parse(r.stdout).statement.predicate;
    assert.equal(bom.specVersion, '1.6');
    assert.ok(bom.components.some((c: { purl: string }) => c.purl === 'pkg:npm/debug@2.6.9'));
  });

  it('a dependencies policy: a denied version fails with DEPENDENCY_DENIED, exit 1', async (t) => {
    const p = await project(t);
    const policy = join(p.dir, 'policy.yaml');
    await writeFile(policy, 'apiVersion: provenant.dev/v1\nkind: Policy\ndependencies:\n  deny: [{ purl: pkg:npm/ms, versions: "<2.1.0", reason: too old }]\n  allowedRegistries: [https://registry.npmjs.org]\n  requireDigest: true\n');
    const r = await p.verify('--policy', policy);
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /^FAILED\n {2}DEPENDENCY_DENIED: pkg:npm\/ms@2\.0\.0 is denied by the policy \(pkg:npm\/ms <2\.1\.0\): too old \(at predicate\.buildDefinition\.resolvedDependencies\[\d+\]\)\n$/);
  });

  it('advisories from the policy directory and from --advisories: DEPENDENCY_VULNERABLE', async (t) => {
    const p = await project(t);
    await mkdir(join(p.dir, 'osv'));
    await writeFile(
      join(p.dir, 'osv', 'GHSA-gxpj-cx7g-858c.json'),
      JSON.stringify({
        schema_version: '1.4.0',
        id: 'GHSA-gxpj-cx7g-858c',
        modified: '2023-01-01T00:00:00Z',
        aliases: ['CVE-2017-16137'],
        summary: 'Regular Expression Denial of Service in debug',
        affected: [{ package: { ecosystem: 'npm', name: 'debug' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.0.0' }, { fixed: '2.6.9' }] }, { type: 'ECOSYSTEM', events: [{ introduced: '4.0.0' }, { fixed: '4.3.1' }] }] }],
      }),
    );
    const policy = join(p.dir, 'policy.yaml');
    await writeFile(policy, 'apiVersion: provenant.dev/v1\nkind: Policy\ndependencies:\n  advisories: { directory: osv }\n');
    const fromPolicy = await p.verify('--policy', policy);
    const fromFlag = await p.verify('--advisories', join(p.dir, 'osv'));
    // debug 2.6.9 is the fixed version; 4.3.4 is after the second fix: neither is affected.
    assert.equal(fromPolicy.status, 0, fromPolicy.stdout);
    assert.equal(fromFlag.status, 0, fromFlag.stdout);

    await writeFile(join(p.dir, 'osv', 'GHSA-9vvw-cc9w-f27h.json'), JSON.stringify({ id: 'GHSA-9vvw-cc9w-f27h', modified: '2023-01-01T00:00:00Z', aliases: ['CVE-2017-20165'], summary: 'debug Inefficient Regular Expression Complexity', affected: [{ package: { ecosystem: 'npm', name: 'debug' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.6.10' }] }] }] }));
    const vulnerable = await p.verify('--advisories', join(p.dir, 'osv'), '--json');
    assert.equal(vulnerable.status, 1);
    const findings = JSON.parse(vulnerable.stdout).findings as { code: string; message: string }[];
    assert.deepEqual(findings.map((f) => f.code), ['DEPENDENCY_VULNERABLE']);
    assert.match(findings[0]!.message, /^pkg:npm\/debug@2\.6\.9 is affected by GHSA-9vvw-cc9w-f27h \(CVE-2017-20165\).*fixed in 2\.6\.10$/);
  });

  it('a malformed advisory is bad input: exit 2 naming the file', async (t) => {
    const p = await project(t);
    await mkdir(join(p.dir, 'osv'));
    await writeFile(join(p.dir, 'osv', 'broken.json'), '{"id": ');
    const r = await p.verify('--advisories', join(p.dir, 'osv'));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^provenant: POLICY_INVALID: advisory broken\.json: not JSON/);
  });

  it('diff of two builds: a republished package (same version, other bytes) first, then the version bump', async (t) => {
    const p = await project(t);
    const lock = JSON.parse(await readFile(join(p.dir, 'package-lock.json'), 'utf8'));
    lock.packages['node_modules/debug'].version = '4.3.5';
    lock.packages['node_modules/debug'].resolved = 'https://registry.npmjs.org/debug/-/debug-4.3.5.tgz';
    lock.packages['node_modules/connect'].integrity = `sha512-${Buffer.alloc(64, 7).toString('base64')}`;
    await writeFile(join(p.dir, 'package-lock.json'), JSON.stringify(lock));
    const again = await runCliInProcess(['attest', '--cwd', p.dir, '--subject', 'app.txt', '--key', join(p.dir, 'k.key'), '--out', join(p.dir, 'next.sigstore.json')]);
    assert.equal(again.status, 0, again.stderr);
    const r = await runCliInProcess(['diff', join(p.dir, 'build.sigstore.json'), join(p.dir, 'next.sigstore.json')]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[0]!, /^NOT VERIFIED/);
    assert.match(lines[4]!, /^!! pkg:npm\/connect@3\.7\.0: same version, different digest \(sha512 [0-9a-f]{16}… -> 0707070707070707…\)$/);
    assert.match(r.stdout, /^ {2}~ pkg:npm\/debug 4\.3\.4 -> 4\.3\.5$/m);
  });
});
