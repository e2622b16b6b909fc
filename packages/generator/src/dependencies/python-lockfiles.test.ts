import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ResourceDescriptorSchema, isProvenantError } from '@provenant/core';
import type { LockfileFormat } from './lockfile-format.ts';
import type { ResolvedPackage } from './model.ts';
import { pipenvFormat } from './pipenv-format.ts';
import { poetryFormat } from './poetry-format.ts';
import { pickDistributionDigest } from './python-digest.ts';
import { normalizePythonName, pypiPurl } from './python-names.ts';
import { toResourceDescriptor } from './resource-descriptor.ts';
import { uvFormat } from './uv-format.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/python/', import.meta.url));

/** Parses a fixture as the collector would; `siblings` overrides or hides (undefined) files beside it. */
async function load(format: LockfileFormat, dir: string, file: string, siblings: Record<string, string | undefined> = {}) {
  return format.parse({
    text: await readFile(join(FIXTURES, dir, file), 'utf8'),
    path: `${dir}/${file}`,
    readSibling: async (name) => (name in siblings ? siblings[name] : readFile(join(FIXTURES, dir, name), 'utf8').catch(() => undefined)),
  });
}

function get(packages: ResolvedPackage[], id: string): ResolvedPackage {
  const found = packages.find((p) => `${p.name}@${p.version}` === id);
  assert.ok(found, `${id} not found`);
  return found;
}

function assertDescriptors(packages: ResolvedPackage[]): void {
  for (const p of packages) assert.ok(ResourceDescriptorSchema.safeParse(toResourceDescriptor(p)).success, p.purl);
}

describe('python names', () => {
  test('PEP 503 normalisation and pypi purls', () => {
    assert.equal(normalizePythonName('Typing_Extensions'), 'typing-extensions');
    assert.equal(normalizePythonName('zope.interface'), 'zope-interface');
    assert.equal(pypiPurl('Flask_SQLAlchemy', '2.4.4', 'x'), 'pkg:pypi/flask-sqlalchemy@2.4.4');
    assert.equal(pypiPurl('requests', '', 'x'), 'pkg:pypi/requests');
  });

  test('digest of several distribution files: the sdist, else a lone file, else none', () => {
    const wheel = { file: 'a-1.0-py3-none-any.whl', hash: `sha256:${'a'.repeat(64)}` };
    const sdist = { file: 'a-1.0.tar.gz', hash: `sha256:${'b'.repeat(64)}` };
    assert.deepEqual(pickDistributionDigest([wheel, sdist]), { sha256: 'b'.repeat(64) });
    assert.deepEqual(pickDistributionDigest([wheel]), { sha256: 'a'.repeat(64) });
    assert.deepEqual(pickDistributionDigest([wheel, { ...wheel, file: 'a-1.0-cp312-win_amd64.whl' }]), {});
    assert.deepEqual(pickDistributionDigest([{ file: undefined, hash: 'md5:abc' }]), {});
  });
});

