import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildAdvisoryIndex } from './advisory-index.ts';
import { type DependencyEntry, type DependencyFinding, checkDependencies, sourceKindOf } from './check-dependencies.ts';
import { type DependencyPolicy, DependencyPolicySchema } from './dependency-policy.ts';
import { OsvRecordSchema } from './osv-record.ts';
import { isUnderRegistry } from './registry-url.ts';
import { LODASH_TEMPLATE, LODASH_ZIPOBJECTDEEP, REQUESTS_GHSA, REQUESTS_PYSEC, WITHDRAWN } from './testing/osv-records.ts';

const SHA512 = 'ab'.repeat(64);
const PATH = 'predicate.buildDefinition.resolvedDependencies';

/** A resolvedDependencies entry as provenant's generator writes it. */
function npm(name: string, version: string, over: Partial<DependencyEntry> & { sourceKind?: string } = {}): DependencyEntry {
  const { sourceKind = 'registry', ...rest } = over;
  const purlName = name.startsWith('@') ? `%40${name.slice(1)}` : name;
  return {
    uri: `pkg:npm/${purlName}@${version}`,
    digest: { sha512: SHA512 },
    name,
    downloadLocation: `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${version}.tgz`,
    annotations: { ecosystem: 'npm', scope: 'prod', direct: true, sourceKind },
    ...rest,
  };
}

const SOURCE: DependencyEntry = { uri: 'git+https://github.com/acme/app@refs/heads/main', digest: { gitCommit: '1'.repeat(40) } };

function policy(value: unknown): DependencyPolicy {
  return DependencyPolicySchema.parse(value);
}

function summary(findings: DependencyFinding[]): string[] {
  return findings.map((f) => `${f.code} ${f.path}`);
}

