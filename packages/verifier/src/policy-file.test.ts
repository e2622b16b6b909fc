import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isProvenantError } from '@provenant/core';
import { z } from 'zod';
import { PolicyFileSchema, parsePolicy } from './policy-file.ts';

const FULL_YAML = `apiVersion: provenant.dev/v1
kind: Policy
predicateTypes: [https://slsa.dev/provenance/v1]
builder: { ids: [https://provenant.dev/builders/github-actions@v1], idPrefixes: [https://github.com/acme/] }
source: { uris: [https://github.com/acme/app], refs: [refs/heads/main, refs/tags/v*] }
buildTypes: [https://provenant.dev/buildtypes/ci/v1]
maxAge: 7d
`;

const FULL_POLICY = {
  predicateTypes: ['https://slsa.dev/provenance/v1'],
  builder: { ids: ['https://provenant.dev/builders/github-actions@v1'], idPrefixes: ['https://github.com/acme/'] },
  source: { uris: ['https://github.com/acme/app'], refs: ['refs/heads/main', 'refs/tags/v*'] },
  buildTypes: ['https://provenant.dev/buildtypes/ci/v1'],
  maxAge: '7d',
};

/** The POLICY_INVALID message parsePolicy throws for `text`. */
function policyError(text: string): string {
  try {
    parsePolicy(text, 'policy.yaml');
  } catch (err) {
    assert.ok(isProvenantError(err) && err.code === 'POLICY_INVALID', String(err));
    return err.message;
  }
  assert.fail('expected POLICY_INVALID');
}

