import assert from 'node:assert/strict';
import { cp, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ResourceDescriptorSchema, isProvenantError } from '@provenant/core';
import { type DependencyScope, type ResolvedPackage, parseNpmLockfile, toResourceDescriptor } from './npm-lockfile.ts';
import { classifySource, registryTarballUrl, versionFromTarball } from './npm-lockfile-source.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/npm/', import.meta.url));

// Arborist ships no types; this is the slice of its Node the parity test reads.
interface ArbNode {
  location: string;
  packageName: string;
  version: string;
  isRoot: boolean;
  isLink: boolean;
  isWorkspace: boolean;
  target: ArbNode;
  dev: boolean;
  optional: boolean;
  devOptional: boolean;
  peer: boolean;
  edgesOut: Map<string, { to: ArbNode | null; type: string }>;
  inventory: Map<string, ArbNode>;
}
type ArboristClass = new (options: { path: string }) => { loadVirtual(): Promise<ArbNode> };
const Arborist = createRequire(import.meta.url)('@npmcli/arborist') as ArboristClass;

const tempDirs: string[] = [];
after(async () => {
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

async function lockfileOf(dir: string): Promise<string> {
  const names = await readdir(dir);
  return names.includes('npm-shrinkwrap.json') ? 'npm-shrinkwrap.json' : 'package-lock.json';
}

/** Parses a fixture the way the collector does: its lockfile plus the package.json beside it. */
async function parseFixture(name: string): Promise<{ lockfileVersion: number; packages: ResolvedPackage[]; roots: string[] }> {
  const dir = join(FIXTURES, name);
  const file = await lockfileOf(dir);
  const rootManifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
  return parseNpmLockfile(await readFile(join(dir, file), 'utf8'), `${name}/${file}`, { rootManifest });
}

function byId(packages: ResolvedPackage[]): Map<string, ResolvedPackage> {
  return new Map(packages.map((p) => [`${p.name}@${p.version}`, p]));
}

function get(packages: ResolvedPackage[], id: string): ResolvedPackage {
  const pkg = byId(packages).get(id);
  assert.ok(pkg, `${id} is collected`);
  return pkg;
}

const RANK: Record<DependencyScope, number> = { prod: 3, optional: 2, peer: 1, dev: 0 };

/**
 * What npm's own Arborist says, independently of our parser: the distinct name@version of every
 * node except the root, links and local projects (link targets: workspace members and `file:`
 * directories); each one's strongest scope over its nodes; and the direct set from the edges
 * Arborist itself resolved out of the root and the local projects.
 */
async function arboristView(name: string) {
  let dir = join(FIXTURES, name);
  if ((await lockfileOf(dir)) === 'npm-shrinkwrap.json') {
    // This Arborist (10.x) only loads package-lock.json; the content is what matters.
    const copy = await mkdtemp(join(tmpdir(), 'provenant-npm-'));
    tempDirs.push(copy);
    await cp(dir, copy, { recursive: true });
    await rename(join(copy, 'npm-shrinkwrap.json'), join(copy, 'package-lock.json'));
    dir = copy;
  }
  const tree = await new Arborist({ path: dir }).loadVirtual();
  const nodes = [...tree.inventory.values()];
  const linkTargets = new Set(nodes.filter((n) => n.isLink).map((n) => n.target));
  const scopes = new Map<string, DependencyScope>();
  for (const n of nodes) {
    if (n.isRoot || n.isLink || n.isWorkspace || linkTargets.has(n)) continue;
    const id = `${n.packageName}@${n.version}`;
    const scope: DependencyScope = n.dev ? 'dev' : n.optional || n.devOptional ? 'optional' : n.peer ? 'peer' : 'prod';
    const seen = scopes.get(id);
    if (seen === undefined || RANK[scope] > RANK[seen]) scopes.set(id, scope);
  }
  const direct = new Set<string>();
  for (const project of [tree, ...linkTargets]) {
    for (const edge of project.edgesOut.values()) {
      if (edge.to && !edge.to.isLink) direct.add(`${edge.to.packageName}@${edge.to.version}`);
    }
  }
  // The graph: each package's resolved edges, merged per name@version; an edge to a link reaches
  // a local project, not a package.
  const edges = new Map<string, Set<string>>();
  for (const n of nodes) {
    if (n.isRoot || n.isLink || n.isWorkspace || linkTargets.has(n)) continue;
    const id = `${n.packageName}@${n.version}`;
    const out = edges.get(id) ?? new Set<string>();
    edges.set(id, out);
    for (const edge of n.edgesOut.values()) {
      if (edge.to && !edge.to.isLink) out.add(`${edge.to.packageName}@${edge.to.version}`);
    }
  }
  return { scopes, direct, edges };
}

/** Our edges as name@version sets, for comparing with Arborist's. */
function edgeIds(packages: ResolvedPackage[]): Map<string, Set<string>> {
  const idOf = new Map(packages.map((p) => [p.purl, `${p.name}@${p.version}`]));
  return new Map(packages.map((p) => [`${p.name}@${p.version}`, new Set((p.dependencies ?? []).map((d) => idOf.get(d) ?? `missing ${d}`))]));
}

const FIXTURE_NAMES = (await readdir(FIXTURES, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);

describe('parity with npm Arborist on every fixture', () => {
  test('the fixture set covers every case', () => {
    assert.deepEqual(FIXTURE_NAMES.sort(), [
      'huge-v3',
      'large-v1',
      'large-v3',
      'local-sources-v1',
      'local-sources-v3',
      'no-resolved',
      'shrinkwrap',
      'small-v1',
      'small-v2',
      'small-v3',
      'workspaces',
    ]);
  });

  for (const name of FIXTURE_NAMES) {
    test(`${name}: same name@version set, scopes and direct set as Arborist`, async () => {
      const [{ lockfileVersion, packages }, expected] = await Promise.all([parseFixture(name), arboristView(name)]);
      const ids = packages.map((p) => `${p.name}@${p.version}`);
      assert.equal(new Set(ids).size, ids.length, 'one entry per name@version');
      assert.deepEqual([...ids].sort(), [...expected.scopes.keys()].sort());
      // v1 scopes are the flags npm 6 recorded; Arborist recomputes those from the graph when it
      // finds them suspect, so only v2/v3 (whose flags Arborist takes as written) can agree.
      if (lockfileVersion >= 2) {
        assert.deepEqual(new Map(packages.map((p) => [`${p.name}@${p.version}`, p.scope])), new Map([...expected.scopes].sort()));
      }
      assert.deepEqual(packages.filter((p) => p.direct).map((p) => `${p.name}@${p.version}`).sort(), [...expected.direct].sort());
    });

    test(`${name}: same graph edges and roots as Arborist`, async () => {
      const [{ packages, roots }, expected] = await Promise.all([parseFixture(name), arboristView(name)]);
      assert.deepEqual(edgeIds(packages), new Map([...expected.edges].sort()));
      assert.deepEqual(roots, packages.filter((p) => p.direct).map((p) => p.purl).sort());
      for (const p of packages) assert.deepEqual(p.dependencies, [...new Set(p.dependencies)].sort(), `${p.purl}: sorted, no duplicates`);
    });
  }

  test('the large fixtures are realistic: 500+ packages, v1 and v3 resolve the same set', async () => {
    const [v1, v3] = await Promise.all([parseFixture('large-v1'), parseFixture('large-v3')]);
    assert.ok(v3.packages.length >= 500, `${v3.packages.length} packages`);
    assert.equal(v3.lockfileVersion, 3);
    assert.equal(v1.lockfileVersion, 1);
    assert.deepEqual(v1.packages.map((p) => p.purl), v3.packages.map((p) => p.purl));
  });
});

describe('parseNpmLockfile on the small app (v3)', async () => {
  const { lockfileVersion, packages } = await parseFixture('small-v3');

  test('reads lockfileVersion 3 and leaves out the root', () => {
    assert.equal(lockfileVersion, 3);
    assert.equal(packages.length, 30);
    assert.ok(!packages.some((p) => p.name === 'small-app'));
  });

  test('a scoped package: purl, digest from integrity, resolved as downloadLocation', () => {
    assert.deepEqual(get(packages, '@isaacs/string-locale-compare@1.1.0'), {
      ecosystem: 'npm',
      name: '@isaacs/string-locale-compare',
      version: '1.1.0',
      purl: 'pkg:npm/%40isaacs/string-locale-compare@1.1.0',
      digest: {
        sha512:
          '490ecace187df83f995bd300d33918bf75578480cdc7e2f333a109fbfeb9237418f9e9d4e88b6d7bb1395d7ec45aba8b5b614de27d3a196cc19cfa02ded87669',
      },
      downloadLocation: 'https://registry.npmjs.org/@isaacs/string-locale-compare/-/string-locale-compare-1.1.0.tgz',
      scope: 'prod',
      direct: true,
      sourceKind: 'registry',
      dependencies: [],
    });
  });

  test('a name@version installed at two paths is one dependency; two versions are two', () => {
    // debug@2.6.9 sits under connect/ and finalhandler/; debug@4.3.4 is hoisted.
    assert.equal(packages.filter((p) => p.name === 'debug').length, 2);
    assert.equal(get(packages, 'debug@2.6.9').direct, false);
    assert.equal(get(packages, 'debug@4.3.4').direct, true);
    assert.equal(get(packages, 'ms@2.0.0').scope, 'prod');
  });

  test('an alias is recorded as the real package, and is direct through its alias name', () => {
    // "my-ms": "npm:ms@2.1.2" installs ms into node_modules/my-ms.
    const ms = get(packages, 'ms@2.1.2');
    assert.equal(ms.purl, 'pkg:npm/ms@2.1.2');
    assert.equal(ms.direct, true);
    assert.ok(!packages.some((p) => p.name === 'my-ms'));
  });

  test('scopes: dev, optional, devOptional, peer', () => {
    assert.equal(get(packages, 'semver@7.5.4').scope, 'dev');
    assert.equal(get(packages, 'lru-cache@6.0.0').scope, 'dev');
    assert.equal(get(packages, 'is-number@7.0.0').scope, 'optional');
    // once is an optionalDependency that the dev dependency inflight also needs: devOptional.
    assert.equal(get(packages, 'once@1.4.0').scope, 'optional');
    assert.equal(get(packages, 'wrappy@1.0.2').scope, 'optional');
    assert.equal(get(packages, 'react@18.3.1').scope, 'peer');
    assert.equal(get(packages, 'react@18.3.1').direct, false);
    // A root peerDependency that a prod package also needs stays prod, and is direct.
    assert.deepEqual([get(packages, 'escape-html@1.0.3').scope, get(packages, 'escape-html@1.0.3').direct], ['prod', true]);
  });

  test('edges resolve from each install location, as Node does', () => {
    // debug@2.6.9 under connect/ and finalhandler/ finds ms@2.0.0; the hoisted debug@4.3.4 finds ms@2.1.2.
    assert.deepEqual(get(packages, 'debug@2.6.9').dependencies, ['pkg:npm/ms@2.0.0']);
    assert.deepEqual(get(packages, 'debug@4.3.4').dependencies, ['pkg:npm/ms@2.1.2']);
    // react-dom's peer react is an edge too; an alias is an edge to the real package.
    assert.ok(get(packages, 'react-dom@18.2.0').dependencies?.includes('pkg:npm/react@18.3.1'));
  });

  test('output is sorted by name then version', () => {
    const ids = packages.map((p) => [p.name, p.version]);
    const sorted = [...ids].sort(([an, av], [bn, bv]) => (an! < bn! ? -1 : an! > bn! ? 1 : av! < bv! ? -1 : av! > bv! ? 1 : 0));
    assert.deepEqual(ids, sorted);
  });
});

describe('lockfileVersion 1, 2 and 3 of the same project', async () => {
  const [v1, v2, v3] = await Promise.all([parseFixture('small-v1'), parseFixture('small-v2'), parseFixture('small-v3')]);

  test('v2 and v3 give identical results', () => {
    assert.equal(v2.lockfileVersion, 2);
    assert.deepEqual(v2.packages, v3.packages);
  });

  test('v1 (npm 6) has the same packages except the peer npm 6 did not install', () => {
    assert.equal(v1.lockfileVersion, 1);
    const expected = v3.packages.filter((p) => p.name !== 'react').map((p) => p.purl);
    assert.deepEqual(
      v1.packages.map((p) => p.purl),
      expected,
    );
    // Same digests, downloadLocations and direct flags for the shared packages.
    const v3ById = byId(v3.packages);
    for (const p of v1.packages) {
      const q = v3ById.get(`${p.name}@${p.version}`)!;
      assert.deepEqual([p.digest, p.downloadLocation, p.direct], [q.digest, q.downloadLocation, q.direct], p.purl);
    }
    // npm 6 recorded its own flags: dev stays dev, the v1 alias resolves to the real package.
    assert.equal(get(v1.packages, 'semver@7.5.4').scope, 'dev');
    assert.equal(get(v1.packages, 'ms@2.1.2').direct, true);
  });

  test('v1 without the root package.json cannot tell direct dependencies', async () => {
    const text = await readFile(join(FIXTURES, 'small-v1/package-lock.json'), 'utf8');
    const { packages } = parseNpmLockfile(text);
    assert.equal(packages.length, v1.packages.length);
    assert.ok(packages.every((p) => !p.direct));
  });

  test('v2 reads "packages", not the legacy "dependencies" tree', async () => {
    const data = JSON.parse(await readFile(join(FIXTURES, 'small-v2/package-lock.json'), 'utf8'));
    data.dependencies = { bogus: { version: '9.9.9' } };
    assert.deepEqual(parseNpmLockfile(JSON.stringify(data)).packages, v2.packages);
  });
});

describe('workspaces', async () => {
  const { packages } = await parseFixture('workspaces');

  test('members are not dependencies', () => {
    assert.ok(!packages.some((p) => p.name.startsWith('@mono/') || p.name === 'c-tool' || p.name === 'mono-root'));
  });

  test("direct resolves through the member's own node_modules first, then the root's", () => {
    // @mono/b wants ms@2.0.0 (packages/b/node_modules/ms); the root wants ms@2.1.3 (hoisted);
    // ms@2.1.2 only serves debug.
    assert.equal(get(packages, 'ms@2.0.0').direct, true);
    assert.equal(get(packages, 'ms@2.1.3').direct, true);
    assert.equal(get(packages, 'ms@2.1.2').direct, false);
    assert.deepEqual([get(packages, 'semver@6.3.1').scope, get(packages, 'semver@6.3.1').direct], ['dev', true]);
    assert.equal(get(packages, 'debug@4.3.4').direct, true); // declared by @mono/a, hoisted to the root
    assert.deepEqual([get(packages, 'once@1.4.0').scope, get(packages, 'once@1.4.0').direct], ['optional', true]);
  });

  test('roots are the direct dependencies; an edge to a workspace member is no edge', async () => {
    const { roots } = await parseFixture('workspaces');
    assert.deepEqual(roots, packages.filter((p) => p.direct).map((p) => p.purl));
    const purls = new Set(packages.map((p) => p.purl));
    for (const p of packages) for (const d of p.dependencies ?? []) assert.ok(purls.has(d), `${p.purl} -> ${d}`);
  });
});

describe('edges stay linear in the lockfile', () => {
  test('230 nested levels, each requiring 2,000 names hoisted to the root', () => {
    const names = Array.from({ length: 2000 }, (_, i) => `n${i}`);
    const packages: Record<string, unknown> = { '': { name: 'x', dependencies: { a0: '1' } } };
    let location = '';
    for (let depth = 0; depth < 230; depth++) {
      location = depth === 0 ? 'node_modules/a0' : `${location}/node_modules/a${depth}`;
      packages[location] = { version: `1.0.${depth}`, dependencies: Object.fromEntries(names.map((n) => [n, '1'])) };
    }
    for (const n of names) packages[`node_modules/${n}`] = { version: '1.0.0' };
    // The deepest level also has its own n0, which must win over the hoisted one.
    packages[`${location}/node_modules/n0`] = { version: '2.0.0' };
    const started = performance.now();
    const result = parseNpmLockfile(JSON.stringify({ lockfileVersion: 3, packages }));
    assert.ok(performance.now() - started < 5000, 'resolving 460,000 edges takes seconds at most');
    assert.equal(get(result.packages, 'a229@1.0.229').dependencies?.[0], 'pkg:npm/n0@2.0.0');
    assert.equal(get(result.packages, 'a228@1.0.228').dependencies?.[0], 'pkg:npm/n0@1.0.0');
  });
});

describe('lockfiles without resolved URLs (omit-lockfile-registry-resolved)', async () => {
  const text = await readFile(join(FIXTURES, 'no-resolved/package-lock.json'), 'utf8');
  const { packages } = await parseFixture('no-resolved');

  test('the fixture really has no resolved field', () => {
    assert.ok(!text.includes('"resolved"'));
  });

  test('downloadLocation is derived from the registry, scoped names included', () => {
    assert.equal(get(packages, '@babel/code-frame@7.22.13').downloadLocation, 'https://registry.npmjs.org/@babel/code-frame/-/code-frame-7.22.13.tgz');
    assert.equal(get(packages, 'chalk@2.4.2').downloadLocation, 'https://registry.npmjs.org/chalk/-/chalk-2.4.2.tgz');
    // An alias downloads the real package.
    const once = get(packages, '@tootallnate/once@2.0.0');
    assert.deepEqual([once.downloadLocation, once.purl, once.direct], ['https://registry.npmjs.org/@tootallnate/once/-/once-2.0.0.tgz', 'pkg:npm/%40tootallnate/once@2.0.0', true]);
    assert.ok(packages.every((p) => p.sourceKind === 'registry' && Object.keys(p.digest).length > 0));
  });
});

describe('local sources: file tarball, file directory link, tarball URL, scoped alias', async () => {
  const [v3, v1] = await Promise.all([parseFixture('local-sources-v3'), parseFixture('local-sources-v1')]);

  test('a file: tarball keeps its resolved and digest; a file: directory link is a local project', () => {
    const vendored = get(v3.packages, '@acme/vendored@0.3.0');
    assert.deepEqual([vendored.sourceKind, vendored.downloadLocation, vendored.direct], ['file', 'file:vendor/acme-vendored-0.3.0.tgz', true]);
    assert.ok(vendored.digest['sha512']);
    assert.ok(!v3.packages.some((p) => p.name === 'helper'));
    // wrappy is declared by libs/helper, the target of "helper": "file:libs/helper".
    assert.equal(get(v3.packages, 'wrappy@1.0.2').direct, true);
    assert.equal(get(v3.packages, 'is-number@7.0.0').direct, false);
  });

  test('v1 recovers names and versions from the overloaded version field, as Arborist does', () => {
    // "tarball-dep": "https://registry.npmjs.org/ms/-/ms-2.1.3.tgz" is ms@2.1.3.
    assert.equal(get(v1.packages, 'ms@2.1.3').downloadLocation, 'https://registry.npmjs.org/ms/-/ms-2.1.3.tgz');
    // npm pack names the tarball acme-vendored-0.3.0.tgz, which v1 never resolved to a version.
    const vendored = get(v1.packages, '@acme/vendored@');
    assert.deepEqual([vendored.purl, vendored.sourceKind, vendored.downloadLocation], ['pkg:npm/%40acme/vendored', 'file', 'file:vendor/acme-vendored-0.3.0.tgz']);
    assert.equal(get(v1.packages, '@isaacs/string-locale-compare@1.1.0').direct, true);
  });
});

describe('sources', () => {
  test('classifySource', () => {
    const cases: Array<[string | undefined, string]> = [
      [undefined, 'registry'],
      ['https://registry.npmjs.org/ms/-/ms-2.1.3.tgz', 'registry'],
      ['https://registry.yarnpkg.com/@babel/core/-/core-7.24.4.tgz', 'registry'],
      ['https://npm.example.com/repository/npm-proxy/@acme/x/-/x-1.0.0.tgz', 'registry'],
      ['git+ssh://git@github.com/acme/x.git#0123456789abcdef0123456789abcdef01234567', 'git'],
      ['git+https://github.com/acme/x.git#0123456', 'git'],
      ['git://github.com/acme/x.git#0123456', 'git'],
      ['github:acme/x#0123456', 'git'],
      ['file:vendor/x-1.0.0.tgz', 'file'],
      ['https://codeload.github.com/acme/x/tar.gz/0123456', 'remote-tarball'],
      ['https://example.com/downloads/x.tgz', 'remote-tarball'],
    ];
    for (const [resolved, kind] of cases) assert.equal(classifySource(resolved), kind, String(resolved));
  });

  test('registryTarballUrl drops the scope from the file name', () => {
    assert.equal(registryTarballUrl('@scope/name', '1.2.3-beta.1'), 'https://registry.npmjs.org/@scope/name/-/name-1.2.3-beta.1.tgz');
    assert.equal(registryTarballUrl('left-pad', '1.3.0'), 'https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz');
  });

  test('versionFromTarball follows Arborist', () => {
    assert.deepEqual(versionFromTarball('alias', 'https://r.example/@s/n/-/n-2.0.0.tgz'), { name: '@s/n', version: '2.0.0' });
    assert.deepEqual(versionFromTarball('@s/n', 'file:/x/n-1.0.0+build.tgz'), { name: '@s/n', version: '1.0.0' });
    assert.equal(versionFromTarball('n', 'file:/x/other-1.0.0.tgz'), undefined);
    assert.equal(versionFromTarball('n', 'file:/x/n-01.0.0.tgz'), undefined);
  });

  test('git and remote tarball entries of a v3 lockfile', () => {
    const lock = {
      lockfileVersion: 3,
      packages: {
        '': { name: 'x', dependencies: { gitdep: 'github:acme/gitdep', remote: 'https://example.com/remote-1.0.0.tgz' } },
        'node_modules/gitdep': { version: '1.0.0', resolved: 'git+ssh://git@github.com/acme/gitdep.git#0123456789abcdef0123456789abcdef01234567' },
        'node_modules/remote': { version: '1.0.0', resolved: 'https://example.com/remote-1.0.0.tgz', integrity: `sha1-${Buffer.alloc(20).toString('base64')}` },
      },
    };
    const { packages } = parseNpmLockfile(JSON.stringify(lock));
    assert.deepEqual(
      packages.map((p) => [p.name, p.sourceKind, p.downloadLocation, p.digest, p.direct]),
      [
        ['gitdep', 'git', 'git+ssh://git@github.com/acme/gitdep.git#0123456789abcdef0123456789abcdef01234567', {}, true],
        ['remote', 'remote-tarball', 'https://example.com/remote-1.0.0.tgz', { sha1: '0'.repeat(40) }, true],
      ],
    );
  });

  test('a v1 git dependency has no version, and keeps its commit as downloadLocation', () => {
    const lock = {
      lockfileVersion: 1,
      dependencies: { gitdep: { version: 'github:acme/gitdep#0123456', from: 'github:acme/gitdep' } },
    };
    const [pkg] = parseNpmLockfile(JSON.stringify(lock)).packages;
    assert.deepEqual([pkg?.version, pkg?.purl, pkg?.sourceKind, pkg?.downloadLocation], ['', 'pkg:npm/gitdep', 'git', 'github:acme/gitdep#0123456']);
  });

  test('scope merging keeps the strongest scope of all install paths', () => {
    const lock = {
      lockfileVersion: 3,
      packages: {
        '': { name: 'x' },
        'node_modules/a': { version: '1.0.0', dev: true },
        'node_modules/b/node_modules/a': { version: '1.0.0', peer: true },
        'node_modules/b': { version: '1.0.0', dev: true },
        'node_modules/c': { version: '1.0.0', dev: true, optional: true },
        'node_modules/d/node_modules/c': { version: '1.0.0', optional: true },
        'node_modules/d': { version: '1.0.0', optional: true },
      },
    };
    const scopes = parseNpmLockfile(JSON.stringify(lock)).packages.map((p) => `${p.name}:${p.scope}`);
    assert.deepEqual(scopes, ['a:peer', 'b:dev', 'c:optional', 'd:optional']);
  });
});

describe('toResourceDescriptor', async () => {
  const { packages } = await parseFixture('small-v3');

  test('a valid ResourceDescriptor with a fixed key order', () => {
    const rd = toResourceDescriptor(get(packages, 'react@18.3.1'));
    assert.deepEqual(Object.keys(rd), ['uri', 'digest', 'name', 'downloadLocation', 'annotations']);
    assert.deepEqual(rd.annotations, { ecosystem: 'npm', scope: 'peer', direct: false, sourceKind: 'registry' });
    assert.equal(rd.uri, 'pkg:npm/react@18.3.1');
    assert.equal(ResourceDescriptorSchema.safeParse(rd).success, true);
  });

  test('digest algorithms are sorted; an empty digest and a missing downloadLocation are left out', () => {
    const pkg: ResolvedPackage = {
      ecosystem: 'npm',
      name: 'x',
      version: '1.0.0',
      purl: 'pkg:npm/x@1.0.0',
      digest: { sha512: 'ab', sha1: 'cd' },
      scope: 'prod',
      direct: false,
      sourceKind: 'registry',
    };
    assert.deepEqual(Object.keys(toResourceDescriptor(pkg).digest ?? {}), ['sha1', 'sha512']);
    assert.deepEqual(Object.keys(toResourceDescriptor({ ...pkg, digest: {} })), ['uri', 'name', 'annotations']);
  });
});

describe('malformed input is LOCKFILE_INVALID, never a TypeError', () => {
  function deepV1(depth: number): string {
    return `{"lockfileVersion":1,"dependencies":${'{"a":{"version":"1.0.0","dependencies":'.repeat(depth)}{}${'}}'.repeat(depth)}}`;
  }
  const cases: Record<string, string> = {
    'not JSON': '{"lockfileVersion": 3,',
    'an array': '[]',
    null: 'null',
    'a number': '42',
    'no lockfileVersion': '{"packages": {}}',
    'lockfileVersion as a string': '{"lockfileVersion": "3", "packages": {}}',
    'unknown lockfileVersion': '{"lockfileVersion": 99, "packages": {}}',
    'packages is an array': '{"lockfileVersion": 3, "packages": []}',
    'packages is missing in v3': '{"lockfileVersion": 3}',
    'an entry is null': '{"lockfileVersion": 3, "packages": {"node_modules/a": null}}',
    'an entry is an array': '{"lockfileVersion": 2, "packages": {"node_modules/a": []}}',
    'version is a number': '{"lockfileVersion": 3, "packages": {"node_modules/a": {"version": 1}}}',
    'name is an object': '{"lockfileVersion": 3, "packages": {"node_modules/a": {"name": {}, "version": "1.0.0"}}}',
    'a flag is a string': '{"lockfileVersion": 3, "packages": {"node_modules/a": {"version": "1.0.0", "dev": "yes"}}}',
    'integrity is an array': '{"lockfileVersion": 3, "packages": {"node_modules/a": {"version": "1.0.0", "integrity": []}}}',
    'a link without resolved': '{"lockfileVersion": 3, "packages": {"node_modules/a": {"link": true}}}',
    'an empty package name': '{"lockfileVersion": 3, "packages": {"node_modules/": {"version": "1.0.0"}}}',
    'root dependencies is an array': '{"lockfileVersion": 3, "packages": {"": {"dependencies": ["a"]}}}',
    'a location longer than PATH_MAX': `{"lockfileVersion": 3, "packages": {"node_modules/${'a'.repeat(5000)}": {"version": "1.0.0"}}}`,
    'v1 dependencies is an array': '{"lockfileVersion": 1, "dependencies": []}',
    'a v1 entry is a string': '{"lockfileVersion": 1, "dependencies": {"a": "1.0.0"}}',
    'a v1 nested dependencies is a string': '{"lockfileVersion": 1, "dependencies": {"a": {"version": "1.0.0", "dependencies": "b"}}}',
    'a v1 empty name': '{"lockfileVersion": 1, "dependencies": {"": {"version": "1.0.0"}}}',
    'v1 nested 100,000 deep': deepV1(100_000),
  };
  for (const [what, text] of Object.entries(cases)) {
    test(what, () => {
      assert.throws(
        () => parseNpmLockfile(text, 'dir/package-lock.json'),
        (e) => isProvenantError(e) && e.code === 'LOCKFILE_INVALID' && e.message.startsWith('dir/package-lock.json: '),
      );
    });
  }

  test('a byte-order mark and a __proto__ key are harmless', () => {
    const text = '\uFEFF{"lockfileVersion": 3, "packages": {"__proto__": {"version": "1.0.0"}, "node_modules/a": {"version": "1.0.0"}}}';
    const { packages } = parseNpmLockfile(text);
    assert.deepEqual(
      packages.map((p) => p.purl),
      ['pkg:npm/a@1.0.0'],
    );
    assert.equal(({} as Record<string, unknown>)['version'], undefined);
  });

  test('a v1 tree nested 200 deep (within PATH_MAX) parses', () => {
    const { packages } = parseNpmLockfile(deepV1(200));
    assert.equal(packages.length, 1);
  });
});
