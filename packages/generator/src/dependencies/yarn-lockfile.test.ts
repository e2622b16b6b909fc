import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isProvenantError } from '@provenant/core';
import { parse as parseClassic } from '@yarnpkg/lockfile';
import { parseSyml } from '@yarnpkg/parsers';
import { fakeContext } from '../testing/fake-context.ts';
import { lockfileCollector } from './collector.ts';
import type { DependencyFacts, ResolvedPackage } from './model.ts';
import { berryDigestKey, parseYarnBerryLockfile } from './yarn-berry.ts';
import { aliasTarget, parseYarnClassicLockfile } from './yarn-classic.ts';
import { isBerryLockfile, yarnFormat } from './yarn-format.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/yarn/', import.meta.url));
const FIXTURE_NAMES = (await readdir(FIXTURES, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);

/** Every file of a fixture, by path relative to it, for a fake context. */
async function fixtureFiles(name: string, prefix = ''): Promise<Record<string, string>> {
  const dir = join(FIXTURES, name);
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[`${prefix}${relative(dir, path)}`] = await readFile(path, 'utf8');
  }
  return files;
}

/** A fixture through the collector, the way it runs for real: the lockfile plus the manifests beside it. */
async function collectFixture(name: string): Promise<DependencyFacts> {
  const ctx = fakeContext({ files: await fixtureFiles(name) });
  const [facts, ...rest] = await lockfileCollector({ formats: [yarnFormat] }).collect(ctx);
  assert.equal(rest.length, 0);
  assert.ok(facts);
  return facts;
}

function get(packages: ResolvedPackage[], id: string): ResolvedPackage {
  const found = packages.find((p) => `${p.name}@${p.version}` === id);
  assert.ok(found, `${id} is collected`);
  return found;
}

/**
 * The reference sets, from yarn's own parsers, independently of ours. Classic: every entry of
 * @yarnpkg/lockfile's parse, as the real name (an `npm:` alias names it) @ its version. Berry:
 * every entry of @yarnpkg/parsers' parseSyml but `__metadata` and the `@workspace:` ones (the
 * root and the members), as its resolution's name @ its version.
 */
function referenceIds(name: string, text: string): Set<string> {
  const ids = new Set<string>();
  if (name.startsWith('classic')) {
    const { object } = parseClassic(text) as { object: Record<string, { version: string }> };
    for (const [descriptor, entry] of Object.entries(object)) {
      const at = descriptor.indexOf('@', 1);
      const range = descriptor.slice(at + 1);
      const alias = range.startsWith('npm:') ? range.slice(4, range.indexOf('@', 5) > 0 ? range.indexOf('@', 5) : undefined) : undefined;
      ids.add(`${alias ?? descriptor.slice(0, at)}@${entry.version}`);
    }
  } else {
    for (const [key, entry] of Object.entries(parseSyml(text) as Record<string, { resolution: string; version: string }>)) {
      if (key === '__metadata' || entry.resolution.includes('@workspace:')) continue;
      const version = entry.version === '0.0.0-use.local' ? '' : entry.version;
      ids.add(`${entry.resolution.slice(0, entry.resolution.indexOf('@', 1))}@${version}`);
    }
  }
  return ids;
}

