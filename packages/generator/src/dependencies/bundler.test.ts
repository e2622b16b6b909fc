import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ResourceDescriptorSchema, isProvenantError } from '@provenant/core';
import { bundlerFormat } from './bundler-format.ts';
import type { ResolvedPackage } from './model.ts';
import { toResourceDescriptor } from './resource-descriptor.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/ruby/', import.meta.url));

async function load(dir: string) {
  const text = await readFile(join(FIXTURES, dir, 'Gemfile.lock'), 'utf8');
  return bundlerFormat.parse({ text, path: `${dir}/Gemfile.lock`, readSibling: async () => undefined });
}

function get(packages: ResolvedPackage[], id: string): ResolvedPackage {
  const found = packages.find((p) => `${p.name}@${p.version}` === id);
  assert.ok(found, `${id} not found`);
  return found;
}

describe('bundlerFormat', () => {
  test('local sources: 11 packages = 9 GEM + 1 GIT + 1 PATH specs (bundle install: "12 gems", bundler itself included)', async () => {
    const facts = await load('local-sources');
    assert.equal(facts.lockfileVersion, '2.3.15');
    assert.equal(facts.packages.length, 11);
    assert.deepEqual(facts.roots, ['pkg:gem/gitgem@0.4.1', 'pkg:gem/localgem@1.0.0', 'pkg:gem/rack@2.2.22', 'pkg:gem/rake@13.0.6', 'pkg:gem/rspec@3.12.0']);
    const git = get(facts.packages, 'gitgem@0.4.1');
    assert.equal(git.sourceKind, 'git');
    assert.deepEqual(git.digest, { gitCommit: 'b2647cd3a5ce03673939d1287a0fdf269c8d91b2' });
    assert.equal(git.downloadLocation, undefined, 'the remote is a local clone, not a URL');
    assert.deepEqual(git.dependencies, ['pkg:gem/rack@2.2.22']);
    assert.equal(get(facts.packages, 'localgem@1.0.0').sourceKind, 'file');
    assert.equal(get(facts.packages, 'rack@2.2.22').downloadLocation, 'https://rubygems.org/gems/rack-2.2.22.gem');
    assert.deepEqual(get(facts.packages, 'rspec@3.12.0').dependencies, ['pkg:gem/rspec-core@3.12.0', 'pkg:gem/rspec-expectations@3.12.1', 'pkg:gem/rspec-mocks@3.12.1']);
    assert.ok(facts.packages.every((p) => p.scope === 'prod'), 'Gemfile.lock records no groups: rspec (group :test) stays prod');
  });

  test('CHECKSUMS (Bundler 2.5): 16 packages = 16 GEM specs, each with its sha256', async () => {
    const facts = await load('checksums');
    assert.equal(facts.lockfileVersion, '2.5.17');
    assert.equal(facts.packages.length, 16);
    assert.ok(facts.packages.every((p) => p.digest['sha256']?.length === 64));
    assert.deepEqual(get(facts.packages, 'octokit@7.2.0').digest, { sha256: '7032d968d03177ee7a29e3bd4782fc078215cca4743db0dfc66a49feb9411907' });
    assert.deepEqual(facts.roots, ['pkg:gem/aws-sdk-s3@1.146.1', 'pkg:gem/faraday-retry@2.2.0', 'pkg:gem/octokit@7.2.0']);
    for (const p of facts.packages) assert.ok(ResourceDescriptorSchema.safeParse(toResourceDescriptor(p)).success, p.purl);
  });

  test('platform gems are separate packages with a platform qualifier; the project\'s own gemspec is the root', async () => {
    // Parser unit case in the layout Bundler writes for `gemspec` plus a native gem on two platforms.
    const text = [
      'PATH',
      '  remote: .',
      '  specs:',
      '    mygem (0.1.0)',
      '      nokogiri (~> 1.16)',
      '',
      'GEM',
      '  remote: https://rubygems.org/',
      '  specs:',
      '    nokogiri (1.16.0-arm64-darwin)',
      '      racc (~> 1.4)',
      '    nokogiri (1.16.0-x86_64-linux)',
      '      racc (~> 1.4)',
      '    racc (1.7.3)',
      '',
      'DEPENDENCIES',
      '  mygem!',
      '',
      'CHECKSUMS',
      `  nokogiri (1.16.0-x86_64-linux) sha256=${'d'.repeat(64)}`,
      '  mygem (0.1.0)',
      '',
    ].join('\n');
    const { packages, roots } = await bundlerFormat.parse({ text, path: 'Gemfile.lock', readSibling: async () => undefined });
    assert.deepEqual(
      packages.map((p) => p.purl),
      ['pkg:gem/nokogiri@1.16.0?platform=arm64-darwin', 'pkg:gem/nokogiri@1.16.0?platform=x86_64-linux', 'pkg:gem/racc@1.7.3'],
    );
    assert.deepEqual(packages[1]?.digest, { sha256: 'd'.repeat(64) });
    assert.equal(packages[1]?.downloadLocation, 'https://rubygems.org/gems/nokogiri-1.16.0-x86_64-linux.gem');
    assert.deepEqual(roots, ['pkg:gem/nokogiri@1.16.0?platform=arm64-darwin', 'pkg:gem/nokogiri@1.16.0?platform=x86_64-linux']);
  });

  const invalid: Record<string, string> = {
    'a spec without version': 'GEM\n  remote: https://rubygems.org/\n  specs:\n    rack\n',
    'a dependency outside a spec': 'GEM\n  remote: https://rubygems.org/\n  specs:\n      rack (>= 1)\n',
    'a malformed checksum': `CHECKSUMS\n  rack (1.0) sha256=${'z'.repeat(64)}\n`,
    'an unreadable spec': 'GEM\n  specs:\n    rack (1.0\n',
  };
  for (const [what, text] of Object.entries(invalid)) {
    test(`LOCKFILE_INVALID: ${what}`, async () => {
      await assert.rejects(
        bundlerFormat.parse({ text, path: 'Gemfile.lock', readSibling: async () => undefined }),
        (e) => isProvenantError(e) && e.code === 'LOCKFILE_INVALID' && e.message.startsWith('Gemfile.lock: '),
      );
    });
  }
});
