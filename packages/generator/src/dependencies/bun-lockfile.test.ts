import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isProvenantError } from '@provenant/core';
import { fakeContext } from '../testing/fake-context.ts';
import { bunFormat } from './bun-format.ts';
import { jsoncToJson } from './bun-jsonc.ts';
import { parseBunLockfile } from './bun-lockfile.ts';
import { lockfileCollector } from './collector.ts';
import type { ResolvedPackage } from './model.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/bun/', import.meta.url));

async function parseFixture(name: string) {
  return parseBunLockfile(await readFile(join(FIXTURES, name, 'bun.lock'), 'utf8'), `${name}/bun.lock`);
}

function get(packages: ResolvedPackage[], id: string): ResolvedPackage {
  const found = packages.find((p) => `${p.name}@${p.version}` === id);
  assert.ok(found, `${id} is collected`);
  return found;
}

describe('parity with `bun pm ls --all`', () => {
  // `bun pm ls --all` (bun 1.4.5) in each fixture project lists one line per installed package,
  // by install name: small lists 27 (my-ms is ms@2.1.3; nothing repeats a name@version),
  // workspaces lists 10 of which 3 are the members (`@mono/a@workspace:packages/a`, …): 7.
  // Both listings are in fixtures/bun/README.md.
  const small = [
      '@acme/vendored@', '@isaacs/string-locale-compare@1.1.0', 'debug@2.6.9', 'debug@4.3.4', 'ee-first@1.1.1', 'encodeurl@1.0.4',
      'escape-html@1.0.3', 'finalhandler@1.2.0', 'helper@', 'is-number@7.0.0', 'js-tokens@4.0.0', 'loose-envify@1.4.0', 'lru-cache@6.0.0',
      'ms@2.0.0', 'ms@2.1.2', 'ms@2.1.3', 'on-finished@2.4.1', 'once@1.4.0', 'parseurl@1.3.3', 'react-dom@18.3.1', 'react@18.3.1',
      'scheduler@0.23.2', 'semver@7.5.4', 'statuses@2.0.1', 'unpipe@1.0.0', 'wrappy@1.0.2', 'yallist@4.0.0',
  ];
  // bun 1.2.0's `bun pm ls --all` in the small-v1 project lists the same 27.
  const expected: Record<string, string[]> = {
    small,
    'small-v1': small,
    workspaces: ['debug@4.4.3', 'ms@2.0.0', 'ms@2.1.3', 'once@1.4.0', 'semver@6.3.1', 'typescript@5.4.5', 'wrappy@1.0.2'],
  };
  for (const [name, ids] of Object.entries(expected)) {
    test(`${name}: ${ids.length} packages, the set bun lists`, async () => {
      const { packages, roots } = await parseFixture(name);
      assert.deepEqual(packages.map((p) => `${p.name}@${p.version}`).sort(), [...ids].sort());
      assert.deepEqual(roots, packages.filter((p) => p.direct).map((p) => p.purl).sort());
      const purls = new Set(packages.map((p) => p.purl));
      for (const p of packages) for (const d of p.dependencies ?? []) assert.ok(purls.has(d), `${p.purl} -> ${d}`);
    });
  }
});

