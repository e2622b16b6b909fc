import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isProvenantError } from '@provenant/core';
import { diffDependencies } from './dependency-diff.ts';
import { diffProvenance } from './diff-provenance.ts';

const SHA = (c: string) => c.repeat(128);

interface Build {
  builder?: string;
  buildType?: string;
  repository?: string;
  ref?: string;
  commit?: string;
  environment?: Record<string, unknown>;
  deps?: { uri: string; digest?: Record<string, string> }[];
}

/** A statement shaped as provenant's ci/v1 build type writes it. */
function statement(b: Build = {}): unknown {
  const repository = b.repository ?? 'https://github.com/acme/app';
  const ref = b.ref ?? 'refs/heads/main';
  const commit = b.commit ?? 'a'.repeat(40);
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'app.tgz', digest: { sha256: '0'.repeat(64) } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: {
        buildType: b.buildType ?? 'https://provenant.dev/buildtypes/ci/v1',
        externalParameters: { source: { repository, ref, commit } },
        internalParameters: { platform: 'github-actions', environment: b.environment ?? ENV },
        resolvedDependencies: [{ uri: `git+${repository}@${ref}`, digest: { gitCommit: commit } }, ...(b.deps ?? DEPS)],
      },
      runDetails: { builder: { id: b.builder ?? 'https://github.com/actions/runner/github-hosted' }, metadata: { finishedOn: '2026-01-01T00:00:00Z' } },
    },
  };
}

const ENV = { os: 'linux', arch: 'x64', kernel: '6.5.0-1025-azure', node: '22.11.0', npm: '10.9.0', toolchains: { gcc: '13.2.0', python: '3.12.3' }, variables: {}, redactedVariables: [] };
const DEPS = [
  { uri: 'pkg:npm/express@4.19.2', digest: { sha512: SHA('1') } },
  { uri: 'pkg:npm/debug@2.6.9', digest: { sha512: SHA('2') } },
  { uri: 'pkg:npm/debug@4.3.4', digest: { sha512: SHA('3') } },
  { uri: 'pkg:npm/lodash@4.17.20', digest: { sha512: SHA('4') } },
  { uri: 'pkg:npm/left-pad@1.3.0', digest: { sha512: SHA('5') } },
];

