// `provenant verify --batch`, end to end: a directory, a glob or a manifest of artifacts against a
// directory of attestations found by digest, over worker threads; one report; a trust record.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { errorCode, runCli, runCliInProcess } from './support/cli.ts';

/** Enough files that the batch uses a worker thread beside the main one (64 per extra thread). */
const FILES = 140;
let dir: string;
const pub = () => join(dir, 'release.pub');

describe('verify --batch', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'provenant-batch-cli-'));
    await mkdir(join(dir, 'dist'));
    await mkdir(join(dir, 'att'));
    for (let i = 0; i < FILES; i++) await writeFile(join(dir, 'dist', `f${String(i).padStart(3, '0')}.js`), `export const n = ${i};\n`);
    assert.equal((await runCliInProcess(['keygen', '--out', join(dir, 'release')])).status, 0);
    // One build attests the first half, another the second: two bundles, each naming many subjects.
    const half = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => ['--subject', `dist/f${String(from + i).padStart(3, '0')}.js`]).flat();
    for (const [name, subjects] of [['first', half(0, FILES / 2)], ['second', half(FILES / 2, FILES)]] as const) {
      const r = await runCliInProcess(['attest', '--cwd', dir, ...subjects, '--key', join(dir, 'release.key'), '--out', join(dir, 'att', `${name}.sigstore.json`), '--no-deps']);
      assert.equal(r.status, 0, r.stderr);
    }
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('passes a directory whose every file an attestation names: a table, exit 0 (the built CLI, with a worker)', async () => {
    const r = await runCli(['verify', '--batch', 'dist', '--attestations', 'att', '--key', pub(), '--max-age', '1h'], { cwd: dir });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, FILES + 1);
    assert.match(lines[0]!, /^PASSED {2}L1 {2}f000\.js +first\.sigstore\.json {2}key [0-9a-f]{16} {2}https:\/\/provenant\.dev\/builders\/local\/v1$/);
    assert.match(lines.at(-1)!, new RegExp(`^${FILES} artifacts: ${FILES} passed, 0 failed \\(2 attestations in 2 files, [12] threads?\\)$`));
  });

  it('loads neither zod nor yaml without --policy, as `verify` of one artifact does not (the built CLI, start-up)', async () => {
    const list = join(dir, 'modules.txt');
    const env = { NODE_OPTIONS: `--import=${pathToFileURL(join(import.meta.dirname, 'support', 'record-modules.mjs')).href}`, PROVENANT_TEST_MODULES_OUT: list };
    for (const args of [
      ['verify', '--batch', 'dist', '--attestations', 'att', '--key', pub()],
      ['verify', 'dist/f000.js', '--bundle', 'att/first.sigstore.json', '--key', pub()],
    ]) {
      const r = await runCli(args, { cwd: dir, env });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      const modules = (await readFile(list, 'utf8')).split('\n');
      assert.ok(modules.some((m) => m.includes('/packages/verifier/dist/')), `the hook recorded the verifier's modules (${modules.length})`);
      assert.deepEqual(modules.filter((m) => /\/node_modules\/(zod|yaml)\//.test(m)), [], args.join(' '));
    }
  });

  it('an artifact no attestation names fails the batch: PROVENANCE_MISSING, exit 1; --json for tools', async () => {
    await writeFile(join(dir, 'dist', 'zz-extra.js'), 'unattested\n');
    try {
      const r = await runCliInProcess(['verify', '--jobs', '1', '--batch', join(dir, 'dist'), '--attestations', join(dir, 'att'), '--key', pub(), '--json']);
      assert.equal(r.status, 1);
      const report = JSON.parse(r.stdout);
      assert.equal(report.ok, false);
      assert.equal(report.passed, FILES);
      assert.deepEqual(report.items.at(-1).findings.map((f: { code: string }) => f.code), ['PROVENANCE_MISSING']);
      const table = await runCliInProcess(['verify', '--jobs', '1', '--batch', join(dir, 'dist'), '--attestations', join(dir, 'att'), '--key', pub()]);
      assert.match(table.stdout, /^FAILED {2}L0 {2}zz-extra\.js +no attestation\n {8}PROVENANCE_MISSING: /m);
    } finally {
      await rm(join(dir, 'dist', 'zz-extra.js'));
    }
  });

  it('a glob and a sha256sum manifest name the artifacts too; policy findings fail each one', async () => {
    const glob = await runCliInProcess(['verify', '--jobs', '1', '--batch', join(dir, 'dist', 'f00*.js'), '--attestations', join(dir, 'att'), '--key', pub(), '--json']);
    assert.equal(glob.status, 0, glob.stdout);
    assert.equal(JSON.parse(glob.stdout).items.length, 10);
    const bytes = await readFile(join(dir, 'dist', 'f001.js'));
    const manifest = join(dir, 'SHA256SUMS');
    await writeFile(manifest, `${createHash('sha256').update(bytes).digest('hex')}  f001.js\n`);
    const byDigest = await runCliInProcess(['verify', '--jobs', '1', '--batch', manifest, '--attestations', join(dir, 'att'), '--key', pub(), '--source-uri', 'https://github.com/acme/app', '--json']);
    assert.equal(byDigest.status, 1);
    const item = JSON.parse(byDigest.stdout).items[0];
    assert.equal(item.name, 'f001.js');
    assert.deepEqual(item.findings.map((f: { code: string }) => f.code), ['SOURCE_MISMATCH']);
  });

  it('--trust-record: recorded when all pass; weaker provenance later fails PROVENANCE_DOWNGRADE and leaves the record alone', async () => {
    const record = join(dir, 'trust.json');
    const first = await runCliInProcess(['verify', '--jobs', '1', '--batch', join(dir, 'dist', 'f01*.js'), '--attestations', join(dir, 'att'), '--key', pub(), '--trust-record', record]);
    assert.equal(first.status, 0, first.stdout);
    const saved = JSON.parse(await readFile(record, 'utf8'));
    // An absolute glob names artifacts by absolute path.
    const name = join(dir, 'dist', 'f010.js');
    assert.equal(saved.entries[name]?.level, 1, Object.keys(saved.entries).join());
    saved.entries[name].level = 2;
    await writeFile(record, JSON.stringify(saved));
    const second = await runCliInProcess(['verify', '--jobs', '1', '--batch', join(dir, 'dist', 'f01*.js'), '--attestations', join(dir, 'att'), '--key', pub(), '--trust-record', record]);
    assert.equal(second.status, 1);
    assert.match(second.stdout, /PROVENANCE_DOWNGRADE: .*SLSA Build level 1, below the level 2/);
    assert.equal(JSON.parse(await readFile(record, 'utf8')).entries[name].level, 2);
  });

  it('usage: --batch needs --attestations, and takes no --bundle', async () => {
    const noDir = await runCliInProcess(['verify', '--jobs', '1', '--batch', join(dir, 'dist'), '--key', pub()]);
    assert.equal(noDir.status, 2);
    assert.equal(errorCode(noDir), 'USAGE');
    const withBundle = await runCliInProcess(['verify', '--jobs', '1', '--batch', join(dir, 'dist'), '--attestations', join(dir, 'att'), '--bundle', 'x', '--key', pub()]);
    assert.equal(errorCode(withBundle), 'USAGE');
    const noBundle = await runCliInProcess(['verify', join(dir, 'dist', 'f001.js'), '--key', pub()]);
    assert.equal(noBundle.status, 2);
    assert.match(noBundle.stderr, /USAGE: required option '--bundle <file>' not specified/);
    // The built CLI, whose worker threads are already starting when the flags are found wrong: one line, exit 2, and the process ends.
    for (const [flag, value] of [['--jobs', '0'], ['--jobs', 'many'], ['--key', join(dir, 'missing.pub')]] as const) {
      const bad = await runCli(['verify', '--batch', 'dist', '--attestations', 'att', '--key', pub(), flag, value], { cwd: dir });
      assert.equal(bad.status, 2, bad.stderr);
      assert.equal(errorCode(bad), flag === '--jobs' ? 'USAGE' : 'FILE_UNREADABLE', bad.stderr);
    }
  });
});
