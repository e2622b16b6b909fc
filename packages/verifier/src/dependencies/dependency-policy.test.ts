import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { z } from 'zod';
import { DependencyPolicySchema, dependencyPolicyKeys, verifyDependencyPolicyUsable } from './dependency-policy.ts';

const FULL = `
deny:
  - { purl: pkg:npm/lodash, versions: '<4.17.21', reason: CVE-2021-23337 }
  - { purl: pkg:npm/event-stream@3.3.6, reason: compromised release }
  - { purl: pkg:pypi/requests, versions: '>=2.3,<2.31' }
  - { purl: pkg:npm/left-pad, versions: [1.1.0, 1.1.1] }
  - { purl: pkg:npm/colors }
allowedRegistries: [https://registry.npmjs.org, https://npm.pkg.github.com/acme]
allowSources: [git, link]
requireDigest: true
advisories: { directory: ./osv }
`;

function issues(value: unknown): string[] {
  const result = DependencyPolicySchema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('DependencyPolicySchema', () => {
  test('reads a full section written in YAML', () => {
    const parsed = DependencyPolicySchema.parse(parse(FULL));
    assert.equal(parsed.deny?.length, 5);
    assert.deepEqual(parsed.allowSources, ['git', 'link']);
    assert.equal(parsed.requireDigest, true);
    assert.deepEqual(parsed.advisories, { directory: './osv' });
  });

  test('an empty section is valid (it still turns the source rule on)', () => assert.deepEqual(issues({}), []));

  const invalid: [string, unknown, RegExp][] = [
    ['an unknown key', { denny: [] }, /Unrecognized key.*denny/],
    ['an unknown key in a rule', { deny: [{ purl: 'pkg:npm/a', version: '1' }] }, /Unrecognized key.*version/],
    ['a purl that is not one', { deny: [{ purl: 'lodash' }] }, /^deny\.0\.purl: "lodash" is not a package URL/],
    ['a purl with qualifiers', { deny: [{ purl: 'pkg:npm/a?repository_url=x' }] }, /^deny\.0\.purl: qualifiers and subpaths are not matched/],
    ['a version in both places', { deny: [{ purl: 'pkg:npm/a@1.0.0', versions: '<2' }] }, /^deny\.0\.versions: the purl already names a version/],
    ['a semver range that is not one', { deny: [{ purl: 'pkg:npm/a', versions: 'below 2' }] }, /^deny\.0\.versions: "below 2" is not a semver range/],
    ['a PEP 440 specifier that is not one', { deny: [{ purl: 'pkg:pypi/a', versions: '<<2' }] }, /^deny\.0\.versions: .*PEP 440/],
    ['an empty version list', { deny: [{ purl: 'pkg:npm/a', versions: [] }] }, /^deny\.0\.versions: /],
    ['an empty deny list', { deny: [] }, /^deny: expected at least one entry/],
    ['a registry with credentials', { allowedRegistries: ['https://user:pw@registry.example.com'] }, /^allowedRegistries\.0: expected an http\(s\) URL without credentials/],
    ['a registry that is not a URL', { allowedRegistries: ['registry.npmjs.org'] }, /^allowedRegistries\.0: expected an http\(s\) URL/],
    ['a source kind that does not exist', { allowSources: ['svn'] }, /^allowSources\.0: expected one of git, file, link, remote-tarball/],
    ['registry as an allowed source', { allowSources: ['registry'] }, /^allowSources\.0: expected one of/],
    ['requireDigest as a string', { requireDigest: 'yes' }, /^requireDigest: /],
    ['an advisories key that does not exist', { advisories: { dir: 'x' } }, /Unrecognized key.*dir/],
  ];
  for (const [name, value, message] of invalid) {
    test(`refuses ${name}`, () => assert.match(issues(value).join('\n'), message));
  }

  test('converts to JSON Schema (for schemas/policy.schema.json), closed to unknown keys', () => {
    const schema = z.toJSONSchema(DependencyPolicySchema, { io: 'input' }) as { additionalProperties?: boolean; properties: Record<string, unknown> };
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual(Object.keys(schema.properties).sort(), ['advisories', 'allowSources', 'allowedRegistries', 'deny', 'requireDigest']);
  });

  test('names the allowed keys at each level for unknown-key messages', () => {
    assert.deepEqual(dependencyPolicyKeys([]), ['deny', 'allowedRegistries', 'allowSources', 'requireDigest', 'advisories']);
    assert.deepEqual(dependencyPolicyKeys(['deny', 0]), ['purl', 'versions', 'reason']);
    assert.deepEqual(dependencyPolicyKeys(['advisories']), ['directory']);
  });

  test('a policy built in code is checked too: problems become POLICY_INVALID findings', () => {
    assert.deepEqual(verifyDependencyPolicyUsable(undefined), []);
    assert.deepEqual(verifyDependencyPolicyUsable({ requireDigest: true }), []);
    assert.deepEqual(
      verifyDependencyPolicyUsable({ deny: [{ purl: 'lodash' }], allowSources: ['svn'] }).map((f) => [f.code, f.path]),
      [
        ['POLICY_INVALID', 'policy.dependencies.deny[0].purl'],
        ['POLICY_INVALID', 'policy.dependencies.allowSources[0]'],
      ],
    );
  });
});