describe('poetryFormat', () => {
  test('lock 1.1: 17 packages = 17 [[package]] entries; category gives scope; pyproject gives direct', async () => {
    const facts = await load(poetryFormat, 'poetry-v1', 'poetry.lock');
    assert.equal(facts.lockfileVersion, '1.1');
    assert.equal(facts.packages.length, 17);
    assert.deepEqual(
      facts.packages.filter((p) => p.scope === 'prod').map((p) => p.name),
      ['pyfakefs'],
    );
    assert.deepEqual(facts.roots, ['pkg:pypi/black@23.12.0', 'pkg:pypi/mypy@1.7.1', 'pkg:pypi/pyfakefs@5.3.2', 'pkg:pypi/pytest-cov@4.1.0', 'pkg:pypi/pytest@7.4.3']);
    // [metadata.files] lists black's 21 wheels and its sdist: the sdist is the digest.
    assert.deepEqual(get(facts.packages, 'black@23.12.0').digest, { sha256: '330a327b422aca0634ecd115985c1c7fd7bdb5b5a2ef8aa9888a82e2ebe9437a' });
    assert.deepEqual(get(facts.packages, 'colorama@0.4.6').digest, {}, 'colorama = [] in [metadata.files]');
    assert.deepEqual(get(facts.packages, 'pytest-cov@4.1.0').dependencies, ['pkg:pypi/coverage@7.3.2', 'pkg:pypi/pytest@7.4.3']);
    assertDescriptors(facts.packages);
  });

  test('lock without category or groups: scope by reachability from pyproject, as for a lock-version 2.0 file', async () => {
    const text = (await readFile(join(FIXTURES, 'poetry-v1/poetry.lock'), 'utf8')).replace(/^category = .*\n/gm, '');
    const manifest = await readFile(join(FIXTURES, 'poetry-v1/pyproject.toml'), 'utf8');
    const facts = await poetryFormat.parse({ text, path: 'poetry.lock', readSibling: async () => manifest });
    assert.deepEqual(
      facts.packages.filter((p) => p.scope !== 'dev').map((p) => p.name),
      ['pyfakefs'],
    );
    const bare = await poetryFormat.parse({ text, path: 'poetry.lock', readSibling: async () => undefined });
    assert.ok(bare.packages.every((p) => p.scope === 'prod' && !p.direct));
  });

  test('lock 2.1 groups: dev unless main is among them; optional = true makes prod optional; git source records its commit', async () => {
    // Parser unit case in poetry 2.x layout (files inline, groups, a git source).
    const text = [
      '[[package]]', 'name = "A_Lib"', 'version = "1.0"', 'optional = false', 'groups = ["main", "dev"]',
      'files = [{ file = "a_lib-1.0.tar.gz", hash = "sha256:' + '1'.repeat(64) + '" }]',
      '[[package]]', 'name = "b"', 'version = "2.0"', 'optional = true', 'groups = ["main"]', 'files = []',
      '[[package]]', 'name = "c"', 'version = "3.0"', 'optional = false', 'groups = ["test"]', 'files = []',
      '[package.source]', 'type = "git"', 'url = "https://github.com/o/c.git"', 'reference = "main"', 'resolved_reference = "' + 'a'.repeat(40) + '"',
      '[metadata]', 'lock-version = "2.1"', '',
    ].join('\n');
    const { packages, lockfileVersion } = await poetryFormat.parse({ text, path: 'poetry.lock', readSibling: async () => undefined });
    assert.equal(lockfileVersion, '2.1');
    assert.deepEqual(packages.map((p) => [p.name, p.scope]), [['a-lib', 'prod'], ['b', 'optional'], ['c', 'dev']]);
    assert.deepEqual(packages[0]?.digest, { sha256: '1'.repeat(64) });
    assert.deepEqual(packages[2]?.digest, { gitCommit: 'a'.repeat(40) });
    assert.equal(packages[2]?.downloadLocation, `git+https://github.com/o/c.git@${'a'.repeat(40)}`);
  });

  test('LOCKFILE_INVALID on malformed entries', async () => {
    for (const text of ['[[package]]\nname = 1\nversion = "1"\n', '[[package]]\nname = "a"\nversion = "1"\nsource = { type = "svn" }\n', '[[package]]\nname = "a"\nversion = "1"\nfiles = [{ file = "a" }]\n', 'package = 1\n']) {
      await assert.rejects(poetryFormat.parse({ text, path: 'poetry.lock', readSibling: async () => undefined }), (e) => isProvenantError(e) && e.code === 'LOCKFILE_INVALID');
    }
  });
});

