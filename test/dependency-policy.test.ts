// Real lockfiles through the whole dependency-policy path: the generator's parser and
// ResourceDescriptors (what `attest` signs), then the verifier's checks on those descriptors.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseNpmLockfile, toResourceDescriptor } from '@provenant/generator';
// Until the verifier's index exports the dependency checks (lead wiring), read them from source.
import { buildAdvisoryIndex } from '../packages/verifier/src/dependencies/advisory-index.ts';
import { checkDependencies } from '../packages/verifier/src/dependencies/check-dependencies.ts';
import { DependencyPolicySchema } from '../packages/verifier/src/dependencies/dependency-policy.ts';
import { OsvRecordSchema } from '../packages/verifier/src/dependencies/osv-record.ts';

const FIXTURES = join(import.meta.dirname, '..', 'packages', 'generator', 'src', 'dependencies', 'fixtures', 'npm');

async function descriptors(fixture: string) {
  const dir = join(FIXTURES, fixture);
  const { packages } = parseNpmLockfile(await readFile(join(dir, 'package-lock.json'), 'utf8'), `${fixture}/package-lock.json`, {
    rootManifest: JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')),
  });
  return packages.map(toResourceDescriptor);
}

const STRICT = DependencyPolicySchema.parse({ allowedRegistries: ['https://registry.npmjs.org'], requireDigest: true });

describe('dependency policy on real lockfiles', () => {
  test('large-v3 (562 packages from the public registry, all with integrity) passes a strict policy', async () => {
    const deps = await descriptors('large-v3');
    assert.equal(deps.length, 562);
    assert.deepEqual(checkDependencies(deps, STRICT), []);
  });

  test('local-sources-v3: the vendored file: tarball is a forbidden source until allowed', async () => {
    const deps = await descriptors('local-sources-v3');
    const findings = checkDependencies(deps, STRICT);
    assert.deepEqual(
      findings.map((f) => [f.code, f.actual]),
      [['DEPENDENCY_SOURCE_FORBIDDEN', 'file']],
    );
    assert.match(findings[0]!.message, /^pkg:npm\/%40acme\/vendored@0\.3\.0 comes from a file source \(file:vendor\/acme-vendored-0\.3\.0\.tgz\)/);
    assert.deepEqual(checkDependencies(deps, { ...STRICT, allowSources: ['file'] }), []);
  });

  test('an OSV advisory for a version in the lockfile is reported; a fixed one is not', async () => {
    const deps = await descriptors('large-v3');
    const index = buildAdvisoryIndex(
      [
        {
          schema_version: '1.4.0',
          id: 'GHSA-8hc4-vh64-cxmj',
          modified: '2024-08-12T19:00:00Z',
          published: '2024-08-12T15:30:49Z',
          aliases: ['CVE-2024-39338'],
          summary: 'Server-Side Request Forgery in axios',
          affected: [{ package: { ecosystem: 'npm', name: 'axios' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.3.2' }, { fixed: '1.7.4' }] }] }],
        },
        {
          schema_version: '1.4.0',
          id: 'GHSA-grv7-fg5c-xmjg',
          modified: '2024-05-20T00:00:00Z',
          aliases: ['CVE-2024-4068'],
          summary: 'Uncontrolled resource consumption in braces',
          affected: [{ package: { ecosystem: 'npm', name: 'braces' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.3' }] }] }],
        },
      ].map((r) => OsvRecordSchema.parse(r)),
    );
    const findings = checkDependencies(deps, undefined, index);
    assert.deepEqual(findings.map((f) => f.message), ['pkg:npm/axios@1.6.8 is affected by GHSA-8hc4-vh64-cxmj (CVE-2024-39338): Server-Side Request Forgery in axios; fixed in 1.7.4']);
    const i = deps.findIndex((d) => d.uri === 'pkg:npm/axios@1.6.8');
    assert.equal(findings[0]!.path, `predicate.buildDefinition.resolvedDependencies[${i}]`);
  });
});