describe('parity with yarn’s own parsers on every fixture', () => {
  test('the fixture set covers every case', () => {
    assert.deepEqual(FIXTURE_NAMES.sort(), ['berry-small', 'berry-workspaces', 'berry3-small', 'classic-small', 'classic-workspaces']);
  });

  const expectedCounts: Record<string, number> = { 'classic-small': 26, 'classic-workspaces': 7, 'berry-small': 26, 'berry3-small': 26, 'berry-workspaces': 7 };
  for (const name of FIXTURE_NAMES) {
    test(`${name}: the same name@version set as yarn’s parser`, async () => {
      const text = await readFile(join(FIXTURES, name, 'yarn.lock'), 'utf8');
      const { packages, roots } = await collectFixture(name);
      const ids = packages.map((p) => `${p.name}@${p.version}`);
      assert.equal(new Set(ids).size, ids.length, 'one entry per name@version');
      assert.deepEqual([...ids].sort(), [...referenceIds(name, text)].sort());
      assert.equal(ids.length, expectedCounts[name]);
      assert.deepEqual(roots, packages.filter((p) => p.direct).map((p) => p.purl).sort());
      const purls = new Set(packages.map((p) => p.purl));
      for (const p of packages) for (const d of p.dependencies ?? []) assert.ok(purls.has(d), `${p.purl} -> ${d}`);
    });
  }

  test('classic and berry agree on the small app, apart from what each records', async () => {
    const [classic, berry] = await Promise.all([collectFixture('classic-small'), collectFixture('berry-small')]);
    const view = (f: DependencyFacts) => f.packages.map((p) => [p.purl, p.scope, p.direct, p.dependencies]);
    assert.deepEqual(view(classic), view(berry));
    assert.deepEqual(classic.roots, berry.roots);
  });
});

describe('yarn classic (v1)', async () => {
  const facts = await collectFixture('classic-small');
  const { packages } = facts;

  test('detected as classic; manager yarn, lockfileVersion 1', async () => {
    assert.equal(isBerryLockfile(await readFile(join(FIXTURES, 'classic-small/yarn.lock'), 'utf8')), false);
    assert.deepEqual([facts.manager, facts.ecosystem, facts.lockfileVersion], ['yarn', 'npm', 1]);
  });

  test('a scoped package: integrity and the sha1 of the resolved fragment; the fragment is not part of the URL', () => {
    assert.deepEqual(get(packages, '@isaacs/string-locale-compare@1.1.0'), {
      ecosystem: 'npm',
      name: '@isaacs/string-locale-compare',
      version: '1.1.0',
      purl: 'pkg:npm/%40isaacs/string-locale-compare@1.1.0',
      digest: {
        sha512:
          '490ecace187df83f995bd300d33918bf75578480cdc7e2f333a109fbfeb9237418f9e9d4e88b6d7bb1395d7ec45aba8b5b614de27d3a196cc19cfa02ded87669',
        sha1: '291c227e93fd407a96ecd59879a35809120e432b',
      },
      downloadLocation: 'https://registry.yarnpkg.com/@isaacs/string-locale-compare/-/string-locale-compare-1.1.0.tgz',
      scope: 'prod',
      direct: true,
      sourceKind: 'registry',
      dependencies: [],
    });
  });

  test('scopes from the root manifest and the graph; an alias is the real package', () => {
    assert.deepEqual([get(packages, 'semver@7.5.4').scope, get(packages, 'semver@7.5.4').direct], ['dev', true]);
    assert.equal(get(packages, 'yallist@4.0.0').scope, 'dev');
    assert.deepEqual([get(packages, 'ms@2.1.3').purl, get(packages, 'ms@2.1.3').direct], ['pkg:npm/ms@2.1.3', true]);
    // Yarn classic installs no peers: react is absent; the root's peer escape-html is only finalhandler's.
    assert.ok(!packages.some((p) => p.name === 'react'));
    assert.deepEqual([get(packages, 'escape-html@1.0.3').scope, get(packages, 'escape-html@1.0.3').direct], ['prod', false]);
    assert.deepEqual(get(packages, 'debug@2.6.9').dependencies, ['pkg:npm/ms@2.0.0']);
  });

  test('file: tarball (sha1 from the fragment) and file: directory', () => {
    const vendored = get(packages, '@acme/vendored@0.3.0');
    assert.deepEqual([vendored.sourceKind, vendored.downloadLocation, vendored.digest], ['file', 'file:./vendor/acme-vendored-0.3.0.tgz', { sha1: 'c6b50264fa65df91b1e9c677676ccb61e1eb56df' }]);
    const helper = get(packages, 'helper@1.0.0');
    assert.deepEqual([helper.sourceKind, helper.downloadLocation, helper.dependencies], ['file', 'file:./libs/helper', ['pkg:npm/wrappy@1.0.2']]);
  });

  test('without package.json no field is known: every unrequired descriptor is a direct prod dependency', async () => {
    const text = await readFile(join(FIXTURES, 'classic-small/yarn.lock'), 'utf8');
    const { packages: bare } = parseYarnClassicLockfile(text, 'yarn.lock', []);
    assert.deepEqual([get(bare, 'semver@7.5.4').scope, get(bare, 'semver@7.5.4').direct], ['prod', true]);
    assert.deepEqual(bare.map((p) => p.purl), packages.map((p) => p.purl));
  });
});