describe('diffProvenance', () => {
  test('a statement against itself: nothing changed', () => {
    const diff = diffProvenance(statement(), statement());
    assert.equal(diff.changed, false);
    assert.deepEqual(diff, { changed: false, source: {}, environment: [], dependencies: { added: [], removed: [], versionChanged: [], digestChanged: [] } });
  });

  test('dependencies: added, removed, version changes (with two versions of one package), digest changes', () => {
    const next = [
      { uri: 'pkg:npm/express@4.19.2', digest: { sha512: SHA('9') } }, // same version, other bytes
      { uri: 'pkg:npm/debug@2.6.9', digest: { sha512: SHA('2') } },
      { uri: 'pkg:npm/debug@4.3.5', digest: { sha512: SHA('6') } },
      { uri: 'pkg:npm/lodash@4.17.21', digest: { sha512: SHA('7') } },
      { uri: 'pkg:npm/%40types/node@22.0.0', digest: { sha512: SHA('8') } },
    ];
    const diff = diffProvenance(statement(), statement({ deps: next }));
    assert.equal(diff.changed, true);
    assert.deepEqual(diff.dependencies, {
      added: [{ package: 'pkg:npm/%40types/node', version: '22.0.0', uri: 'pkg:npm/%40types/node@22.0.0' }],
      removed: [{ package: 'pkg:npm/left-pad', version: '1.3.0', uri: 'pkg:npm/left-pad@1.3.0' }],
      versionChanged: [
        { package: 'pkg:npm/debug', from: '4.3.4', to: '4.3.5', fromUri: 'pkg:npm/debug@4.3.4', toUri: 'pkg:npm/debug@4.3.5' },
        { package: 'pkg:npm/lodash', from: '4.17.20', to: '4.17.21', fromUri: 'pkg:npm/lodash@4.17.20', toUri: 'pkg:npm/lodash@4.17.21' },
      ],
      digestChanged: [{ package: 'pkg:npm/express', version: '4.19.2', uri: 'pkg:npm/express@4.19.2', kind: 'mismatch', algorithms: ['sha512'], old: { sha512: SHA('1') }, new: { sha512: SHA('9') } }],
    });
  });

  test('the build source is compared under source, not as a dependency', () => {
    const diff = diffProvenance(statement(), statement({ ref: 'refs/tags/v2.0.0', commit: 'b'.repeat(40) }));
    assert.deepEqual(diff.source, { ref: { old: 'refs/heads/main', new: 'refs/tags/v2.0.0' }, commit: { old: 'a'.repeat(40), new: 'b'.repeat(40) } });
    assert.deepEqual(diff.dependencies.digestChanged, []);
    assert.deepEqual(diff.dependencies.added, []);
  });

  test('builder, build type and repository', () => {
    const diff = diffProvenance(statement(), statement({ builder: 'https://github.com/actions/runner/self-hosted', buildType: 'https://example.com/other/v1', repository: 'https://github.com/acme/fork' }));
    assert.deepEqual(diff.builder, { old: 'https://github.com/actions/runner/github-hosted', new: 'https://github.com/actions/runner/self-hosted' });
    assert.deepEqual(diff.buildType, { old: 'https://provenant.dev/buildtypes/ci/v1', new: 'https://example.com/other/v1' });
    assert.deepEqual(diff.source.uri, { old: 'https://github.com/acme/app', new: 'https://github.com/acme/fork' });
  });

  test('environment: os, arch, node, npm, container and toolchains; not the kernel', () => {
    const env = { ...ENV, kernel: '6.8.0', arch: 'arm64', node: '24.1.0', container: { runtime: 'docker', image: 'node:24' }, toolchains: { gcc: '13.2.0', go: '1.22.1' } };
    const diff = diffProvenance(statement(), statement({ environment: env }));
    assert.deepEqual(diff.environment, [
      { key: 'arch', old: 'x64', new: 'arm64' },
      { key: 'node', old: '22.11.0', new: '24.1.0' },
      { key: 'container.runtime', new: 'docker' },
      { key: 'container.image', new: 'node:24' },
      { key: 'toolchains.go', new: '1.22.1' },
      { key: 'toolchains.python', old: '3.12.3' },
    ]);
  });

  test('SLSA v0.2 materials against v1 resolvedDependencies', () => {
    const v02 = {
      _type: 'https://in-toto.io/Statement/v0.1',
      subject: [{ name: 'app.tgz', digest: { sha256: '0'.repeat(64) } }],
      predicateType: 'https://slsa.dev/provenance/v0.2',
      predicate: {
        builder: { id: 'https://github.com/actions/runner/github-hosted' },
        buildType: 'https://provenant.dev/buildtypes/ci/v1',
        invocation: { configSource: { uri: 'git+https://github.com/acme/app@refs/heads/main', digest: { sha1: 'a'.repeat(40) } } },
        materials: [{ uri: 'git+https://github.com/acme/app@refs/heads/main', digest: { sha1: 'a'.repeat(40) } }, ...DEPS.slice(1)],
      },
    };
    const diff = diffProvenance(v02, statement());
    assert.deepEqual(diff.predicateType, { old: 'https://slsa.dev/provenance/v0.2', new: 'https://slsa.dev/provenance/v1' });
    assert.deepEqual(diff.dependencies.added.map((a) => a.uri), ['pkg:npm/express@4.19.2']);
    assert.deepEqual(diff.source, {});
    // v0.2 has no internalParameters: every environment value is new
    assert.deepEqual(diff.environment.map((e) => e.key), ['os', 'arch', 'node', 'npm', 'toolchains.gcc', 'toolchains.python']);
  });

  const invalid: [string, unknown, unknown, RegExp][] = [
    ['old is not a statement', { hello: 'world' }, statement(), /^old: payload is not an in-toto statement/],
    ['new has a broken predicate', statement(), { ...(statement() as object), predicate: { buildDefinition: {} } }, /^new: invalid .*predicate/],
    ['new is an SBOM', statement(), { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'a', digest: { sha256: '0'.repeat(64) } }], predicateType: 'https://cyclonedx.org/bom', predicate: {} }, /^new: predicate type https:\/\/cyclonedx\.org\/bom is not SLSA provenance/],
  ];
  for (const [name, a, b, message] of invalid) {
    test(`STATEMENT_INVALID when ${name}`, () => {
      assert.throws(() => diffProvenance(a, b), (err) => isProvenantError(err) && err.code === 'STATEMENT_INVALID' && message.test(err.message));
    });
  }
});

