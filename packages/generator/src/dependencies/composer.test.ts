import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ResourceDescriptorSchema, isProvenantError } from '@provenant/core';
import { composerFormat } from './composer-format.ts';
import type { ResolvedPackage } from './model.ts';
import { toResourceDescriptor } from './resource-descriptor.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/composer/', import.meta.url));

async function load(dir: string) {
  const text = await readFile(join(FIXTURES, dir, 'composer.lock'), 'utf8');
  return composerFormat.parse({
    text,
    path: `${dir}/composer.lock`,
    readSibling: async (name) => readFile(join(FIXTURES, dir, name), 'utf8').catch(() => undefined),
  });
}

function get(packages: ResolvedPackage[], id: string): ResolvedPackage {
  const found = packages.find((p) => `${p.name}@${p.version}` === id);
  assert.ok(found, `${id} not found`);
  return found;
}

describe('composerFormat', () => {
  test('github dists: 6 packages = 6 packages + 0 packages-dev; empty shasum is no digest; edges skip php and ext-*', async () => {
    const { packages, roots } = await load('github-dists');
    assert.equal(packages.length, 6);
    assert.ok(packages.every((p) => Object.keys(p.digest).length === 0 && p.scope === 'prod' && p.sourceKind === 'registry'));
    const dotenv = get(packages, 'vlucas/phpdotenv@v5.3.0');
    assert.equal(dotenv.purl, 'pkg:composer/vlucas/phpdotenv@v5.3.0');
    assert.equal(dotenv.downloadLocation, 'https://api.github.com/repos/vlucas/phpdotenv/zipball/b3eac5c7ac896e52deab4a99068e3f4ab12d9e56');
    assert.deepEqual(dotenv.dependencies, [
      'pkg:composer/graham-campbell/result-type@v1.0.1',
      'pkg:composer/phpoption/phpoption@1.7.5',
      'pkg:composer/symfony/polyfill-ctype@v1.22.0',
      'pkg:composer/symfony/polyfill-mbstring@v1.22.0',
      'pkg:composer/symfony/polyfill-php80@v1.22.0',
    ]);
    assert.deepEqual(roots, [], 'no composer.json beside it');
    for (const p of packages) assert.ok(ResourceDescriptorSchema.safeParse(toResourceDescriptor(p)).success, p.purl);
  });

  test('artifact repository: 5 packages = 4 packages + 1 packages-dev; sha1 from dist.shasum; composer.json gives direct', async () => {
    const { packages, roots } = await load('artifact-repo');
    assert.equal(packages.length, 5);
    const ca = get(packages, 'composer/ca-bundle@1.3.5');
    assert.equal(ca.scope, 'dev');
    assert.equal(ca.digest['sha1']?.length, 40);
    assert.equal(ca.sourceKind, 'file', 'an artifact repository is a local folder of zips');
    assert.deepEqual(get(packages, 'composer/xdebug-handler@3.0.3').dependencies, ['pkg:composer/composer/pcre@3.1.0', 'pkg:composer/psr/log@1.1.4']);
    assert.deepEqual(roots, ['pkg:composer/composer/ca-bundle@1.3.5', 'pkg:composer/composer/semver@3.3.2', 'pkg:composer/composer/xdebug-handler@3.0.3']);
  });

  test('a require satisfied by another package\'s replace or provide links to it; a VCS-only package records its commit', async () => {
    const text = JSON.stringify({
      packages: [
        { name: 'a/app-lib', version: '1.0.0', require: { 'psr/log-implementation': '1.0', 'symfony/polyfill-php80': '*' } },
        { name: 'monolog/monolog', version: '2.0.0', provide: { 'psr/log-implementation': '1.0' }, dist: { type: 'zip', url: 'https://x/m.zip', shasum: 'e'.repeat(40) } },
        { name: 'symfony/symfony', version: '5.0.0', replace: { 'symfony/polyfill-php80': 'self.version' }, source: { type: 'git', url: 'https://github.com/symfony/symfony.git', reference: 'f'.repeat(40) } },
      ],
      'packages-dev': [],
    });
    const { packages } = await composerFormat.parse({ text, path: 'composer.lock', readSibling: async () => undefined });
    assert.deepEqual(get(packages, 'a/app-lib@1.0.0').dependencies, ['pkg:composer/monolog/monolog@2.0.0', 'pkg:composer/symfony/symfony@5.0.0']);
    assert.deepEqual(get(packages, 'monolog/monolog@2.0.0').digest, { sha1: 'e'.repeat(40) });
    assert.deepEqual(get(packages, 'symfony/symfony@5.0.0').digest, { gitCommit: 'f'.repeat(40) });
    assert.equal(get(packages, 'symfony/symfony@5.0.0').sourceKind, 'git');
  });

  const invalid: Record<string, string> = {
    'not JSON': '{',
    'packages is an object': '{"packages": {}}',
    'a name without vendor': '{"packages": [{"name": "x", "version": "1"}]}',
    'a numeric version': '{"packages": [{"name": "a/b", "version": 1}]}',
    'dist is a string': '{"packages": [{"name": "a/b", "version": "1", "dist": "x"}]}',
  };
  for (const [what, text] of Object.entries(invalid)) {
    test(`LOCKFILE_INVALID: ${what}`, async () => {
      await assert.rejects(
        composerFormat.parse({ text, path: 'composer.lock', readSibling: async () => undefined }),
        (e) => isProvenantError(e) && e.code === 'LOCKFILE_INVALID' && e.message.startsWith('composer.lock: '),
      );
    });
  }
});