describe('checkDependencies: policy rules', () => {
  const cases: { name: string; deps: DependencyEntry[]; policy: unknown; expected: string[] }[] = [
    { name: 'a clean graph passes', deps: [SOURCE, npm('express', '4.19.2'), npm('@babel/core', '7.24.0')], policy: { requireDigest: true, allowedRegistries: ['https://registry.npmjs.org'] }, expected: [] },
    { name: 'deny by name and range', deps: [SOURCE, npm('lodash', '4.17.20'), npm('lodash', '4.17.21')], policy: { deny: [{ purl: 'pkg:npm/lodash', versions: '<4.17.21' }] }, expected: [`DEPENDENCY_DENIED ${PATH}[1]`] },
    { name: 'deny every version', deps: [npm('colors', '1.4.1')], policy: { deny: [{ purl: 'pkg:npm/colors' }] }, expected: [`DEPENDENCY_DENIED ${PATH}[0]`] },
    { name: 'deny one version named in the purl', deps: [npm('event-stream', '3.3.6'), npm('event-stream', '3.3.5')], policy: { deny: [{ purl: 'pkg:npm/event-stream@3.3.6' }] }, expected: [`DEPENDENCY_DENIED ${PATH}[0]`] },
    { name: 'deny an exact list', deps: [npm('left-pad', '1.1.1'), npm('left-pad', '1.3.0')], policy: { deny: [{ purl: 'pkg:npm/left-pad', versions: ['1.1.0', '1.1.1'] }] }, expected: [`DEPENDENCY_DENIED ${PATH}[0]`] },
    { name: 'deny a scoped package', deps: [npm('@evil/pkg', '1.0.0')], policy: { deny: [{ purl: 'pkg:npm/%40evil/pkg' }] }, expected: [`DEPENDENCY_DENIED ${PATH}[0]`] },
    { name: 'deny does not match a similar name', deps: [npm('lodash-es', '4.17.20'), npm('lodash.template', '4.5.0')], policy: { deny: [{ purl: 'pkg:npm/lodash' }] }, expected: [] },
    { name: 'deny a PyPI range, names normalised', deps: [{ uri: 'pkg:pypi/Requests@2.30.0', digest: { sha256: 'cd'.repeat(32) } }], policy: { deny: [{ purl: 'pkg:pypi/requests', versions: '>=2.3,<2.31' }] }, expected: [`DEPENDENCY_DENIED ${PATH}[0]`] },
    { name: 'a range that cannot read the version denies (fail closed)', deps: [npm('lodash', '', { uri: 'pkg:npm/lodash' })], policy: { deny: [{ purl: 'pkg:npm/lodash', versions: '<4.17.21' }] }, expected: [`DEPENDENCY_DENIED ${PATH}[0]`] },
    { name: 'an exact-version rule cannot clear a package without a version', deps: [npm('event-stream', '', { uri: 'pkg:npm/event-stream' })], policy: { deny: [{ purl: 'pkg:npm/event-stream@3.3.6' }] }, expected: [`DEPENDENCY_DENIED ${PATH}[0]`] },
    { name: 'a git source is forbidden by default', deps: [SOURCE, npm('helper', '1.0.0', { sourceKind: 'git', downloadLocation: 'git+ssh://git@github.com/acme/helper.git#abc' })], policy: {}, expected: [`DEPENDENCY_SOURCE_FORBIDDEN ${PATH}[1]`] },
    { name: 'a git source allowed by allowSources', deps: [npm('helper', '1.0.0', { sourceKind: 'git', downloadLocation: 'git+ssh://git@github.com/acme/helper.git#abc' })], policy: { allowSources: ['git'] }, expected: [] },
    { name: 'file and remote tarballs still forbidden when only git is allowed', deps: [npm('a', '1.0.0', { sourceKind: 'file', downloadLocation: 'file:vendor/a-1.0.0.tgz' }), npm('b', '1.0.0', { sourceKind: 'remote-tarball', downloadLocation: 'https://example.com/b.tgz' })], policy: { allowSources: ['git'] }, expected: [`DEPENDENCY_SOURCE_FORBIDDEN ${PATH}[0]`, `DEPENDENCY_SOURCE_FORBIDDEN ${PATH}[1]`] },
    { name: 'an unknown annotated kind is forbidden', deps: [npm('a', '1.0.0', { sourceKind: 'workspace' })], policy: { allowSources: ['git', 'file', 'link', 'remote-tarball'] }, expected: [`DEPENDENCY_SOURCE_FORBIDDEN ${PATH}[0]`] },
    { name: 'without annotations the kind comes from the download location', deps: [{ uri: 'pkg:npm/a@1.0.0', downloadLocation: 'git+https://github.com/x/a.git' }], policy: {}, expected: [`DEPENDENCY_SOURCE_FORBIDDEN ${PATH}[0]`] },
    { name: 'a registry outside the allowed ones', deps: [npm('a', '1.0.0', { downloadLocation: 'https://registry.npmjs.org.evil.com/a/-/a-1.0.0.tgz' })], policy: { allowedRegistries: ['https://registry.npmjs.org'] }, expected: [`DEPENDENCY_REGISTRY_FORBIDDEN ${PATH}[0]`] },
    { name: 'a registry path prefix at a boundary', deps: [npm('@acme/a', '1.0.0', { downloadLocation: 'https://npm.pkg.github.com/acme/@acme/a/-/a-1.0.0.tgz' }), npm('@evil/a', '1.0.0', { downloadLocation: 'https://npm.pkg.github.com/acme-evil/a.tgz' })], policy: { allowedRegistries: ['https://npm.pkg.github.com/acme'] }, expected: [`DEPENDENCY_REGISTRY_FORBIDDEN ${PATH}[1]`] },
    { name: 'a registry package with no download location cannot prove its registry', deps: [{ uri: 'pkg:npm/a@1.0.0', digest: { sha512: SHA512 } }], policy: { allowedRegistries: ['https://registry.npmjs.org'] }, expected: [`DEPENDENCY_REGISTRY_FORBIDDEN ${PATH}[0]`] },
    { name: 'the registry rule leaves allowed non-registry sources alone', deps: [npm('helper', '1.0.0', { sourceKind: 'git', downloadLocation: 'git+ssh://git@github.com/acme/helper.git' })], policy: { allowSources: ['git'], allowedRegistries: ['https://registry.npmjs.org'] }, expected: [] },
    { name: 'requireDigest: a package without one', deps: [SOURCE, npm('a', '1.0.0', { digest: {} }), npm('b', '1.0.0', { digest: undefined })], policy: { requireDigest: true }, expected: [`DEPENDENCY_UNPINNED ${PATH}[1]`, `DEPENDENCY_UNPINNED ${PATH}[2]`] },
    { name: 'requireDigest exempts local links', deps: [npm('@mono/b', '1.0.0', { sourceKind: 'link', digest: undefined, downloadLocation: 'link:packages/b' })], policy: { requireDigest: true, allowSources: ['link'] }, expected: [] },
    { name: 'non-purl entries (the source) are not packages', deps: [SOURCE, { uri: 'https://example.com/tool.tar.gz' }], policy: { requireDigest: true, allowedRegistries: ['https://registry.npmjs.org'] }, expected: [] },
    {
      name: 'every finding is collected',
      deps: [npm('lodash', '4.17.20', { digest: {}, downloadLocation: 'https://mirror.example.com/lodash.tgz' })],
      policy: { deny: [{ purl: 'pkg:npm/lodash', versions: '<4.17.21' }], allowedRegistries: ['https://registry.npmjs.org'], requireDigest: true },
      expected: [`DEPENDENCY_DENIED ${PATH}[0]`, `DEPENDENCY_REGISTRY_FORBIDDEN ${PATH}[0]`, `DEPENDENCY_UNPINNED ${PATH}[0]`],
    },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(summary(checkDependencies(c.deps, policy(c.policy))), c.expected));
  }

  test('no policy and no advisories: nothing is checked', () => {
    assert.deepEqual(checkDependencies([npm('helper', '1.0.0', { sourceKind: 'git', digest: {} })], undefined), []);
  });

  test('a denial says which rule and why', () => {
    const [f] = checkDependencies([npm('lodash', '4.17.20')], policy({ deny: [{ purl: 'pkg:npm/lodash', versions: '<4.17.21', reason: 'CVE-2021-23337' }] }));
    assert.deepEqual(f, {
      code: 'DEPENDENCY_DENIED',
      message: 'pkg:npm/lodash@4.17.20 is denied by the policy (pkg:npm/lodash <4.17.21): CVE-2021-23337',
      path: `${PATH}[0]`,
      expected: { not: 'pkg:npm/lodash <4.17.21' },
      actual: 'pkg:npm/lodash@4.17.20',
    });
  });

  test('a forbidden source says how to admit it', () => {
    const [f] = checkDependencies([npm('helper', '1.0.0', { sourceKind: 'git', downloadLocation: 'git+ssh://git@github.com/acme/helper.git' })], policy({}));
    assert.match(f!.message, /pkg:npm\/helper@1\.0\.0 comes from a git source \(git\+ssh:\/\/git@github\.com\/acme\/helper\.git\).*allowSources/);
    assert.deepEqual([f!.expected, f!.actual], [['registry'], 'git']);
  });

  test('paths follow the prefix given (SLSA v0.2 materials)', () => {
    const [f] = checkDependencies([npm('colors', '1.4.1')], policy({ deny: [{ purl: 'pkg:npm/colors' }] }), undefined, undefined, 'predicate.materials');
    assert.equal(f?.path, 'predicate.materials[0]');
  });
});

