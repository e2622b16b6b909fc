import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ARTIFACT_DIGEST, COMMIT, githubStatement, provenantStatement, v02Statement } from '../testing/fixtures.ts';
import type { ProvenanceView } from './provenance-view.ts';
import { toProvenanceView } from './to-provenance-view.ts';

function viewOf(statement: unknown): ProvenanceView {
  const reading = toProvenanceView(statement);
  assert.equal(reading.kind, 'statement');
  assert.ok(reading.kind === 'statement' && reading.predicateFinding === undefined, JSON.stringify(reading));
  return reading.view;
}

describe('toProvenanceView', () => {
  it('provenant ci/v1: source from externalParameters.source', () => {
    const view = viewOf(provenantStatement());
    assert.equal(view.statementType, 'https://in-toto.io/Statement/v1');
    assert.equal(view.builderId, 'https://provenant.dev/builders/github-actions@v1');
    assert.deepEqual(view.source, { uri: 'https://github.com/acme/app', ref: 'refs/heads/main', commit: COMMIT });
    assert.equal(view.invocationId, 'https://github.com/acme/app/actions/runs/1/attempts/1');
    assert.equal(view.finishedOn, '2025-06-01T12:00:00Z');
    assert.deepEqual(view.subjects, [{ name: 'app.tgz', digest: ARTIFACT_DIGEST }]);
    assert.deepEqual(view.dependencies, [{ uri: 'git+https://github.com/acme/app@refs/heads/main', digest: { gitCommit: COMMIT } }]);
  });

  it('GitHub workflow/v1: source from externalParameters.workflow, commit from the first dependency', () => {
    const view = viewOf(githubStatement());
    assert.deepEqual(view.source, { uri: 'https://github.com/Owner/Repo', ref: 'refs/tags/v1.2.0', commit: COMMIT });
    assert.equal(view.locations.sourceUri, 'predicate.buildDefinition.externalParameters.workflow.repository');
    assert.equal(view.locations.ref, 'predicate.buildDefinition.externalParameters.workflow.ref');
    assert.equal(view.finishedOn, undefined);
  });

  it('slsa-github-generator workflow/v1: same shape as GitHub workflow/v1', () => {
    const statement = githubStatement() as { predicate: { buildDefinition: { buildType: string } } };
    statement.predicate.buildDefinition.buildType = 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1';
    assert.deepEqual(viewOf(statement).source, { uri: 'https://github.com/Owner/Repo', ref: 'refs/tags/v1.2.0', commit: COMMIT });
  });

  it('another build type: source from a git+ first dependency', () => {
    const statement = githubStatement() as { predicate: { buildDefinition: Record<string, unknown> } };
    statement.predicate.buildDefinition.buildType = 'https://example.com/buildtypes/make/v1';
    statement.predicate.buildDefinition.externalParameters = {};
    const view = viewOf(statement);
    assert.deepEqual(view.source, { uri: 'https://github.com/Owner/Repo', ref: 'refs/tags/v1.2.0', commit: COMMIT });
    assert.equal(view.locations.sourceUri, 'predicate.buildDefinition.resolvedDependencies[0].uri');
  });

  it('another build type whose first dependency is not git: no source', () => {
    const statement = githubStatement() as { predicate: { buildDefinition: Record<string, unknown> } };
    statement.predicate.buildDefinition.buildType = 'https://example.com/buildtypes/make/v1';
    statement.predicate.buildDefinition.resolvedDependencies = [{ uri: 'pkg:docker/node@22', digest: { sha256: 'a'.repeat(64) } }];
    assert.equal(viewOf(statement).source, undefined);
  });

  it('provenant ci/v1 without a usable source: no source (never a guess)', () => {
    const view = viewOf(provenantStatement((s) => ((s.predicate.buildDefinition as { externalParameters: Record<string, unknown> }).externalParameters.source = { repository: 42 })));
    assert.equal(view.source, undefined);
  });

  it('SLSA v0.2 in a v0.1 statement: builder, buildType, configSource, times, materials', () => {
    const view = viewOf(v02Statement());
    assert.equal(view.statementType, 'https://in-toto.io/Statement/v0.1');
    assert.equal(view.predicateType, 'https://slsa.dev/provenance/v0.2');
    assert.equal(view.buildType, 'https://github.com/slsa-framework/slsa-github-generator/generic@v1');
    assert.deepEqual(view.source, { uri: 'https://github.com/acme/app', ref: 'refs/heads/main', commit: COMMIT });
    assert.equal(view.startedOn, '2025-06-01T11:58:00Z');
    assert.equal(view.finishedOn, '2025-06-01T12:00:00Z');
    assert.equal(view.invocationId, '42-1');
    assert.equal(view.dependencies.length, 1);
  });

  it('another predicate type: statement fields only', () => {
    const view = viewOf({ _type: 'https://in-toto.io/Statement/v1', subject: [{ digest: ARTIFACT_DIGEST }], predicateType: 'https://example.com/x', predicate: { anything: 1 } });
    assert.deepEqual(view, { statementType: 'https://in-toto.io/Statement/v1', predicateType: 'https://example.com/x', subjects: [{ digest: ARTIFACT_DIGEST }], dependencies: [], locations: {} });
  });

  it('a v1 statement with a v0.2-shaped predicate under the v1 type is invalid', () => {
    const statement = { ...v02Statement(), _type: 'https://in-toto.io/Statement/v1', predicateType: 'https://slsa.dev/provenance/v1' };
    const reading = toProvenanceView(statement);
    assert.ok(reading.kind === 'statement' && reading.predicateFinding?.code === 'STATEMENT_INVALID');
    assert.equal(reading.view.builderId, undefined);
  });
});
