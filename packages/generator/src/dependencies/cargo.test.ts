import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ResourceDescriptorSchema, isProvenantError } from '@provenant/core';
import { cargoFormat, cargoManifestHints } from './cargo-format.ts';
import type { ResolvedPackage } from './model.ts';
import { toResourceDescriptor } from './resource-descriptor.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/cargo/', import.meta.url));

/** Parses a fixture directory's Cargo.lock as the collector would, Cargo.toml beside it unless `manifest` is false. */
async function load(dir: string, manifest = true) {
  const text = await readFile(join(FIXTURES, dir, 'Cargo.lock'), 'utf8');
  return cargoFormat.parse({
    text,
    path: `${dir}/Cargo.lock`,
    readSibling: async (name) => (manifest ? readFile(join(FIXTURES, dir, name), 'utf8').catch(() => undefined) : undefined),
  });
}

function get(packages: ResolvedPackage[], id: string): ResolvedPackage {
  const found = packages.find((p) => `${p.name}@${p.version}` === id);
  assert.ok(found, `${id} not found`);
  return found;
}

describe('cargoFormat', () => {
  test('workspace: 13 packages = 15 [[package]] entries less the members app and util (cargo metadata: 15 nodes, 2 workspace_members)', async () => {
    const facts = await load('workspace');
    assert.equal(facts.lockfileVersion, 4);
    assert.equal(facts.packages.length, 13);
    assert.ok(!facts.packages.some((p) => p.name === 'app' || p.name === 'util'));
    const regex = get(facts.packages, 'regex@1.7.1');
    assert.deepEqual(regex.digest, { sha256: '48aaa5748ba571fb95cd2c85c09f629215d3a6ece942baa100950af03a34f733' });
    assert.equal(regex.purl, 'pkg:cargo/regex@1.7.1');
    assert.equal(regex.downloadLocation, 'https://crates.io/api/v1/crates/regex/1.7.1/download');
    assert.deepEqual(regex.dependencies, ['pkg:cargo/aho-corasick@0.7.19', 'pkg:cargo/memchr@2.5.0', 'pkg:cargo/regex-syntax@0.6.27']);
    assert.equal(regex.sourceKind, 'registry');
  });

  test('workspace: direct = what app and util depend on; either is dev-only, itoa is also serde_json\'s so prod', async () => {
    const { packages, roots } = await load('workspace');
    const direct = packages.filter((p) => p.direct).map((p) => p.name);
    assert.deepEqual(direct, ['anyhow', 'either', 'gitdep', 'itoa', 'log', 'regex', 'serde_json']);
    assert.equal(roots?.length, 7);
    assert.equal(get(packages, 'either@1.6.1').scope, 'dev');
    assert.equal(get(packages, 'itoa@1.0.1').scope, 'prod');
    assert.ok(packages.filter((p) => p.name !== 'either').every((p) => p.scope === 'prod'));
  });

  test('workspace: a git dependency records its commit; Debian\'s placeholder checksum is no digest', async () => {
    const { packages } = await load('workspace');
    const git = get(packages, 'gitdep@0.2.0');
    assert.equal(git.sourceKind, 'git');
    assert.deepEqual(git.digest, { gitCommit: '515868104029c75d5a7825f9e9c714ce88e827bc' });
    assert.match(git.purl, /^pkg:cargo\/gitdep@0\.2\.0\?vcs_url=git%2Bfile/);
    assert.deepEqual(git.dependencies, ['pkg:cargo/cfg-if@1.0.0']);
    assert.deepEqual(get(packages, 'cfg-if@1.0.0').digest, {});
  });

  test('without Cargo.toml every crate is prod; direct still comes from the members in the lockfile', async () => {
    const { packages } = await load('workspace', false);
    assert.ok(packages.every((p) => p.scope === 'prod'));
    assert.equal(packages.filter((p) => p.direct).length, 7);
  });

  test('ripgrep: 52 packages = 63 entries less 11 workspace members; two versions of syn, each edge to the right one', async () => {
    const { packages, roots } = await load('ripgrep');
    assert.equal(packages.length, 52);
    assert.deepEqual(
      packages.filter((p) => p.name === 'syn').map((p) => p.version),
      ['2.0.119', '3.0.3'],
    );
    assert.ok(get(packages, 'derive_arbitrary@1.4.2').dependencies?.includes('pkg:cargo/syn@2.0.119'));
    assert.ok(get(packages, 'serde_derive@1.0.229').dependencies?.includes('pkg:cargo/syn@3.0.3'));
    assert.equal(get(packages, 'tikv-jemalloc-sys@0.7.1+5.3.1-0-g81034ce1f1373e37dc865038e1bc8eeecf559ce8').digest['sha256']?.length, 64);
    assert.ok(packages.every((p) => p.digest['sha256']?.length === 64));
    assert.equal(roots?.length, packages.filter((p) => p.direct).length);
    for (const p of packages) assert.ok(ResourceDescriptorSchema.safeParse(toResourceDescriptor(p)).success, p.purl);
  });

  test('cargoManifestHints: renamed and target-specific dev-dependencies, normal ones win', () => {
    const hints = cargoManifestHints(
      '[package]\nname = "x"\n[dependencies]\na = "1"\n[dev-dependencies]\na = "1"\nb = { package = "real-b", version = "1" }\n[target.\'cfg(unix)\'.dev-dependencies]\nc = "1"\n',
    );
    assert.equal(hints?.packageName, 'x');
    assert.deepEqual([...(hints?.devOnly ?? [])].sort(), ['c', 'real-b']);
    assert.equal(cargoManifestHints('not = [toml'), undefined);
  });

  const invalid: Record<string, string> = {
    'not TOML': 'version = 4\n[[package]\n',
    'package is a table': 'version = 4\n[package]\nname = "a"\n',
    'version is a string': 'version = "4"\n',
    'name missing': 'version = 4\n[[package]]\nversion = "1.0.0"\n',
    'dependencies not strings': 'version = 4\n[[package]]\nname = "a"\nversion = "1.0.0"\ndependencies = [1]\n',
    'dependency not in the lockfile': 'version = 4\n[[package]]\nname = "a"\nversion = "1.0.0"\ndependencies = ["b"]\n',
    'ambiguous dependency': 'version = 4\n[[package]]\nname = "a"\nversion = "1.0.0"\ndependencies = ["b"]\n[[package]]\nname = "b"\nversion = "1.0.0"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n[[package]]\nname = "b"\nversion = "2.0.0"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n',
    'unknown source scheme': 'version = 4\n[[package]]\nname = "a"\nversion = "1.0.0"\nsource = "ftp://x"\n',
    'checksum is a number': 'version = 4\n[[package]]\nname = "a"\nversion = "1.0.0"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = 1\n',
  };
  for (const [what, text] of Object.entries(invalid)) {
    test(`LOCKFILE_INVALID: ${what}`, async () => {
      await assert.rejects(
        cargoFormat.parse({ text, path: 'Cargo.lock', readSibling: async () => undefined }),
        (e) => isProvenantError(e) && e.code === 'LOCKFILE_INVALID' && e.message.startsWith('Cargo.lock: '),
      );
    });
  }
});