describe('checkDependencies: advisories', () => {
  const index = buildAdvisoryIndex([LODASH_TEMPLATE, LODASH_ZIPOBJECTDEEP, REQUESTS_PYSEC, REQUESTS_GHSA, WITHDRAWN].map((r) => OsvRecordSchema.parse(r)));

  test('one DEPENDENCY_VULNERABLE per advisory, naming the id, aliases, package and fix', () => {
    const findings = checkDependencies([SOURCE, npm('lodash', '4.17.15'), npm('express', '4.19.2')], undefined, index);
    assert.deepEqual(summary(findings), [`DEPENDENCY_VULNERABLE ${PATH}[1]`, `DEPENDENCY_VULNERABLE ${PATH}[1]`]);
    assert.equal(findings[0]!.message, 'pkg:npm/lodash@4.17.15 is affected by GHSA-35jh-r3h4-6jhm (CVE-2021-23337): Command Injection in lodash; fixed in 4.17.21');
    assert.deepEqual(findings[0]!.actual, { purl: 'pkg:npm/lodash@4.17.15', advisory: 'GHSA-35jh-r3h4-6jhm', aliases: ['CVE-2021-23337'] });
    assert.deepEqual(findings[0]!.expected, { fixedIn: ['4.17.21'] });
    assert.match(findings[1]!.message, /GHSA-p6mc-m468-83gw \(CVE-2020-8203\).*fixed in 4\.17\.19/);
  });

  test('records that alias each other give one finding', () => {
    const findings = checkDependencies([{ uri: 'pkg:pypi/requests@2.30.0' }], undefined, index);
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /GHSA-j8r2-6x86-q33q \(CVE-2023-32681, PYSEC-2023-74\)/);
  });

  test('a withdrawn advisory is no finding; `now` before the withdrawal makes it one', () => {
    assert.deepEqual(checkDependencies([npm('lodash', '4.17.21')], undefined, index), []);
    assert.equal(checkDependencies([npm('lodash', '4.17.21')], undefined, index, new Date('2023-03-15T00:00:00Z')).length, 1);
  });

  test('the advisory check runs beside the policy rules', () => {
    const findings = checkDependencies([npm('lodash', '4.17.20', { digest: {} })], policy({ requireDigest: true }), index);
    assert.deepEqual(summary(findings), [`DEPENDENCY_UNPINNED ${PATH}[0]`, `DEPENDENCY_VULNERABLE ${PATH}[0]`]);
  });

  test('a policy asking for advisories with none loaded fails closed', () => {
    assert.deepEqual(
      checkDependencies([npm('express', '4.19.2')], policy({ advisories: { directory: 'osv' } })).map((f) => [f.code, f.path]),
      [['POLICY_INVALID', 'policy.dependencies.advisories']],
    );
  });
});