describe('uvFormat', () => {
  test('project: 7 packages = 8 [[package]] entries less the editable project; members\' dependencies are direct', async () => {
    const facts = await load(uvFormat, 'uv-project', 'uv.lock');
    assert.equal(facts.lockfileVersion, 1);
    assert.equal(facts.packages.length, 7);
    assert.ok(!facts.packages.some((p) => p.name === 'cursvalutarbnr'));
    assert.deepEqual(facts.roots, ['pkg:pypi/diskcache@5.6.3', 'pkg:pypi/requests@2.32.5', 'pkg:pypi/xmltodict@1.0.2']);
    assert.ok(facts.packages.every((p) => p.scope === 'prod' && p.sourceKind === 'registry'));
    const cn = get(facts.packages, 'charset-normalizer@3.4.4');
    assert.deepEqual(cn.digest, { sha256: '94537985111c35f28720e43603b8e7b43a6ecfb2ce1d3058bbe955b73404e21a' }, 'the sdist, not one of 46 wheels');
    assert.match(cn.downloadLocation ?? '', /charset_normalizer-3\.4\.4\.tar\.gz$/);
    assert.deepEqual(get(facts.packages, 'requests@2.32.5').dependencies, [
      'pkg:pypi/certifi@2025.11.12',
      'pkg:pypi/charset-normalizer@3.4.4',
      'pkg:pypi/idna@3.11',
      'pkg:pypi/urllib3@2.6.0',
    ]);
    assertDescriptors(facts.packages);
  });

  test('dev group: ruff is dev and direct; the project (editable) is not a package', async () => {
    const facts = await load(uvFormat, 'uv-dev-group', 'uv.lock');
    assert.deepEqual(
      facts.packages.map((p) => [p.name, p.version, p.scope, p.direct]),
      [['ruff', '0.6.2', 'dev', true]],
    );
  });

  test('LOCKFILE_INVALID on malformed entries', async () => {
    for (const text of ['[[package]]\nname = "a"\nversion = "1"\n', '[[package]]\nname = "a"\nversion = "1"\nsource = { editable = "." }\ndependencies = [{ name = "missing" }]\n', '[[package]]\nname = "a"\nsource = { registry = "x" }\nwheels = 3\n']) {
      await assert.rejects(uvFormat.parse({ text, path: 'uv.lock', readSibling: async () => undefined }), (e) => isProvenantError(e) && e.code === 'LOCKFILE_INVALID');
    }
  });
});

describe('pipenvFormat', () => {
  test('8 packages = 5 default + 3 develop; develop is dev; several hashes name no file, so no digest', async () => {
    const facts = await load(pipenvFormat, 'pipenv', 'Pipfile.lock');
    assert.equal(facts.lockfileVersion, 6);
    assert.equal(facts.packages.length, 8);
    assert.deepEqual(
      facts.packages.filter((p) => p.scope === 'dev').map((p) => p.name),
      ['py', 'pytest', 'setuptools'],
    );
    assert.ok(facts.packages.every((p) => Object.keys(p.digest).length === 0 && p.dependencies === undefined));
    assert.ok(facts.packages.every((p) => !p.direct), 'no Pipfile beside it');
    assertDescriptors(facts.packages);
  });

  test('the Pipfile names the direct dependencies', async () => {
    // The Pipfile of this lock was not published with it; these are the packages the lock marks with "index".
    const pipfile = '[packages]\nrequests = "*"\nurllib3 = "*"\n\n[dev-packages]\npytest = "*"\n';
    const facts = await load(pipenvFormat, 'pipenv', 'Pipfile.lock', { Pipfile: pipfile });
    assert.deepEqual(facts.roots, ['pkg:pypi/pytest@3.2.2', 'pkg:pypi/requests@2.31.0', 'pkg:pypi/urllib3@2.0.6']);
  });

  test('a lone hash is the digest; a git entry records its commit', async () => {
    const text = JSON.stringify({
      _meta: { 'pipfile-spec': 6 },
      default: {
        six: { hashes: [`sha256:${'c'.repeat(64)}`], version: '==1.16.0' },
        lib: { git: 'https://github.com/o/lib.git', ref: 'a'.repeat(40) },
      },
      develop: { six: { version: '==1.16.0' } },
    });
    const { packages } = await pipenvFormat.parse({ text, path: 'Pipfile.lock', readSibling: async () => undefined });
    assert.deepEqual(get(packages, 'six@1.16.0').digest, { sha256: 'c'.repeat(64) });
    assert.equal(get(packages, 'six@1.16.0').scope, 'prod');
    assert.deepEqual(get(packages, 'lib@').digest, { gitCommit: 'a'.repeat(40) });
    assert.equal(get(packages, 'lib@').downloadLocation, `git+https://github.com/o/lib.git@${'a'.repeat(40)}`);
  });

  test('LOCKFILE_INVALID on malformed input', async () => {
    for (const text of ['{', '[]', '{"default": []}', '{"default": {"a": 1}}', '{"default": {"a": {"hashes": "x"}}}']) {
      await assert.rejects(pipenvFormat.parse({ text, path: 'Pipfile.lock', readSibling: async () => undefined }), (e) => isProvenantError(e) && e.code === 'LOCKFILE_INVALID');
    }
  });
});