describe('the small app', async () => {
  const { lockfileVersion, packages, roots } = await parseFixture('small');

  test('a scoped registry package', () => {
    assert.equal(lockfileVersion, 2);
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

  test('install paths resolve like Node: finalhandler/debug is 2.6.9 and needs finalhandler/debug/ms', () => {
    assert.ok(get(packages, 'finalhandler@1.2.0').dependencies?.includes('pkg:npm/debug@2.6.9'));
    assert.deepEqual(get(packages, 'debug@2.6.9').dependencies, ['pkg:npm/ms@2.0.0']);
    assert.deepEqual(get(packages, 'debug@4.3.4').dependencies, ['pkg:npm/ms@2.1.2']);
    assert.equal(get(packages, 'debug@2.6.9').direct, false);
  });

  test('alias, peers, scopes', () => {
    assert.deepEqual([get(packages, 'ms@2.1.3').direct, get(packages, 'ms@2.1.3').purl], [true, 'pkg:npm/ms@2.1.3']);
    assert.deepEqual([get(packages, 'react@18.3.1').scope, get(packages, 'react@18.3.1').direct], ['peer', false]);
    assert.deepEqual(get(packages, 'react-dom@18.3.1').dependencies, ['pkg:npm/loose-envify@1.4.0', 'pkg:npm/react@18.3.1', 'pkg:npm/scheduler@0.23.2']);
    assert.deepEqual([get(packages, 'semver@7.5.4').scope, get(packages, 'semver@7.5.4').direct], ['dev', true]);
    assert.equal(get(packages, 'yallist@4.0.0').scope, 'dev');
    // A root peerDependency that finalhandler also needs: prod, and direct.
    assert.deepEqual([get(packages, 'escape-html@1.0.3').scope, get(packages, 'escape-html@1.0.3').direct], ['prod', true]);
    assert.equal(roots.length, 11);
  });

  test('a tarball and a folder from disk: sourceKind file, no version recorded', () => {
    const vendored = get(packages, '@acme/vendored@');
    assert.deepEqual([vendored.purl, vendored.sourceKind, vendored.downloadLocation], ['pkg:npm/%40acme/vendored', 'file', 'file:./vendor/acme-vendored-0.3.0.tgz']);
    assert.ok(vendored.digest['sha512']);
    const helper = get(packages, 'helper@');
    assert.deepEqual([helper.sourceKind, helper.downloadLocation, helper.dependencies, helper.direct], ['file', 'file:libs/helper', ['pkg:npm/wrappy@1.0.2'], true]);
  });
});

describe('lockfileVersion 1 (bun 1.2.0) of the same app', async () => {
  const [v1, v2] = await Promise.all([parseFixture('small-v1'), parseFixture('small')]);

  test('the same packages, scopes and edges; bun 1.2 recorded no integrity for a local tarball', () => {
    assert.equal(v1.lockfileVersion, 1);
    const withoutVendoredDigest = (p: ResolvedPackage) => (p.name === '@acme/vendored' ? { ...p, digest: {} } : p);
    assert.deepEqual(v1.packages, v2.packages.map(withoutVendoredDigest));
    assert.deepEqual(v1.roots, v2.roots);
  });
});

describe('workspaces', async () => {
  const { packages, roots } = await parseFixture('workspaces');

  test('members are not packages; a member’s nested install (@mono/b/ms) is what it resolves', () => {
    assert.ok(!packages.some((p) => p.name.startsWith('@mono/') || p.name === 'c-tool'));
    assert.deepEqual(roots, ['pkg:npm/debug@4.4.3', 'pkg:npm/ms@2.0.0', 'pkg:npm/ms@2.1.3', 'pkg:npm/once@1.4.0', 'pkg:npm/semver@6.3.1', 'pkg:npm/typescript@5.4.5']);
    assert.deepEqual(get(packages, 'debug@4.4.3').dependencies, ['pkg:npm/ms@2.1.3']);
    assert.equal(get(packages, 'semver@6.3.1').scope, 'dev');
    assert.deepEqual([get(packages, 'wrappy@1.0.2').scope, get(packages, 'wrappy@1.0.2').direct], ['optional', false]);
  });

  test('through the collector', async () => {
    const text = await readFile(join(FIXTURES, 'workspaces/bun.lock'), 'utf8');
    const [facts] = await lockfileCollector({ formats: [bunFormat] }).collect(fakeContext({ files: { 'bun.lock': text } }));
    assert.deepEqual([facts?.lockfile, facts?.manager, facts?.lockfileVersion, facts?.packages.length, facts?.roots], ['bun.lock', 'bun', 2, 7, roots]);
  });
});

describe('jsoncToJson', () => {
  const cases: Array<[string, unknown]> = [
    ['{"a": [1, 2,], "b": {"c": "x,}", },}', { a: [1, 2], b: { c: 'x,}' } }],
    ['{"a": 1, // note, }\n "b": /* x, ] */ 2 , /* y */ }', { a: 1, b: 2 }],
    ['{"a": "\\\\", "b": "\\",]"}', { a: '\\', b: '",]' }],
    ['[1,]', [1]],
  ];
  for (const [text, value] of cases) test(JSON.stringify(text), () => assert.deepEqual(JSON.parse(jsoncToJson(text)), value));

  test('what JSON rejects stays rejected', () => {
    for (const text of ['[1,,2]', '[,]', '{"a": 1,,}', '[1] ,', '{"a": "open', '/* open']) assert.throws(() => JSON.parse(jsoncToJson(text)), text);
  });
});

describe('malformed input is LOCKFILE_INVALID, never a TypeError', () => {
  const lock = (packages: string, workspaces = '{"": {}}') => `{"lockfileVersion": 1, "workspaces": ${workspaces}, "packages": ${packages}}`;
  const cases: Record<string, string> = {
    'not JSON': '{"lockfileVersion": 1,',
    'an array': '[]',
    'no lockfileVersion': '{"packages": {}}',
    'lockfileVersion 99': '{"lockfileVersion": 99}',
    'packages is an array': lock('[]'),
    'an entry is not an array': lock('{"a": {"x": 1}}'),
    'an entry without name@resolution': lock('{"a": ["a"]}'),
    'an entry id that is a number': lock('{"a": [1]}'),
    'a key nested in nothing': lock('{"a/b": ["b@1.0.0", "", {}, "sha512-AA=="]}'),
    'a key starting with a slash': lock('{"/b": ["b@1.0.0", "", {}, "sha512-AA=="]}'),
    'dependencies is an array': lock('{"a": ["a@1.0.0", "", {"dependencies": []}, "sha512-AA=="]}'),
    'a dependency that resolves to nothing': lock('{"a": ["a@1.0.0", "", {"dependencies": {"b": "^1"}}, "sha512-AA=="]}'),
    'a root dependency that resolves to nothing': lock('{}', '{"": {"dependencies": {"b": "^1"}}}'),
    'a workspace with no packages entry': lock('{}', '{"": {}, "packages/a": {"name": "a"}}'),
    'a key longer than PATH_MAX': lock(`{"${'a'.repeat(5000)}": ["a@1.0.0", "", {}, "sha512-AA=="]}`),
  };
  for (const [what, text] of Object.entries(cases)) {
    test(what, () => {
      assert.throws(
        () => parseBunLockfile(text, 'dir/bun.lock'),
        (e) => isProvenantError(e) && e.code === 'LOCKFILE_INVALID' && e.message.startsWith('dir/bun.lock: '),
      );
    });
  }

  test('an optional dependency or peer that is absent is no edge; __proto__ is harmless', () => {
    const text = lock('{"__proto__": ["__proto__@1.0.0", "", {"optionalDependencies": {"x": "1"}, "peerDependencies": {"y": "1"}}, "sha512-AA=="],}');
    const { packages } = parseBunLockfile(text);
    assert.deepEqual(packages.map((p) => [p.purl, p.dependencies]), [['pkg:npm/__proto__@1.0.0', []]]);
  });
});
