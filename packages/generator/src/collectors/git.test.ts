import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isProvenantError } from '@provenant/core';
import type { ExecAnswers } from '../testing/fake-context.ts';
import { fakeContext } from '../testing/fake-context.ts';
import { countStatusEntries, gitCollector, stripUrlCredentials } from './git.ts';

const SHA1 = '8f2c1e0d9b7a6c5e4f3a2b1c0d9e8f7a6b5c4d3e';
const SHA256 = '3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b';
const STATUS = 'git --no-optional-locks status --porcelain=v1 -z --untracked-files=normal';
const NOT_HERE = { code: 128, stderr: 'fatal: not a git repository (or any of the parent directories): .git\n' };

/** A clean checkout of main with an https origin; override single commands per test. */
function repo(overrides: ExecAnswers = {}): ExecAnswers {
  return {
    'git rev-parse --is-inside-work-tree': { stdout: 'true\n' },
    'git rev-parse HEAD': { stdout: `${SHA1}\n` },
    [STATUS]: { stdout: '' },
    'git symbolic-ref -q HEAD': { stdout: 'refs/heads/main\n' },
    'git remote get-url origin': { stdout: 'https://github.com/octo-org/octo-repo.git\n' },
    ...overrides,
  };
}

describe('gitCollector.detect', () => {
  const cases: Array<[string, ExecAnswers, boolean]> = [
    ['inside a work tree', repo(), true],
    ['git not installed', {}, false],
    ['not a repository', { 'git rev-parse --is-inside-work-tree': NOT_HERE }, false],
    ['inside the .git directory', { 'git rev-parse --is-inside-work-tree': { stdout: 'false\n' } }, false],
  ];
  for (const [label, exec, expected] of cases) {
    test(`${label} -> ${expected}`, async () => {
      assert.equal(await gitCollector.detect(fakeContext({ exec })), expected);
    });
  }
});

