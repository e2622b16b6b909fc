import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isProvenantError } from '@provenant/core';
import { parse as parseYaml } from 'yaml';
import { fakeContext } from '../testing/fake-context.ts';
import { lockfileCollector } from './collector.ts';
import type { ResolvedPackage } from './model.ts';
import { pnpmFormat } from './pnpm-format.ts';
import { parsePnpmLockfile } from './pnpm-lockfile.ts';
import { nameVersionOfKey, refToKey, withoutPeers } from './pnpm-lockfile-path.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/pnpm/', import.meta.url));
const FIXTURE_NAMES = (await readdir(FIXTURES, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);

async function parseFixture(name: string) {
  return parsePnpmLockfile(await readFile(join(FIXTURES, name, 'pnpm-lock.yaml'), 'utf8'), `${name}/pnpm-lock.yaml`);
}

function get(packages: ResolvedPackage[], id: string): ResolvedPackage {
  const found = packages.find((p) => `${p.name}@${p.version}` === id);
  assert.ok(found, `${id} is collected`);
  return found;
}

function deps(packages: ResolvedPackage[], id: string): string[] | undefined {
  return get(packages, id).dependencies;
}

describe('parity with pnpm’s own lockfile reader on every fixture', () => {
  test('the fixture set covers every case', () => {
    assert.deepEqual(FIXTURE_NAMES.sort(), ['large-v9', 'small-v6', 'small-v9', 'workspaces-v6', 'workspaces-v9']);
  });

  for (const name of FIXTURE_NAMES) {
    test(`${name}: the same name@version set as @pnpm/lockfile.fs`, async () => {
      // reference-ids.txt: readWantedLockfile's `packages` keys through nameVerFromPkgSnapshot
      // (@pnpm/lockfile.fs 900.0.3, @pnpm/lockfile.utils 1.0.5; see fixtures/pnpm/README.md).
      const reference = (await readFile(join(FIXTURES, name, 'reference-ids.txt'), 'utf8')).trim().split('\n');
      const { packages } = await parseFixture(name);
      const ids = packages.map((p) => `${p.name}@${p.version}`);
      assert.equal(new Set(ids).size, ids.length, 'one entry per name@version');
      assert.deepEqual([...ids].sort(), reference.sort());
    });

    test(`${name}: every edge and root is a collected package; edges sorted and unique`, async () => {
      const { packages, roots } = await parseFixture(name);
      const purls = new Set(packages.map((p) => p.purl));
      for (const p of packages) {
        assert.ok(p.dependencies, p.purl);
        assert.deepEqual(p.dependencies, [...new Set(p.dependencies)].sort(), p.purl);
        for (const d of p.dependencies) assert.ok(purls.has(d), `${p.purl} -> ${d}`);
      }
      assert.deepEqual(roots, packages.filter((p) => p.direct).map((p) => p.purl).sort());
    });
  }

  test('the large fixture is realistic: 1,500+ packages, peer variants merged', async () => {
    const { lockfileVersion, packages, roots } = await parseFixture('large-v9');
    assert.equal(lockfileVersion, '9.0');
    assert.equal(packages.length, 1593);
    assert.equal(roots.length, 20);
    // ajv-formats@3.0.1 has two snapshots (peer ajv 8.13.0 and 8.20.0): one package, both edges.
    assert.deepEqual(deps(packages, 'ajv-formats@3.0.1'), ['pkg:npm/ajv@8.13.0', 'pkg:npm/ajv@8.20.0']);
    assert.deepEqual([get(packages, 'express@4.19.2').scope, get(packages, 'express@4.19.2').direct], ['prod', true]);
    assert.deepEqual([get(packages, 'jest@29.7.0').scope, get(packages, 'jest@29.7.0').direct], ['dev', true]);
    assert.equal(get(packages, 'fsevents@2.3.3').scope, 'optional');
  });
});

describe('the small app, lockfile 6 (pnpm 8) and 9 (pnpm 9)', async () => {
  const [v6, v9] = await Promise.all([parseFixture('small-v6'), parseFixture('small-v9')]);
  const { packages } = v9;

  test('both formats give identical results', () => {
    assert.equal(v6.lockfileVersion, '6.0');
    assert.equal(v9.lockfileVersion, '9.0');
    assert.deepEqual(v6.packages, v9.packages);
    assert.deepEqual(v6.roots, v9.roots);
  });

  test('a scoped registry package: purl, digest from integrity, derived downloadLocation', () => {
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

  test('two versions of a package; edges follow the snapshot', () => {
    assert.deepEqual(deps(packages, 'debug@2.6.9'), ['pkg:npm/ms@2.0.0']);
    assert.deepEqual(deps(packages, 'debug@4.3.4'), ['pkg:npm/ms@2.1.2']);
    assert.equal(get(packages, 'debug@2.6.9').direct, false);
    assert.equal(get(packages, 'debug@4.3.4').direct, true);
    assert.ok(deps(packages, 'finalhandler@1.2.0')?.includes('pkg:npm/debug@2.6.9'));
  });

  test('an alias is the real package, direct through its alias', () => {
    // "my-ms": "npm:ms@2.1.3"
    const ms = get(packages, 'ms@2.1.3');
    assert.deepEqual([ms.purl, ms.direct, ms.scope], ['pkg:npm/ms@2.1.3', true, 'prod']);
    assert.ok(!packages.some((p) => p.name === 'my-ms'));
  });

  test('scopes from the graph: dev, optional, peer; a root peerDependency pnpm installed', () => {
    assert.deepEqual([get(packages, 'semver@7.5.4').scope, get(packages, 'semver@7.5.4').direct], ['dev', true]);
    assert.equal(get(packages, 'lru-cache@6.0.0').scope, 'dev');
    // once is a devDependency; wrappy also serves the prod file: dependency helper.
    assert.equal(get(packages, 'once@1.4.0').scope, 'dev');
    assert.equal(get(packages, 'wrappy@1.0.2').scope, 'prod');
    // is-number is an optionalDependency that the prod @acme/vendored also needs.
    assert.deepEqual([get(packages, 'is-number@7.0.0').scope, get(packages, 'is-number@7.0.0').direct], ['prod', true]);
    // react is only react-dom's peer: a peer edge.
    assert.deepEqual([get(packages, 'react@18.3.1').scope, get(packages, 'react@18.3.1').direct], ['peer', false]);
    assert.deepEqual(deps(packages, 'react-dom@18.3.1'), ['pkg:npm/loose-envify@1.4.0', 'pkg:npm/react@18.3.1', 'pkg:npm/scheduler@0.23.2']);
    assert.deepEqual([get(packages, 'escape-html@1.0.3').scope, get(packages, 'escape-html@1.0.3').direct], ['prod', true]);
  });

  test('file: tarball and file: directory are packages with sourceKind file', () => {
    const vendored = get(packages, '@acme/vendored@0.3.0');
    assert.deepEqual([vendored.sourceKind, vendored.downloadLocation, vendored.direct], ['file', 'file:vendor/acme-vendored-0.3.0.tgz', true]);
    assert.ok(vendored.digest['sha512']);
    const helper = get(packages, 'helper@');
    assert.deepEqual([helper.purl, helper.sourceKind, helper.downloadLocation, helper.digest], ['pkg:npm/helper', 'file', 'file:libs/helper', {}]);
    assert.deepEqual(helper.dependencies, ['pkg:npm/wrappy@1.0.2']);
  });
});

describe('graph scopes agree with the dev/optional flags pnpm 8 wrote', () => {
  for (const name of ['small-v6', 'workspaces-v6']) {
    test(name, async () => {
      const text = await readFile(join(FIXTURES, name, 'pnpm-lock.yaml'), 'utf8');
      const { packages } = parsePnpmLockfile(text, name);
      const flags = new Map<string, { dev: boolean; optional: boolean }>();
      for (const [key, entry] of Object.entries<{ name?: string; version?: string; dev?: boolean; optional?: boolean }>(parseYaml(text).packages)) {
        const parsed = nameVersionOfKey(6, key);
        const id = `${entry.name ?? parsed.name}@${entry.version ?? parsed.version ?? ''}`;
        const seen = flags.get(id) ?? { dev: true, optional: true };
        flags.set(id, { dev: seen.dev && entry.dev === true, optional: seen.optional && entry.optional === true });
      }
      for (const p of packages) {
        const f = flags.get(`${p.name}@${p.version}`)!;
        assert.equal(p.scope === 'dev', f.dev, `${p.purl} dev`);
        assert.equal(p.scope === 'optional', f.optional && !f.dev, `${p.purl} optional`);
      }
    });
  }
});

describe('workspaces (importers)', async () => {
  const [v6, v9] = await Promise.all([parseFixture('workspaces-v6'), parseFixture('workspaces-v9')]);

  test('v6 and v9 agree; members are not packages; link: is no edge', () => {
    assert.deepEqual(v6.packages, v9.packages);
    assert.deepEqual(v6.roots, v9.roots);
    assert.ok(!v9.packages.some((p) => p.name.startsWith('@mono/') || p.name === 'c-tool' || p.name === 'mono-root'));
  });

  test("the members' direct dependencies are roots, with their fields' scopes", () => {
    const { packages, roots } = v9;
    assert.deepEqual(roots, ['pkg:npm/debug@4.4.3', 'pkg:npm/ms@2.0.0', 'pkg:npm/ms@2.1.3', 'pkg:npm/once@1.4.0', 'pkg:npm/semver@6.3.1', 'pkg:npm/typescript@5.4.5']);
    assert.equal(get(packages, 'semver@6.3.1').scope, 'dev'); // c-tool's devDependency
    assert.equal(get(packages, 'once@1.4.0').scope, 'optional'); // @mono/b's optionalDependency
    assert.deepEqual([get(packages, 'wrappy@1.0.2').scope, get(packages, 'wrappy@1.0.2').direct], ['optional', false]);
    assert.deepEqual(deps(packages, 'debug@4.4.3'), ['pkg:npm/ms@2.1.3']);
  });

  test('through the collector: manager pnpm, the lockfile version, roots', async () => {
    const text = await readFile(join(FIXTURES, 'workspaces-v9/pnpm-lock.yaml'), 'utf8');
    const ctx = fakeContext({ files: { 'mono/pnpm-lock.yaml': text } });
    const [facts] = await lockfileCollector({ formats: [pnpmFormat] }).collect(ctx);
    assert.deepEqual([facts?.lockfile, facts?.manager, facts?.ecosystem, facts?.lockfileVersion, facts?.packages.length], ['mono/pnpm-lock.yaml', 'pnpm', 'npm', '9.0', 7]);
    assert.deepEqual(facts?.roots, v9.roots);
  });
});

describe('dependency paths', () => {
  test('refToKey follows pnpm’s refToRelative for v6 and v9', () => {
    assert.equal(refToKey(9, '18.3.1(react@18.3.1)', 'react-dom'), 'react-dom@18.3.1(react@18.3.1)');
    assert.equal(refToKey(9, 'ms@2.1.3', 'my-ms'), 'ms@2.1.3');
    assert.equal(refToKey(9, '@scope/real@1.0.0', 'alias'), '@scope/real@1.0.0');
    assert.equal(refToKey(9, 'file:libs/helper', 'helper'), 'helper@file:libs/helper');
    assert.equal(refToKey(9, 'link:../b', '@mono/b'), undefined);
    assert.equal(refToKey(6, '1.1.0', '@isaacs/x'), '/@isaacs/x@1.1.0');
    assert.equal(refToKey(6, '10.3.10(@nestjs/common@10.3.10)', '@nestjs/core'), '/@nestjs/core@10.3.10(@nestjs/common@10.3.10)');
    assert.equal(refToKey(6, '/ms@2.1.3', 'my-ms'), '/ms@2.1.3');
    assert.equal(refToKey(6, 'file:libs/helper', 'helper'), 'file:libs/helper');
    assert.equal(refToKey(6, 'github.com/acme/x/0123abc', 'x'), 'github.com/acme/x/0123abc');
  });

  test('withoutPeers balances nested groups and patch hashes', () => {
    assert.equal(withoutPeers('a@1.0.0(b@2.0.0(c@3.0.0))(patch_hash=abc)'), 'a@1.0.0');
    assert.equal(withoutPeers('a@1.0.0'), 'a@1.0.0');
    assert.equal(withoutPeers('a@1.0.0)'), 'a@1.0.0)');
  });

  test('nameVersionOfKey', () => {
    assert.deepEqual(nameVersionOfKey(9, '@s/n@1.2.3(x@1.0.0)'), { name: '@s/n', version: '1.2.3' });
    assert.deepEqual(nameVersionOfKey(9, 'helper@file:libs/helper'), { name: 'helper' });
    assert.deepEqual(nameVersionOfKey(6, '/@s/n@1.2.3'), { name: '@s/n', version: '1.2.3' });
    assert.deepEqual(nameVersionOfKey(6, 'file:libs/helper'), {});
  });

  test('a 100,000-deep peer suffix is stripped in linear time', () => {
    const key = `a@1.0.0${'('.repeat(100_000)}b@1.0.0${')'.repeat(100_000)}`;
    assert.equal(withoutPeers(key), 'a@1.0.0');
  });
});

describe('malformed input is LOCKFILE_INVALID, never a TypeError', () => {
  const v9 = (body: string) => `lockfileVersion: '9.0'\n${body}`;
  const cases: Record<string, string> = {
    'not YAML': 'lockfileVersion: [\n',
    'a sequence at the top': '- a\n- b\n',
    'a scalar': 'hello\n',
    'no lockfileVersion': 'packages: {}\n',
    'lockfileVersion 5.4': "lockfileVersion: 5.4\npackages: {}\n",
    'lockfileVersion 99': "lockfileVersion: '99.0'\n",
    'duplicate keys': v9('packages: {}\npackages: {}\n'),
    'packages is a sequence': v9('packages:\n  - a\n'),
    'a snapshot without a packages entry': v9('snapshots:\n  a@1.0.0: {}\n'),
    'a snapshot dependency with no entry': v9("packages:\n  a@1.0.0: {resolution: {integrity: sha512-AA==}}\nsnapshots:\n  a@1.0.0:\n    dependencies:\n      b: 1.0.0\n"),
    'an importer dependency with no entry': v9("importers:\n  .:\n    dependencies:\n      a: {specifier: ^1, version: 1.0.0}\n"),
    'a dependency version that is a mapping': v9("packages:\n  a@1.0.0: {}\nsnapshots:\n  a@1.0.0:\n    dependencies:\n      b: {x: 1}\n"),
    'resolution is a string': v9("packages:\n  a@1.0.0:\n    resolution: sha512-AA==\nsnapshots:\n  a@1.0.0: {}\n"),
    'a git resolution without a commit': v9("packages:\n  a@https://x:\n    resolution: {type: git, repo: https://x}\n    version: 1.0.0\nsnapshots:\n  a@https://x: {}\n"),
    'a v6 package without a name': "lockfileVersion: '6.0'\npackages:\n  file:x:\n    resolution: {directory: x, type: directory}\n",
    'billion laughs': `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`).join('\n')}\n`,
  };
  for (const [what, text] of Object.entries(cases)) {
    test(what, () => {
      assert.throws(
        () => parsePnpmLockfile(text, 'dir/pnpm-lock.yaml'),
        (e) => isProvenantError(e) && e.code === 'LOCKFILE_INVALID' && e.message.startsWith('dir/pnpm-lock.yaml: '),
      );
    });
  }

  test('an empty project and __proto__ keys are harmless', () => {
    assert.deepEqual(parsePnpmLockfile("lockfileVersion: '9.0'\nimporters:\n  .: {}\n").packages, []);
    const text = v9("packages:\n  __proto__@1.0.0: {resolution: {integrity: sha512-AA==}}\nsnapshots:\n  __proto__@1.0.0: {}\n");
    assert.deepEqual(parsePnpmLockfile(text).packages.map((p) => p.purl), ['pkg:npm/__proto__@1.0.0']);
  });
});
