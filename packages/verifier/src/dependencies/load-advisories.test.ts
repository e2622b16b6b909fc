import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { isProvenantError } from '@provenant/core';
import { matchAdvisories } from './advisory-index.ts';
import { MAX_ADVISORY_FILE_BYTES, loadAdvisories, parseOsvRecord } from './load-advisories.ts';
import { GO_X_NET, LODASH_TEMPLATE, WITHDRAWN } from './testing/osv-records.ts';

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'provenant-osv-'));
  dirs.push(dir);
  return dir;
}

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    assert.ok(isProvenantError(err), String(err));
    return { code: err.code, message: err.message };
  }
  assert.fail('expected a ProvenantError');
}

describe('loadAdvisories', () => {
  test('reads records from nested directories (github/advisory-database layout), ignores other files', async () => {
    const dir = await tempDir();
    const nested = join(dir, 'advisories', 'github-reviewed', '2021', '05', 'GHSA-35jh-r3h4-6jhm');
    await mkdir(nested, { recursive: true });
    await writeFile(join(nested, 'GHSA-35jh-r3h4-6jhm.json'), JSON.stringify(LODASH_TEMPLATE, null, 2));
    await writeFile(join(dir, 'GO-2023-1571.json'), JSON.stringify(GO_X_NET));
    await writeFile(join(dir, 'withdrawn.json'), JSON.stringify(WITHDRAWN));
    await writeFile(join(dir, 'README.md'), '# not a record\n');
    await writeFile(join(dir, '.hidden.json'), 'not even JSON');
    const index = await loadAdvisories(dir);
    assert.equal(index.records, 3);
    assert.deepEqual(matchAdvisories('pkg:npm/lodash', '4.17.20', index).map((m) => m.id), ['GHSA-35jh-r3h4-6jhm']);
    assert.deepEqual(matchAdvisories('pkg:golang/golang.org/x/net', 'v0.5.0', index).map((m) => m.id), ['GO-2023-1571']);
  });

  test('an empty directory is an empty index', async () => {
    assert.equal((await loadAdvisories(await tempDir())).records, 0);
  });

  test('does not follow symlinks', async () => {
    const outside = await tempDir();
    await writeFile(join(outside, 'r.json'), JSON.stringify(LODASH_TEMPLATE));
    const dir = await tempDir();
    await symlink(join(outside, 'r.json'), join(dir, 'link.json'));
    await symlink(outside, join(dir, 'linked-dir'));
    assert.equal((await loadAdvisories(dir)).records, 0);
  });

  const malformed: [string, string, RegExp][] = [
    ['not JSON', '{"id": "GHSA-1",', /^advisory bad\.json: not JSON/],
    ['not a record', '[1, 2]', /^advisory bad\.json: not an OSV record/],
    ['a broken range', JSON.stringify({ id: 'GHSA-1', affected: [{ package: { ecosystem: 'npm', name: 'a' }, ranges: [{ type: 'SEMVER', events: [] }] }] }), /^advisory bad\.json: not an OSV record: affected\[0\]\.ranges\[0\]\.events: /],
  ];
  for (const [name, text, message] of malformed) {
    test(`a file that is ${name}: POLICY_INVALID naming the file`, async () => {
      const dir = await tempDir();
      await writeFile(join(dir, 'good.json'), JSON.stringify(LODASH_TEMPLATE));
      await writeFile(join(dir, 'bad.json'), text);
      const err = await rejection(loadAdvisories(dir));
      assert.equal(err.code, 'POLICY_INVALID');
      assert.match(err.message, message);
    });
  }

  test('a file over the size limit: FILE_TOO_LARGE naming it', async () => {
    const dir = await tempDir();
    const big = join(dir, 'huge.json');
    await writeFile(big, '');
    await truncate(big, MAX_ADVISORY_FILE_BYTES + 1); // sparse: no disk used
    const err = await rejection(loadAdvisories(dir));
    assert.equal(err.code, 'FILE_TOO_LARGE');
    assert.match(err.message, /huge\.json/);
  });

  test('a missing directory: FILE_UNREADABLE', async () => {
    const err = await rejection(loadAdvisories(join(await tempDir(), 'nope')));
    assert.equal(err.code, 'FILE_UNREADABLE');
    assert.match(err.message, /ENOENT/);
  });
});

describe('parseOsvRecord', () => {
  test('reads a record with a byte-order mark', () => {
    assert.equal(parseOsvRecord(`\ufeff${JSON.stringify(GO_X_NET)}`, 'x.json').id, 'GO-2023-1571');
  });
});