describe('gitCollector.collect', () => {
  test('clean checkout of a branch', async () => {
    assert.deepEqual(await gitCollector.collect(fakeContext({ exec: repo() })), {
      commit: SHA1,
      treeState: 'clean',
      changedFiles: 0,
      ref: 'refs/heads/main',
      remoteUrl: 'https://github.com/octo-org/octo-repo.git',
    });
  });

  test('runs every git command in ctx.cwd with a timeout', async () => {
    const ctx = fakeContext({ cwd: '/builds/group/project', exec: repo() });
    const inner = ctx.exec;
    const seen: Array<{ cwd?: string; timeoutMs?: number } | undefined> = [];
    ctx.exec = (file, args, options) => {
      seen.push(options);
      return inner(file, args, options);
    };
    await gitCollector.collect(ctx);
    assert.ok(seen.length >= 5);
    for (const options of seen) {
      assert.equal(options?.cwd, '/builds/group/project');
      assert.ok((options?.timeoutMs ?? 0) > 0);
    }
  });

  test('SHA-256 repository', async () => {
    const facts = await gitCollector.collect(fakeContext({ exec: repo({ 'git rev-parse HEAD': { stdout: `${SHA256}\n` } }) }));
    assert.equal(facts?.commit, SHA256);
  });

  test('dirty tree counts modified, staged, untracked and renamed entries once each', async () => {
    const status = ' M src/index.ts\0A  src/new.ts\0?? notes.txt\0R  src/renamed.ts\0src/original.ts\0';
    const facts = await gitCollector.collect(fakeContext({ exec: repo({ [STATUS]: { stdout: status } }) }));
    assert.equal(facts?.treeState, 'dirty');
    assert.equal(facts?.changedFiles, 4);
  });

  test('detached HEAD on an exact tag (describe)', async () => {
    const exec = repo({
      'git symbolic-ref -q HEAD': { code: 1 },
      'git describe --tags --exact-match': { stdout: 'v1.2.0\n' },
    });
    const facts = await gitCollector.collect(fakeContext({ exec }));
    assert.equal(facts?.ref, 'refs/tags/v1.2.0');
  });

  test('detached HEAD, describe fails, tag --points-at picks the first tag in order', async () => {
    const exec = repo({
      'git symbolic-ref -q HEAD': { code: 1 },
      'git describe --tags --exact-match': { code: 128, stderr: 'fatal: no tag exactly matches' },
      'git tag --points-at HEAD': { stdout: 'v2.0.0\nlatest\nv1.9.9\n' },
    });
    const facts = await gitCollector.collect(fakeContext({ exec }));
    assert.equal(facts?.ref, 'refs/tags/latest');
  });

  test('detached HEAD without a tag has no ref', async () => {
    const exec = repo({
      'git symbolic-ref -q HEAD': { code: 1 },
      'git describe --tags --exact-match': { code: 128 },
      'git tag --points-at HEAD': { stdout: '' },
    });
    const facts = await gitCollector.collect(fakeContext({ exec }));
    assert.ok(facts);
    assert.equal('ref' in facts, false);
  });

  const remotes: Array<[string, ExecAnswers, string | undefined]> = [
    ['credentials stripped from origin', { 'git remote get-url origin': { stdout: 'https://x-access-token:ghs_abc@github.com/o/r.git\n' } }, 'https://github.com/o/r.git'],
    ['scp-like origin kept', { 'git remote get-url origin': { stdout: 'git@github.com:o/r.git\n' } }, 'git@github.com:o/r.git'],
    [
      'first remote when there is no origin',
      {
        'git remote get-url origin': { code: 2, stderr: "error: No such remote 'origin'" },
        'git remote': { stdout: 'upstream\nfork\n' },
        'git remote get-url upstream': { stdout: 'https://gitlab.com/g/p.git?private_token=abc\n' },
      },
      'https://gitlab.com/g/p.git',
    ],
    ['no remotes at all', { 'git remote get-url origin': { code: 2 }, 'git remote': { stdout: '' } }, undefined],
  ];
  for (const [label, overrides, expected] of remotes) {
    test(`remote: ${label}`, async () => {
      const facts = await gitCollector.collect(fakeContext({ exec: repo(overrides) }));
      assert.equal(facts?.remoteUrl, expected);
    });
  }

  test('a remote that still looks like a secret after stripping is left out', async () => {
    const token = `ghp_${'a1B2c3D4e5'.repeat(4)}`;
    const facts = await gitCollector.collect(fakeContext({ exec: repo({ 'git remote get-url origin': { stdout: `${token}@github.com:o/r.git\n` } }) }));
    assert.ok(facts);
    assert.equal(facts.remoteUrl, undefined);
    assert.ok(!JSON.stringify(facts).includes(token));
  });

  test('undefined when git is not installed', async () => {
    assert.equal(await gitCollector.collect(fakeContext()), undefined);
  });

  test('undefined outside a repository', async () => {
    assert.equal(await gitCollector.collect(fakeContext({ exec: { 'git rev-parse --is-inside-work-tree': NOT_HERE } })), undefined);
  });

  test('undefined in a repository without commits', async () => {
    const exec = repo({ 'git rev-parse HEAD': { code: 128, stdout: 'HEAD\n', stderr: "fatal: ambiguous argument 'HEAD': unknown revision" } });
    assert.equal(await gitCollector.collect(fakeContext({ exec })), undefined);
  });

  test('COLLECTOR_FAILED for a malformed commit id', async () => {
    const exec = repo({ 'git rev-parse HEAD': { stdout: 'not-a-sha\n' } });
    await assert.rejects(gitCollector.collect(fakeContext({ exec })), (error) => isProvenantError(error) && error.code === 'COLLECTOR_FAILED');
  });

  test('COLLECTOR_FAILED when status cannot be read (never guesses "clean")', async () => {
    const exec = repo({ [STATUS]: { code: 128, stderr: 'fatal: index file corrupt' } });
    await assert.rejects(gitCollector.collect(fakeContext({ exec })), (error) => isProvenantError(error) && error.code === 'COLLECTOR_FAILED');
  });
});

describe('countStatusEntries', () => {
  const cases: Array<[string, string, number]> = [
    ['empty', '', 0],
    ['one modified', ' M a.ts\0', 1],
    ['untracked file and directory', '?? a.txt\0?? dir/\0', 2],
    ['rename source is not an entry', 'R  new.ts\0old.ts\0 M b.ts\0', 2],
    ['copy source is not an entry', 'C  copy.ts\0orig.ts\0', 1],
    ['path with spaces and newline', ' M a file\nwith newline.ts\0', 1],
    ['missing trailing NUL', ' M a.ts\0?? b.ts', 2],
  ];
  for (const [label, input, expected] of cases) {
    test(`${label} -> ${expected}`, () => assert.equal(countStatusEntries(input), expected));
  }
});

test('git.ts re-exports stripUrlCredentials', () => {
  assert.equal(stripUrlCredentials('https://user:token@host/x'), 'https://host/x');
});
