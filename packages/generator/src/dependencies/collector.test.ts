import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isProvenantError } from '@provenant/core';
import { fakeContext } from '../testing/fake-context.ts';
import { lockfileCollector } from './collector.ts';
import type { ResolvedPackage } from './model.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/npm/', import.meta.url));

function get(packages: ResolvedPackage[], id: string): ResolvedPackage {
  const found = packages.find((p) => `${p.name}@${p.version}` === id);
  assert.ok(found, `${id} not found`);
  return found;
}

describe('lockfileCollector with npm lockfiles', async () => {
  const v3 = await readFile(join(FIXTURES, 'small-v3/package-lock.json'), 'utf8');
  const v1 = await readFile(join(FIXTURES, 'small-v1/package-lock.json'), 'utf8');
  const manifest = await readFile(join(FIXTURES, 'small-v1/package.json'), 'utf8');
  const shrinkwrap = await readFile(join(FIXTURES, 'shrinkwrap/npm-shrinkwrap.json'), 'utf8');

  test('detects and collects package-lock.json in ctx.cwd', async () => {
    const ctx = fakeContext({ files: { 'package-lock.json': v3 } });
    const collector = lockfileCollector();
    assert.equal(collector.name, 'lockfiles');
    assert.equal(await collector.detect(ctx), true);
    const [facts, ...rest] = await collector.collect(ctx);
    assert.equal(rest.length, 0);
    assert.deepEqual([facts?.lockfile, facts?.ecosystem, facts?.lockfileVersion, facts?.packages.length], ['package-lock.json', 'npm', 3, 30]);
  });

  test('prefers npm-shrinkwrap.json, as npm does', async () => {
    const ctx = fakeContext({ files: { 'package-lock.json': v3, 'npm-shrinkwrap.json': shrinkwrap } });
    const facts = await lockfileCollector().collect(ctx);
    assert.deepEqual(
      facts.map((f) => f.lockfile),
      ['npm-shrinkwrap.json'],
    );
    assert.ok(facts[0]?.packages.some((p) => p.name === 'commander'));
  });

  test('nothing to collect without a lockfile', async () => {
    const ctx = fakeContext({ files: { 'package.json': manifest } });
    assert.equal(await lockfileCollector().detect(ctx), false);
    assert.deepEqual(await lockfileCollector().collect(ctx), []);
  });

  test('explicit lockfiles are read relative to ctx.cwd, v1 with the package.json beside it', async () => {
    const ctx = fakeContext({ files: { 'app/package-lock.json': v1, 'app/package.json': manifest, 'package-lock.json': v3 } });
    const facts = await lockfileCollector({ lockfiles: ['app/package-lock.json'] }).collect(ctx);
    assert.deepEqual(
      facts.map((f) => [f.lockfile, f.lockfileVersion]),
      [['app/package-lock.json', 1]],
    );
    assert.equal(get(facts[0]!.packages, 'debug@4.3.4').direct, true);
  });

  test('a missing explicit lockfile is FILE_UNREADABLE; a broken one LOCKFILE_INVALID', async () => {
    const ctx = fakeContext({ files: { 'package-lock.json': '{"lockfileVersion": 3, "packages": []}' } });
    await assert.rejects(lockfileCollector({ lockfiles: ['nope/package-lock.json'] }).collect(ctx), (e) => isProvenantError(e) && e.code === 'FILE_UNREADABLE');
    await assert.rejects(
      lockfileCollector().collect(ctx),
      (e) => isProvenantError(e) && e.code === 'LOCKFILE_INVALID' && e.message.startsWith('package-lock.json: '),
    );
  });
});


describe('lockfile discovery', async () => {
  const v3 = await readFile(join(FIXTURES, 'small-v3/package-lock.json'), 'utf8');

  test('finds lockfiles below cwd, skipping node_modules, vendor, .git and build output; sorted by path', async () => {
    const ctx = fakeContext({
      files: {
        'package-lock.json': v3,
        'services/api/package-lock.json': v3,
        'node_modules/x/package-lock.json': v3,
        'vendor/y/package-lock.json': v3,
        '.git/z/package-lock.json': v3,
        'dist/package-lock.json': v3,
      },
    });
    const facts = await lockfileCollector().collect(ctx);
    assert.deepEqual(facts.map((f) => [f.lockfile, f.manager]), [['package-lock.json', 'npm'], ['services/api/package-lock.json', 'npm']]);
  });

  test('an explicit lockfile with a name no format knows is a usage error', async () => {
    const ctx = fakeContext({ files: { 'deps.lock': '{}' } });
    await assert.rejects(lockfileCollector({ lockfiles: ['deps.lock'] }).collect(ctx), (e) => isProvenantError(e) && e.code === 'USAGE');
  });
});

describe('discovery across ecosystems', async () => {
  const fixture = (p: string) => readFile(join(FIXTURES, '..', p), 'utf8');
  const files = {
    'package-lock.json': await fixture('npm/small-v3/package-lock.json'),
    'web/pnpm-lock.yaml': await fixture('pnpm/small-v9/pnpm-lock.yaml'),
    'tools/Cargo.lock': await fixture('cargo/ripgrep/Cargo.lock'),
    'cmd/go.mod': await fixture('go/fzf/go.mod'),
    'cmd/go.sum': await fixture('go/fzf/go.sum'),
    'py/poetry.lock': await fixture('python/poetry-v1/poetry.lock'),
  };

  test('every known lockfile below cwd is read by its own format', async () => {
    const facts = await lockfileCollector().collect(fakeContext({ files }));
    assert.deepEqual(
      facts.map((f) => [f.lockfile, f.manager, f.ecosystem]),
      [
        ['cmd/go.sum', 'go', 'golang'],
        ['package-lock.json', 'npm', 'npm'],
        ['py/poetry.lock', 'poetry', 'pypi'],
        ['tools/Cargo.lock', 'cargo', 'cargo'],
        ['web/pnpm-lock.yaml', 'pnpm', 'npm'],
      ],
    );
    for (const f of facts) {
      assert.ok(f.packages.length > 0, `${f.lockfile} has packages`);
      for (const p of f.packages) assert.ok(p.purl.startsWith(`pkg:${p.ecosystem}/`), p.purl);
    }
  });
});