describe('parsePolicy', () => {
  it('reads a YAML policy', () => {
    assert.deepEqual(parsePolicy(FULL_YAML), FULL_POLICY);
  });

  it('reads the same policy as JSON (tab-indented)', () => {
    const json = JSON.stringify({ apiVersion: 'provenant.dev/v1', kind: 'Policy', ...FULL_POLICY }, null, '\t');
    assert.deepEqual(parsePolicy(json, 'policy.json'), FULL_POLICY);
  });

  it('reads a minimal policy and a numeric maxAge', () => {
    assert.deepEqual(parsePolicy('apiVersion: provenant.dev/v1\nkind: Policy\n'), {});
    assert.deepEqual(parsePolicy('apiVersion: provenant.dev/v1\nkind: Policy\nmaxAge: 3600\n'), { maxAge: 3600 });
  });

  const invalid: { name: string; text: string; message: RegExp }[] = [
    { name: 'unknown top-level key', text: 'apiVersion: provenant.dev/v1\nkind: Policy\nbuilders: []\n', message: /^policy\.yaml:3:1: unknown key "builders" \(allowed: apiVersion, kind, predicateTypes, builder, source, buildTypes, maxAge, publicKeys, identities, minBundleVersion, dependencies(, [a-zA-Z]+)*\)$/ },
    { name: 'unknown nested key', text: 'apiVersion: provenant.dev/v1\nkind: Policy\nsource:\n  uris: [https://x]\n  ref: [refs/heads/main]\n', message: /^policy\.yaml:5:3: unknown key "ref" in source \(allowed: uris, refs, branch, tag, versionedTag\)$/ },
    { name: 'unknown key in JSON', text: '{\n  "apiVersion": "provenant.dev/v1",\n  "kind": "Policy",\n  "builder": { "id": ["x"] }\n}', message: /^policy\.yaml:4:16: unknown key "id" in builder/ },
    { name: 'bad duration', text: 'apiVersion: provenant.dev/v1\nkind: Policy\nmaxAge: 7 days\n', message: /^policy\.yaml:3:9: maxAge: expected a duration such as 30d, 12h, 90m, 3600s/ },
    { name: 'zero seconds', text: 'apiVersion: provenant.dev/v1\nkind: Policy\nmaxAge: 0\n', message: /^policy\.yaml:3:9: maxAge: expected a duration/ },
    { name: 'wrong apiVersion', text: 'apiVersion: provenant.dev/v2\nkind: Policy\n', message: /^policy\.yaml:1:13: apiVersion: expected "provenant\.dev\/v1"$/ },
    { name: 'missing kind', text: 'apiVersion: provenant.dev/v1\n', message: /^policy\.yaml:1:1: kind: missing, expected "Policy"$/ },
    { name: 'a string where a list belongs', text: 'apiVersion: provenant.dev/v1\nkind: Policy\nbuildTypes: https://x\n', message: /^policy\.yaml:3:13: buildTypes: .*expected array/ },
    { name: 'an empty list', text: 'apiVersion: provenant.dev/v1\nkind: Policy\nsource: { refs: [] }\n', message: /^policy\.yaml:3:17: source\.refs: expected at least one entry/ },
    { name: 'an empty string in a list', text: 'apiVersion: provenant.dev/v1\nkind: Policy\nbuildTypes: [a, ""]\n', message: /^policy\.yaml:3:17: buildTypes\[1\]: expected a non-empty string$/ },
    { name: 'YAML syntax error', text: 'apiVersion: provenant.dev/v1\nkind: Policy\nsource: { uris: [https://x }\n', message: /^policy\.yaml:3:\d+: / },
    { name: 'duplicate key', text: 'apiVersion: provenant.dev/v1\nkind: Policy\nmaxAge: 1d\nmaxAge: 2d\n', message: /^policy\.yaml:4:1: Map keys must be unique$/ },
    { name: 'two documents', text: 'apiVersion: provenant.dev/v1\nkind: Policy\n---\nkind: Policy\n', message: /^policy\.yaml:3:1: Source contains multiple documents/ },
    { name: 'not a mapping', text: '- a\n- b\n', message: /^policy\.yaml:1:1: expected a mapping with apiVersion: provenant\.dev\/v1 and kind: Policy$/ },
    { name: 'empty file', text: '', message: /^policy\.yaml:1:1: expected a mapping/ },
    { name: 'githubBuilder without the repository it trusts', text: 'apiVersion: provenant.dev/v1\nkind: Policy\ngithubBuilder: {}\n', message: /^policy\.yaml:1:1: source\.uris: must name the source repository when githubBuilder is set$/ },
    { name: 'githubBuilder for a repository not on github.com', text: 'apiVersion: provenant.dev/v1\nkind: Policy\nsource: { uris: [https://gitlab.com/a/b] }\ngithubBuilder: {}\n', message: /^policy\.yaml:3:17: source\.uris: must be github\.com repositories/ },
    { name: 'a builder id with an empty ref', text: 'apiVersion: provenant.dev/v1\nkind: Policy\nsource: { uris: [https://github.com/a/b] }\ngithubBuilder: { ids: ["x@"] }\n', message: /^policy\.yaml:4:24: githubBuilder\.ids\[0\]: expected a builder id, name or name@ref$/ },
    { name: 'a versioned tag that is not a version', text: 'apiVersion: provenant.dev/v1\nkind: Policy\nsource: { versionedTag: "1.2" }\n', message: /^policy\.yaml:3:25: source\.versionedTag: expected a version such as v1, v1\.2 or v1\.2\.3/ },
    { name: 'a branch with a tag', text: 'apiVersion: provenant.dev/v1\nkind: Policy\nsource: { branch: main, tag: v1 }\n', message: /^policy\.yaml:3:19: source\.branch: cannot be combined with a tag/ },
    { name: 'a workflow input YAML reads as a boolean', text: 'apiVersion: provenant.dev/v1\nkind: Policy\nworkflowInputs: { dry_run: true }\n', message: /^policy\.yaml:3:28: workflowInputs\.dry_run: expected a string \(quote values such as "true" or "3"\)$/ },
  ];
  for (const c of invalid) {
    it(`POLICY_INVALID with line:col: ${c.name}`, () => {
      assert.match(policyError(c.text), c.message);
    });
  }

  it('reports every problem, one per line', () => {
    const lines = policyError('apiVersion: provenant.dev/v1\nkind: Policy\nmaxAge: soon\nbuildTypo: [x]\n').split('\n');
    assert.equal(lines.length, 2);
    assert.ok(lines.some((l) => l.startsWith('policy.yaml:3:9: maxAge:')));
    assert.ok(lines.some((l) => l.startsWith('policy.yaml:4:1: unknown key "buildTypo"')));
  });

  it('exports a schema that converts to JSON Schema, closed to unknown keys', () => {
    const json = z.toJSONSchema(PolicyFileSchema) as { $ref: string; $defs: Record<string, { additionalProperties?: boolean; required?: string[]; properties: Record<string, unknown> }> };
    assert.equal(json.$ref, '#/$defs/ProvenantPolicy');
    const schema = json.$defs['ProvenantPolicy']!;
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual(schema.required, ['apiVersion', 'kind']);
    assert.deepEqual(Object.keys(schema.properties), Object.keys(PolicyFileSchema.shape));
    for (const key of ['predicateTypes', 'builder', 'source', 'buildTypes', 'maxAge', 'identities', 'minBundleVersion', 'githubBuilder', 'workflowInputs']) assert.ok(key in schema.properties, key);
  });

  it('reads slsa-verifier\'s fields: a GitHub builder, a versioned tag, workflow inputs', () => {
    const policy = parsePolicy(`apiVersion: provenant.dev/v1
kind: Policy
source: { uris: [https://github.com/acme/app], versionedTag: v1.2 }
githubBuilder: { ids: [https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v1.9.0] }
workflowInputs: { release_version: v1.2.3, dry_run: "false" }
`);
    assert.deepEqual(policy, {
      source: { uris: ['https://github.com/acme/app'], versionedTag: 'v1.2' },
      githubBuilder: { ids: ['https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v1.9.0'] },
      workflowInputs: { release_version: 'v1.2.3', dry_run: 'false' },
    });
  });

  it('reads keyless identities and a minimum bundle version', () => {
    const policy = parsePolicy(`apiVersion: provenant.dev/v1
kind: Policy
minBundleVersion: "0.2"
identities:
  - subjectAlternativeNameRegexp: https://github\\.com/acme/.*
    issuer: https://token.actions.githubusercontent.com
    extensions: { sourceRepositoryURI: https://github.com/acme/app, runnerEnvironment: github-hosted }
    denySelfHostedRunners: true
  - subjectAlternativeName: https://dotcom.releases.github.com
    noIssuer: true
`);
    assert.deepEqual(policy, {
      minBundleVersion: '0.2',
      identities: [
        {
          subjectAlternativeNameRegexp: 'https://github\\.com/acme/.*',
          issuer: 'https://token.actions.githubusercontent.com',
          extensions: { sourceRepositoryURI: 'https://github.com/acme/app', runnerEnvironment: 'github-hosted' },
          denySelfHostedRunners: true,
        },
        { subjectAlternativeName: 'https://dotcom.releases.github.com', noIssuer: true },
      ],
    });
  });

  const identityErrors: [string, string, RegExp][] = [
    ['no issuer', 'identities: [{ subjectAlternativeName: a }]', /^policy\.yaml:3:\d+: identities\[0\]: expected exactly one of issuer, issuerRegexp and noIssuer$/m],
    ['no SAN', 'identities: [{ issuer: b }]', /identities\[0\]: expected exactly one of subjectAlternativeName and subjectAlternativeNameRegexp/],
    ['a regexp that does not compile', 'identities: [{ subjectAlternativeNameRegexp: "(", issuer: b }]', /identities\[0\]\.subjectAlternativeNameRegexp: not a valid regular expression/],
    ['an unknown extension', 'identities: [{ subjectAlternativeName: a, issuer: b, extensions: { repo: x } }]', /unknown key "repo" in identities\[0\]\.extensions \(allowed: githubWorkflowTrigger, /],
    ['an unknown identity key', 'identities: [{ san: a, issuer: b }]', /unknown key "san" in identities\[0\] \(allowed: subjectAlternativeName, /],
    ['an unknown bundle version', 'minBundleVersion: "0.9"', /minBundleVersion: expected one of 0\.1, 0\.2, 0\.3/],
  ];
  for (const [name, yaml, message] of identityErrors) {
    it(`refuses an identity policy with ${name}`, () => {
      assert.match(policyError(`apiVersion: provenant.dev/v1\nkind: Policy\n${yaml}\n`), message);
    });
  }
});

describe('parsePolicy: buildTypes rules, subjects, requiredAttestations', () => {
  const HEAD = 'apiVersion: provenant.dev/v1\nkind: Policy\n';

  it('reads each section, keeping plain build type strings', () => {
    const policy = parsePolicy(
      `${HEAD}buildTypes:\n  - https://a\n  - type: https://provenant.dev/buildtypes/ci/v1\n    externalParameters: [source, trigger, workflow]\n  - type: https://b\n    externalParameters:\n      source:\n      workflow: { path: .github/workflows/release.yml }\nsubjects: { match: exactly, names: [app, app.sig] }\nrequiredAttestations: [https://slsa.dev/provenance/v1, https://cyclonedx.org/bom]\n`,
    );
    assert.deepEqual(policy, {
      buildTypes: [
        'https://a',
        { type: 'https://provenant.dev/buildtypes/ci/v1', externalParameters: ['source', 'trigger', 'workflow'] },
        { type: 'https://b', externalParameters: { source: null, workflow: { path: '.github/workflows/release.yml' } } },
      ],
      subjects: { match: 'exactly', names: ['app', 'app.sig'] },
      requiredAttestations: ['https://slsa.dev/provenance/v1', 'https://cyclonedx.org/bom'],
    });
  });

  const bad: [name: string, yaml: string, message: RegExp][] = [
    ['a rule without type', 'buildTypes:\n  - externalParameters: [a]\n', /^policy\.yaml:4:5: buildTypes\[0\]: expected a build type, or a mapping/],
    ['an unknown key in a rule', 'buildTypes:\n  - type: https://a\n    externalParams: [a]\n', /^policy\.yaml:5:5: unknown key "externalParams" in buildTypes\[0\] \(allowed: type, externalParameters\)$/],
    ['exactly without names', 'subjects: { match: exactly }\n', /match: exactly needs names/],
    ['names with any', 'subjects: { match: any, names: [a] }\n', /names applies only to match: exactly/],
    ['an unknown match', 'subjects: { match: all }\n', /expected any or exactly/],
    ['an empty required list', 'requiredAttestations: []\n', /requiredAttestations: expected at least one entry/],
  ];
  for (const [name, yaml, message] of bad) {
    it(`POLICY_INVALID: ${name}`, () => assert.match(policyError(`${HEAD}${yaml}`), message));
  }
});