describe('yarn classic workspaces', async () => {
  const text = await readFile(join(FIXTURES, 'classic-workspaces/yarn.lock'), 'utf8');
  const files = await fixtureFiles('classic-workspaces');
  const manifests = ['package.json', 'packages/a/package.json', 'packages/b/package.json', 'packages/c/package.json'].map((f) => JSON.parse(files[f]!));

  test('with every manifest: members are not packages, their dependencies are direct with their fields’ scopes', () => {
    const { packages, roots } = parseYarnClassicLockfile(text, 'yarn.lock', manifests);
    assert.ok(!packages.some((p) => p.name.startsWith('@mono/') || p.name === 'c-tool'));
    assert.deepEqual(roots, ['pkg:npm/debug@4.4.3', 'pkg:npm/ms@2.0.0', 'pkg:npm/ms@2.1.3', 'pkg:npm/once@1.4.0', 'pkg:npm/semver@6.3.1', 'pkg:npm/typescript@5.4.5']);
    assert.equal(get(packages, 'semver@6.3.1').scope, 'dev');
    assert.equal(get(packages, 'once@1.4.0').scope, 'optional');
    assert.equal(get(packages, 'wrappy@1.0.2').scope, 'optional');
  });

  test('through the collector, members behind the `packages/*` glob are found and read, as yarn expands it', async () => {
    const { packages, roots } = await collectFixture('classic-workspaces');
    assert.deepEqual(roots, ['pkg:npm/debug@4.4.3', 'pkg:npm/ms@2.0.0', 'pkg:npm/ms@2.1.3', 'pkg:npm/once@1.4.0', 'pkg:npm/semver@6.3.1', 'pkg:npm/typescript@5.4.5']);
    assert.deepEqual([get(packages, 'semver@6.3.1').scope, get(packages, 'semver@6.3.1').direct], ['dev', true]);
    assert.equal(get(packages, 'once@1.4.0').scope, 'optional');
    assert.equal(get(packages, 'typescript@5.4.5').scope, 'dev'); // the root's own devDependency
  });

  test('members named literally in `workspaces` are read', async () => {
    const root = { ...manifests[0], workspaces: ['packages/a', './packages/b/', 'packages/c'] };
    const ctx = fakeContext({ files: { ...files, 'package.json': JSON.stringify(root) } });
    const [facts] = await lockfileCollector({ formats: [yarnFormat] }).collect(ctx);
    assert.equal(get(facts!.packages, 'semver@6.3.1').scope, 'dev');
  });
});