describe('isUnderRegistry', () => {
  const cases: [string, string, boolean][] = [
    ['https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz', 'https://registry.npmjs.org', true],
    ['https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz', 'https://registry.npmjs.org/', true],
    ['https://REGISTRY.npmjs.org:443/x.tgz', 'https://registry.npmjs.org', true],
    ['https://registry.npmjs.org.evil.com/x.tgz', 'https://registry.npmjs.org', false],
    ['https://registry.npmjs.organic/x.tgz', 'https://registry.npmjs.org', false],
    ['http://registry.npmjs.org/x.tgz', 'https://registry.npmjs.org', false],
    ['https://registry.npmjs.org:8443/x.tgz', 'https://registry.npmjs.org', false],
    ['https://user@evil.com/x.tgz', 'https://registry.npmjs.org', false],
    ['https://npm.pkg.github.com/acme/a.tgz', 'https://npm.pkg.github.com/acme', true],
    ['https://npm.pkg.github.com/acme', 'https://npm.pkg.github.com/acme', true],
    ['https://npm.pkg.github.com/acme-evil/a.tgz', 'https://npm.pkg.github.com/acme', false],
    ['https://npm.pkg.github.com/acme/../evil/a.tgz', 'https://npm.pkg.github.com/acme', false],
    ['https://npm.pkg.github.com/acme/%2e%2e/evil/a.tgz', 'https://npm.pkg.github.com/acme', false],
    ['git+ssh://git@github.com/a/b.git', 'https://registry.npmjs.org', false],
    ['not a url', 'https://registry.npmjs.org', false],
  ];
  for (const [location, registry, expected] of cases) test(`${location} under ${registry}: ${expected}`, () => assert.equal(isUnderRegistry(location, registry), expected));
});

describe('sourceKindOf', () => {
  const cases: [DependencyEntry, string][] = [
    [{ annotations: { sourceKind: 'remote-tarball' }, downloadLocation: 'git+https://x' }, 'remote-tarball'],
    [{ downloadLocation: 'git+https://github.com/a/b.git' }, 'git'],
    [{ downloadLocation: 'github:a/b' }, 'git'],
    [{ downloadLocation: 'file:../x.tgz' }, 'file'],
    [{ downloadLocation: 'link:packages/b' }, 'link'],
    [{ downloadLocation: 'https://registry.npmjs.org/a/-/a-1.0.0.tgz' }, 'registry'],
    [{}, 'registry'],
  ];
  for (const [dep, expected] of cases) test(`${JSON.stringify(dep)} → ${expected}`, () => assert.equal(sourceKindOf(dep), expected));
});