describe('diffDependencies', () => {
  const cases: { name: string; old: { uri: string; digest?: Record<string, string> }[]; new: { uri: string; digest?: Record<string, string> }[]; expect: (d: ReturnType<typeof diffDependencies>) => void }[] = [
    {
      name: 'a digest dropped at the same version is reported (no longer pinned)',
      old: [{ uri: 'pkg:npm/a@1.0.0', digest: { sha512: SHA('1') } }],
      new: [{ uri: 'pkg:npm/a@1.0.0' }],
      expect: (d) => assert.deepEqual(d.digestChanged.map((c) => [c.kind, c.algorithms]), [['dropped', ['sha512']]]),
    },
    {
      name: 'different algorithms only (sha1 then, sha512 now) cannot be compared: no change',
      old: [{ uri: 'pkg:npm/a@1.0.0', digest: { sha1: 'a'.repeat(40) } }],
      new: [{ uri: 'pkg:npm/a@1.0.0', digest: { sha512: SHA('1') } }],
      expect: (d) => assert.deepEqual(d.digestChanged, []),
    },
    {
      name: 'hex case does not matter',
      old: [{ uri: 'pkg:npm/a@1.0.0', digest: { sha256: 'AB'.repeat(32) } }],
      new: [{ uri: 'pkg:npm/a@1.0.0', digest: { sha256: 'ab'.repeat(32) } }],
      expect: (d) => assert.deepEqual(d.digestChanged, []),
    },
    {
      name: 'versions pair in version order, not string order; the extra one is added',
      old: [{ uri: 'pkg:npm/a@1.9.0' }],
      new: [{ uri: 'pkg:npm/a@1.10.0' }, { uri: 'pkg:npm/a@2.0.0' }],
      expect: (d) => {
        assert.deepEqual(d.versionChanged.map((c) => [c.from, c.to]), [['1.9.0', '1.10.0']]);
        assert.deepEqual(d.added.map((a) => a.version), ['2.0.0']);
      },
    },
    {
      name: 'qualifiers keep platform builds apart',
      old: [{ uri: 'pkg:pypi/numpy@2.0.0?file_name=numpy-2.0.0-cp312-manylinux.whl', digest: { sha256: '1'.repeat(64) } }],
      new: [{ uri: 'pkg:pypi/numpy@2.0.0?file_name=numpy-2.0.0-cp312-macosx.whl', digest: { sha256: '2'.repeat(64) } }],
      expect: (d) => {
        assert.deepEqual(d.digestChanged, []);
        assert.equal(d.added.length + d.removed.length, 2);
      },
    },
    {
      name: 'a non-purl dependency with a changed digest is a digest change',
      old: [{ uri: 'https://example.com/tool.tar.gz', digest: { sha256: '1'.repeat(64) } }],
      new: [{ uri: 'https://example.com/tool.tar.gz', digest: { sha256: '2'.repeat(64) } }],
      expect: (d) => assert.deepEqual(d.digestChanged.map((c) => c.uri), ['https://example.com/tool.tar.gz']),
    },
  ];
  for (const c of cases) test(c.name, () => c.expect(diffDependencies(c.old, c.new)));
});
