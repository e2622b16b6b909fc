import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CiFacts } from '../collectors/ci-facts.ts';
import type { EnvironmentFacts } from '../collectors/environment.ts';
import type { DependencyFacts } from '../dependencies/model.ts';
import { type BuildFacts, buildStatement } from '../provenance.ts';
import type { CiFactKey } from './ci-fact-keys.ts';
import type { FieldSource, ProvenantFieldSources } from './field-sources.ts';

const LOCAL: CiFacts = { platform: 'local', builderId: 'https://provenant.dev/builders/local/v1', invocationId: 'urn:uuid:1', platformIds: {} };
const ENVIRONMENT: EnvironmentFacts = { os: 'linux', arch: 'x64', kernel: '6.1', toolchains: {}, variables: { LANG: 'C.UTF-8' }, redactedVariables: ['NPM_TOKEN'] };
const LOCK: DependencyFacts = {
  lockfile: 'package-lock.json',
  manager: 'npm',
  ecosystem: 'npm',
  packages: [{ name: 'a', version: '1.0.0', purl: 'pkg:npm/a@1.0.0', scope: 'prod', direct: true, sourceKind: 'registry', digest: { sha512: 'ab' } }],
} as unknown as DependencyFacts;

function facts(overrides: Partial<BuildFacts> = {}, ciSources = new Map<CiFactKey, FieldSource[]>()): BuildFacts {
  return {
    ci: LOCAL,
    git: { commit: 'a'.repeat(40), treeState: 'clean', changedFiles: 0, ref: 'refs/heads/main', remoteUrl: 'https://example.com/acme/app' },
    environment: ENVIRONMENT,
    dependencies: [LOCK],
    startedOn: new Date('2026-01-01T00:00:00Z'),
    finishedOn: new Date('2026-01-01T00:01:00Z'),
    generatorVersion: '0.1.0',
    fieldSources: { ci: ciSources, claims: { status: 'unavailable', reason: 'unsupported-platform', message: 'local' }, startedOnGiven: false },
    ...overrides,
  };
}

function extension(f: BuildFacts): ProvenantFieldSources {
  const predicate = buildStatement([{ name: 'app', digest: { sha256: '0'.repeat(64) } }], f).predicate as { runDetails: { metadata: Record<string, unknown> } };
  return predicate.runDetails.metadata['provenant_fieldSources'] as ProvenantFieldSources;
}

function byField(ext: ProvenantFieldSources): Record<string, FieldSource[]> {
  return Object.fromEntries(ext.fields.map((e) => [e.field, e.sources]));
}

describe('describeFieldSources (through buildStatement)', () => {
  test('a local build: git, host, environment variables, files and provenant, sorted by field', () => {
    const ext = extension(facts({}, new Map([['builderId', [{ kind: 'provenant' }]], ['invocationId', [{ kind: 'provenant' }]]])));
    assert.deepEqual(ext.claims, { status: 'unavailable', reason: 'unsupported-platform', message: 'local' });
    assert.deepEqual(byField(ext), {
      'buildDefinition.externalParameters.source.commit': [{ kind: 'git' }],
      'buildDefinition.externalParameters.source.ref': [{ kind: 'git' }],
      'buildDefinition.externalParameters.source.repository': [{ kind: 'git' }],
      'buildDefinition.internalParameters.environment': [{ kind: 'host' }],
      'buildDefinition.internalParameters.environment.redactedVariables': [{ kind: 'environment', variable: 'NPM_TOKEN' }],
      'buildDefinition.internalParameters.environment.variables': [{ kind: 'environment', variable: 'LANG' }],
      'buildDefinition.internalParameters.lockfiles': [{ kind: 'file', path: 'package-lock.json' }],
      'buildDefinition.internalParameters.platform': [{ kind: 'provenant' }],
      'buildDefinition.internalParameters.tree': [{ kind: 'git' }],
      'buildDefinition.resolvedDependencies': [{ kind: 'file', path: 'package-lock.json' }],
      'buildDefinition.resolvedDependencies[0]': [{ kind: 'git' }],
      'runDetails.builder.id': [{ kind: 'provenant' }],
      'runDetails.builder.version.provenant': [{ kind: 'provenant' }],
      'runDetails.metadata.finishedOn': [{ kind: 'provenant' }],
      'runDetails.metadata.invocationId': [{ kind: 'provenant' }],
      'runDetails.metadata.startedOn': [{ kind: 'provenant' }],
    });
    const fields = ext.fields.map((e) => e.field);
    assert.deepEqual(fields, [...fields].sort());
  });

  test('CI facts carry their merge sources; the source descriptor unions those of repository, ref and commit', () => {
    const ci: CiFacts = { ...LOCAL, platform: 'github-actions', repository: 'https://github.com/o/r', ref: 'refs/heads/main', commit: 'a'.repeat(40), platformIds: { run_id: '1' } };
    const signed = (claim: string): FieldSource => ({ kind: 'signed-claim', claim });
    const sources = new Map<CiFactKey, FieldSource[]>([
      ['repository', [signed('iss'), signed('repository')]],
      ['ref', [signed('ref')]],
      ['commit', [signed('sha')]],
      ['platformIds.run_id', [{ kind: 'environment', variable: 'GITHUB_RUN_ID' }]],
    ]);
    const f = facts({ ci }, sources);
    f.fieldSources = { ...f.fieldSources!, detectedBy: 'GITHUB_ACTIONS', startedOnGiven: true };
    const fields = byField(extension(f));
    assert.deepEqual(fields['buildDefinition.externalParameters.source.commit'], [signed('sha')]);
    assert.deepEqual(fields['buildDefinition.resolvedDependencies[0]'], [signed('iss'), signed('repository'), signed('ref'), signed('sha'), { kind: 'git' }]);
    assert.deepEqual(fields['buildDefinition.internalParameters.platformIds.run_id'], [{ kind: 'environment', variable: 'GITHUB_RUN_ID' }]);
    assert.deepEqual(fields['buildDefinition.internalParameters.platform'], [{ kind: 'environment', variable: 'GITHUB_ACTIONS' }]);
    assert.deepEqual(fields['runDetails.metadata.startedOn'], [{ kind: 'caller' }]);
  });

  test('fields absent from the predicate have no entry', () => {
    const fields = byField(extension(facts({ git: undefined, environment: undefined, dependencies: [] })));
    for (const absent of ['buildDefinition.externalParameters.source.commit', 'buildDefinition.internalParameters.tree', 'buildDefinition.resolvedDependencies', 'buildDefinition.internalParameters.lockfiles']) {
      assert.equal(fields[absent], undefined, absent);
    }
  });

  test('without fieldSources, no extension field (buildStatement callers that do not know the origins)', () => {
    const f = facts();
    delete f.fieldSources;
    assert.equal(extension(f), undefined);
  });
});