describe('yarn berry (v2+)', async () => {
  const facts = await collectFixture('berry-small');
  const { packages } = facts;
  const text = await readFile(join(FIXTURES, 'berry-small/yarn.lock'), 'utf8');

  test('detected as berry; lockfileVersion from __metadata', () => {
    assert.equal(isBerryLockfile(text), true);
    assert.deepEqual([facts.manager, facts.lockfileVersion], ['yarn', '10']);
  });

  test('the checksum is the sha512 of yarn’s cache zip, recorded under its own algorithm name', () => {
    const ms = get(packages, 'ms@2.1.3');
    // The lockfile's `checksum: 10c0/d924…` for ms@2.1.3 is the zip in .yarn/cache; the npm
    // tarball's sha512 (its integrity, e859…) is a different value, so it must not be `sha512`.
    assert.deepEqual(ms.digest, {
      yarnZipSha512_10c0:
        'd924b57e7312b3b63ad21fc5b3dc0af5e78d61a1fc7cfb5457edaf26326bf62be5307cc87ffb6862ef1c2b33b0233cdb5d4f01c4c958cc0d660948b65a287a48',
    });
    assert.equal(berryDigestKey('8'), 'yarnZipSha512_8');
    assert.ok(packages.every((p) => !('sha512' in p.digest)));
    assert.deepEqual([ms.downloadLocation, ms.direct, ms.sourceKind], ['https://registry.npmjs.org/ms/-/ms-2.1.3.tgz', true, 'registry']);
  });

  test('dev from the root manifest; optional from dependenciesMeta; no peers installed', () => {
    assert.deepEqual([get(packages, 'semver@7.5.4').scope, get(packages, 'semver@7.5.4').direct], ['dev', true]);
    assert.equal(get(packages, 'is-number@7.0.0').scope, 'prod'); // optional for the root, prod for @acme/vendored
    assert.ok(!packages.some((p) => p.name === 'react'));
    assert.deepEqual(get(packages, 'finalhandler@1.2.0').dependencies?.slice(0, 2), ['pkg:npm/debug@2.6.9', 'pkg:npm/encodeurl@1.0.4']);
  });

  test('file: entries are bound to the workspace that asked (::locator=) and still resolve', () => {
    const vendored = get(packages, '@acme/vendored@0.3.0');
    assert.deepEqual([vendored.sourceKind, vendored.downloadLocation, vendored.direct, vendored.dependencies], ['file', 'file:./vendor/acme-vendored-0.3.0.tgz', true, ['pkg:npm/is-number@7.0.0']]);
    assert.deepEqual(get(packages, 'helper@1.0.0').dependencies, ['pkg:npm/wrappy@1.0.2']);
  });

  test('without manifests, a workspace’s merged dependencies are prod (optional per dependenciesMeta)', () => {
    const { packages: bare } = parseYarnBerryLockfile(text, 'yarn.lock', new Map());
    assert.equal(get(bare, 'semver@7.5.4').scope, 'prod');
    assert.equal(get(bare, 'ms@2.1.3').scope, 'prod');
  });
});

describe('yarn 3 (lockfile 6, cache key 8)', async () => {
  const [yarn3, yarn4] = await Promise.all([collectFixture('berry3-small'), collectFixture('berry-small')]);

  test('ranges without the npm: protocol resolve; the same graph as yarn 4', () => {
    assert.equal(yarn3.lockfileVersion, '6');
    const view = (f: DependencyFacts) => f.packages.map((p) => [p.purl, p.scope, p.direct, p.dependencies, p.sourceKind, p.downloadLocation]);
    assert.deepEqual(view(yarn3), view(yarn4));
  });

  test('a bare checksum takes the cache key from __metadata', () => {
    assert.deepEqual(Object.keys(get(yarn3.packages, 'ms@2.1.3').digest), [berryDigestKey('8')]);
  });
});

describe('yarn berry workspaces and the patch: protocol', async () => {
  const { packages, roots } = await collectFixture('berry-workspaces');
  const text = await readFile(join(FIXTURES, 'berry-workspaces/yarn.lock'), 'utf8');

  test('workspaces are not packages; their dependencies are the roots, scoped by each member’s manifest', () => {
    assert.ok(!packages.some((p) => p.name.startsWith('@mono/') || p.name === 'c-tool' || p.name === 'mono-root'));
    assert.deepEqual(roots, ['pkg:npm/debug@4.4.3', 'pkg:npm/ms@2.0.0', 'pkg:npm/ms@2.1.3', 'pkg:npm/once@1.4.0', 'pkg:npm/semver@6.3.1', 'pkg:npm/typescript@5.4.5']);
    assert.equal(get(packages, 'semver@6.3.1').scope, 'dev');
    assert.equal(get(packages, 'once@1.4.0').scope, 'optional');
    assert.equal(get(packages, 'typescript@5.4.5').scope, 'dev');
  });

  test('typescript and its built-in patch are one package, with the unpatched archive’s checksum', () => {
    assert.ok(text.includes('typescript@patch:typescript@npm%3A5.4.5#optional!builtin<compat/typescript>'));
    assert.equal(packages.filter((p) => p.name === 'typescript').length, 1);
    const ts = get(packages, 'typescript@5.4.5');
    assert.deepEqual(Object.values(ts.digest), ['2954022ada340fd3d6a9e2b8e534f65d57c92d5f3989a263754a78aba549f7e6529acc1921913560a4b816c46dce7df4a4d29f9f11a3dc0d4213bb76d043251e']);
    assert.deepEqual([ts.sourceKind, ts.downloadLocation], ['registry', 'https://registry.npmjs.org/typescript/-/typescript-5.4.5.tgz']);
  });
});

