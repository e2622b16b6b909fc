import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Policy } from '../policy.ts';
import type { ProvenanceView } from '../view/provenance-view.ts';
import { verifyBranch, verifyTag, verifyVersionedTag } from './git-ref.ts';
import { verifySlsaVerifierPolicyUsable } from './slsa-verifier-policy.ts';
import { verifyWorkflowInputs } from './workflow-inputs.ts';

const view = (ref: string | undefined, workflowInputs?: Record<string, unknown>): ProvenanceView => ({
  statementType: '',
  predicateType: '',
  subjects: [],
  dependencies: [],
  locations: { ref: 'predicate.ref', ...(workflowInputs ? { workflowInputs: 'predicate.inputs' } : {}) },
  ...(ref === undefined ? {} : { source: { uri: 'https://github.com/acme/app', ref } }),
  ...(workflowInputs ? { workflowInputs } : {}),
});

describe('--source-branch, --source-tag, --source-versioned-tag', () => {
  it('compare against the one ref the build ran from', () => {
    assert.equal(verifyBranch(view('refs/heads/main'), 'main'), undefined);
    assert.equal(verifyBranch(view('refs/tags/main'), 'main')?.code, 'REF_MISMATCH');
    assert.equal(verifyTag(view('refs/tags/v1.2.3'), 'v1.2.3'), undefined);
    assert.equal(verifyTag(view('refs/heads/v1.2.3'), 'v1.2.3')?.code, 'REF_MISMATCH');
    assert.equal(verifyVersionedTag(view('refs/tags/v1.2.3'), 'v1'), undefined);
    assert.equal(verifyVersionedTag(view('refs/heads/v1.2.3'), 'v1')?.code, 'REF_MISMATCH');
  });
  it('fail when the provenance records no ref', () => {
    for (const f of [verifyBranch(view(undefined), 'main'), verifyTag(view(undefined), 'v1'), verifyVersionedTag(view(undefined), 'v1')]) {
      assert.equal(f?.code, 'REF_MISMATCH');
      assert.equal(f?.actual, undefined);
    }
  });
});

describe('--build-workflow-input', () => {
  it('each input present and equal; JSON numbers and booleans by their text', () => {
    assert.deepEqual(verifyWorkflowInputs(view('r', { a: 'x', b: true, c: 3 }), { a: 'x', b: 'true', c: '3' }), []);
    const findings = verifyWorkflowInputs(view('r', { a: 'x', o: { n: 1 } }), { a: 'y', missing: '1', o: '[object Object]' });
    assert.deepEqual(
      findings.map((f) => [f.code, f.path, f.actual]),
      [
        ['WORKFLOW_INPUT_MISMATCH', 'predicate.inputs.a', 'x'],
        ['WORKFLOW_INPUT_MISMATCH', 'predicate.inputs.missing', undefined],
        ['WORKFLOW_INPUT_MISMATCH', 'predicate.inputs.o', undefined],
      ],
    );
  });
  it('an inherited name is not an input', () => {
    assert.equal(verifyWorkflowInputs(view('r', {}), { toString: 'x', constructor: 'y' }).length, 2);
  });
  it('no recorded inputs fail every expected one', () => {
    assert.deepEqual(verifyWorkflowInputs(view('r'), { a: '1' }).map((f) => [f.code, f.path]), [['WORKFLOW_INPUT_MISMATCH', 'predicate']]);
  });
});

describe('verifySlsaVerifierPolicyUsable: a policy built in code fails rather than admitting more', () => {
  const cases: [name: string, policy: Policy, paths: string[]][] = [
    ['a usable GitHub builder policy', { source: { uris: ['https://github.com/acme/app'], versionedTag: 'v1' }, githubBuilder: {}, workflowInputs: { a: '1' } }, []],
    ['githubBuilder without source.uris would trust every repository', { githubBuilder: {} }, ['policy.source.uris']],
    ['githubBuilder with a repository not on github.com', { source: { uris: ['https://gitlab.com/acme/app'] }, githubBuilder: {} }, ['policy.source.uris']],
    ['githubBuilder with an owner but no repository', { source: { uris: ['https://github.com/acme'] }, githubBuilder: {} }, ['policy.source.uris']],
    ['a builder id with two @', { source: { uris: ['https://github.com/acme/app'] }, githubBuilder: { ids: ['a@b@c'] } }, ['policy.githubBuilder.ids']],
    ['a versioned tag that is not a version', { source: { versionedTag: 'v1.2-rc' } }, ['policy.source.versionedTag']],
    ['a branch with a tag', { source: { branch: 'main', tag: 'v1' } }, ['policy.source.branch']],
    ['an empty branch', { source: { branch: '' } }, ['policy.source.branch']],
    ['a workflow input that is not text', { workflowInputs: { a: 1 } as unknown as Record<string, string> }, ['policy.workflowInputs']],
  ];
  for (const [name, policy, paths] of cases) {
    it(`${name}: ${paths.length === 0 ? 'usable' : paths.join(', ')}`, () => assert.deepEqual(verifySlsaVerifierPolicyUsable(policy).map((f) => f.path), paths));
  }
});
