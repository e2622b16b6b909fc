import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isProvenantError } from '@provenant/core';
import type { ResolvedPackage } from './model.ts';
import { requirementsFormat } from './requirements-format.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/python/', import.meta.url));

/** Parses `text` as requirements.txt with `files` as the files beside it. */
function parse(text: string, files: Record<string, string> = {}) {
  return requirementsFormat.parse({ text, path: 'requirements.txt', readSibling: async (name) => files[name] });
}

function get(packages: ResolvedPackage[], id: string): ResolvedPackage {
  const found = packages.find((p) => `${p.name}@${p.version}` === id);
  assert.ok(found, `${id} not found`);
  return found;
}

describe('requirementsFormat', () => {
  test('pipenv requirements --dev --hash: 8 packages = 8 requirement lines, all pinned; two hashes each, so no digest', async () => {
    const text = await readFile(join(FIXTURES, 'requirements-hashes/requirements.txt'), 'utf8');
    const { packages, roots } = await parse(text);
    assert.equal(packages.length, 8);
    assert.ok(packages.every((p) => p.version !== '' && p.scope === 'prod' && Object.keys(p.digest).length === 0));
    assert.equal(get(packages, 'charset-normalizer@3.3.0').purl, 'pkg:pypi/charset-normalizer@3.3.0');
    assert.deepEqual(roots, [], 'no # via annotations and no requirements.in');
    assert.ok(packages.every((p) => p.dependencies === undefined));
  });

  test('requirements.in beside an unannotated file names the direct dependencies', async () => {
    const text = await readFile(join(FIXTURES, 'requirements-hashes/requirements.txt'), 'utf8');
    const { roots } = await parse(text, { 'requirements.in': 'requests\npytest>=3\n' });
    assert.deepEqual(roots, ['pkg:pypi/pytest@3.2.2', 'pkg:pypi/requests@2.31.0']);
  });

  test('pip-compile without hashes: 2 packages; # via gives direct and the edge pip-with-requires-python -> pip', async () => {
    const text = await readFile(join(FIXTURES, 'requirements-pip-compile/requirements.txt'), 'utf8');
    const { packages, roots } = await parse(text);
    assert.deepEqual(
      packages.map((p) => [p.name, p.version, p.direct]),
      [
        ['pip', '23.3', false],
        ['pip-with-requires-python', '1.0.1', true],
      ],
    );
    assert.deepEqual(roots, ['pkg:pypi/pip-with-requires-python@1.0.1']);
    assert.deepEqual(get(packages, 'pip-with-requires-python@1.0.1').dependencies, ['pkg:pypi/pip@23.3']);
    assert.deepEqual(get(packages, 'pip@23.3').dependencies, []);
  });

  test('pip-compile --generate-hashes layout: continuation lines, a lone hash as digest, multi-line # via', async () => {
    const text = [
      'attrs==23.1.0 \\',
      `    --hash=sha256:${'1'.repeat(64)}`,
      '    # via',
      '    #   -r requirements.in',
      '    #   cattrs',
      'cattrs==23.1.2 \\',
      `    --hash=sha256:${'2'.repeat(64)} \\`,
      `    --hash=sha256:${'3'.repeat(64)}`,
      '    # via -r requirements.in',
      '',
    ].join('\n');
    const { packages } = await parse(text);
    assert.deepEqual(get(packages, 'attrs@23.1.0').digest, { sha256: '1'.repeat(64) });
    assert.deepEqual(get(packages, 'cattrs@23.1.2').digest, {});
    assert.deepEqual(get(packages, 'cattrs@23.1.2').dependencies, ['pkg:pypi/attrs@23.1.0']);
    assert.ok(packages.every((p) => p.direct));
  });

  test('unpinned lines are recorded without a version; -r includes and -c constraints are followed', async () => {
    const { packages } = await parse('-r base.txt\n-c constraints.txt\nrequests>=2\nflask\n', {
      'base.txt': '-r sub/more.txt\nsix==1.16.0\n',
      'sub/more.txt': 'idna==3.4 ; python_version >= "3.5"\n',
      'constraints.txt': `requests==2.31.0 --hash=sha256:${'a'.repeat(64)}\nnumpy==1.0\n`,
    });
    assert.deepEqual(
      packages.map((p) => `${p.name}@${p.version}`),
      ['flask@', 'idna@3.4', 'requests@2.31.0', 'six@1.16.0'],
    );
    assert.equal(get(packages, 'flask@').purl, 'pkg:pypi/flask');
    assert.deepEqual(get(packages, 'requests@2.31.0').digest, { sha256: 'a'.repeat(64) });
  });

  test('direct references: VCS with a commit, an archive URL, an editable path', async () => {
    const sha = 'b'.repeat(40);
    const { packages } = await parse(`lib @ git+https://github.com/o/lib.git@${sha}\ntool @ https://example.com/tool-1.0.tar.gz\n-e ./local#egg=local_pkg\n`);
    assert.deepEqual(get(packages, 'lib@').digest, { gitCommit: sha });
    assert.equal(get(packages, 'lib@').sourceKind, 'git');
    assert.equal(get(packages, 'tool@').sourceKind, 'remote-tarball');
    assert.equal(get(packages, 'tool@').downloadLocation, 'https://example.com/tool-1.0.tar.gz');
    assert.equal(get(packages, 'local-pkg@').sourceKind, 'file');
  });

  test('options that name no package are skipped', async () => {
    const { packages } = await parse('-i https://pypi.org/simple\n--extra-index-url https://x/simple\n--require-hashes\n# comment\nsix==1.16.0  # trailing comment\n');
    assert.deepEqual(packages.map((p) => p.purl), ['pkg:pypi/six@1.16.0']);
  });

  const invalid: Record<string, [string, Record<string, string>]> = {
    'a missing include': ['-r other.txt\n', {}],
    'an include that leaves the directory': ['-r ../other.txt\n', {}],
    'an absolute include': ['-r /etc/other.txt\n', {}],
    'a URL include': ['-r https://example.com/r.txt\n', {}],
    'an include loop deeper than 8': ['-r a.txt\n', Object.fromEntries(Array.from({ length: 20 }, (_, i) => [i === 0 ? 'a.txt' : `a${i}.txt`, `-r a${i + 1}.txt\n`]))],
    '-r without a file': ['-r\n', {}],
  };
  for (const [what, [text, files]] of Object.entries(invalid)) {
    test(`LOCKFILE_INVALID: ${what}`, async () => {
      await assert.rejects(parse(text, files), (e) => isProvenantError(e) && e.code === 'LOCKFILE_INVALID' && e.message.startsWith('requirements.txt'));
    });
  }

  test('an include cycle is read once', async () => {
    const { packages } = await parse('-r a.txt\nsix==1.0\n', { 'a.txt': '-r requirements.txt\n-r a.txt\nidna==3.4\n' });
    assert.deepEqual(packages.map((p) => p.name), ['idna', 'six']);
  });
});