describe('aliasTarget', () => {
  test('names the real package of npm: aliases only', () => {
    assert.equal(aliasTarget('npm:ms@2.1.3'), 'ms');
    assert.equal(aliasTarget('npm:@scope/real@^1'), '@scope/real');
    assert.equal(aliasTarget('npm:@scope/real'), '@scope/real');
    assert.equal(aliasTarget('npm:^1.2.3'), undefined);
    assert.equal(aliasTarget('^1.2.3'), undefined);
  });
});

describe('malformed input is LOCKFILE_INVALID, never a TypeError', () => {
  const berry = (body: string) => `__metadata:\n  version: 8\n  cacheKey: 10c0\n\n${body}`;
  const cases: Record<string, string> = {
    // These two would make @yarnpkg/lockfile's tokenizer run until V8's string limit.
    'classic: an unterminated string': '# yarn lockfile v1\n\na@^1:\n  version "1\n',
    'classic: a comment with no newline after it': 'a@^1:\n  version "1.0.0"\n# end',
    'classic: odd indentation': 'a@^1:\n   version "1.0.0"\n',
    'classic: unresolved merge conflict': '<<<<<<< HEAD\na@^1:\n  version "1.0.0"\n=======\na@^1:\n  version 2\n  dependencies: x\n>>>>>>> other\n',
    'classic: an entry without version': 'a@^1:\n  resolved "https://registry.yarnpkg.com/a/-/a-1.0.0.tgz"\n',
    'classic: dependencies is a string': 'a@^1:\n  version "1.0.0"\n  dependencies "b"\n',
    'classic: a key without a range': '"a":\n  version "1.0.0"\n',
    'berry: not YAML': berry('"a@npm:1":\n  version: [\n'),
    'berry: no resolution': berry('"a@npm:1.0.0":\n  version: 1.0.0\n'),
    'berry: a dependency without an entry': berry('"a@npm:1.0.0":\n  version: 1.0.0\n  resolution: "a@npm:1.0.0"\n  dependencies:\n    b: "npm:^2"\n'),
    'berry: a broken checksum': berry('"a@npm:1.0.0":\n  version: 1.0.0\n  resolution: "a@npm:1.0.0"\n  checksum: 10c0/abc\n'),
    'berry: an entry that is a string': berry('"a@npm:1.0.0": x\n'),
    'berry: a resolution without a name': berry('"a@npm:1.0.0":\n  version: 1.0.0\n  resolution: "@npm"\n'),
  };
  for (const [what, text] of Object.entries(cases)) {
    test(what, { timeout: 2000 }, async () => {
      await assert.rejects(
        yarnFormat.parse({ text, path: 'dir/yarn.lock', readSibling: async () => undefined }),
        (e) => isProvenantError(e) && e.code === 'LOCKFILE_INVALID' && e.message.startsWith('dir/yarn.lock: '),
      );
    });
  }

  test('a hostile manifest (not JSON, workspaces escaping the folder) is ignored', async () => {
    const text = await readFile(join(FIXTURES, 'classic-small/yarn.lock'), 'utf8');
    const read: string[] = [];
    const readSibling = async (name: string) => {
      read.push(name);
      return name === 'package.json' ? JSON.stringify({ workspaces: ['../outside', '/etc', 'a/../../b', 'packages/*'] }) : '{not json';
    };
    const facts = await yarnFormat.parse({ text, path: 'yarn.lock', readSibling });
    assert.deepEqual(read, ['package.json']);
    assert.equal(facts.packages.length, 26);
  });
});
