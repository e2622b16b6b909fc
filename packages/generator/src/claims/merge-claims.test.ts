import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isProvenantError } from '@provenant/core';
import type { CiFacts } from '../collectors/ci-facts.ts';
import { githubActionsCollector } from '../collectors/github-actions.ts';
import { bitbucketPipelinesCollector } from '../collectors/bitbucket-pipelines.ts';
import { buildkiteCollector } from '../collectors/buildkite.ts';
import { circleciCollector } from '../collectors/circleci.ts';
import { gitlabCiCollector } from '../collectors/gitlab-ci.ts';
import { BITBUCKET_ENV, BUILDKITE_ENV, CIRCLECI_ENV, GITHUB_ENV, GITLAB_ENV } from '../collectors/testing/ci-env.ts';
import { fakeContext } from '../testing/fake-context.ts';
import { flattenCi } from './ci-fact-keys.ts';
import { mergeClaims } from './merge-claims.ts';
import { profileFor } from './platform-profiles.ts';

const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

/** The claims GitHub puts in this job's token: the same run as GITHUB_ENV (GitHub's OIDC reference). */
const GITHUB_CLAIMS: Record<string, unknown> = {
  iss: GITHUB_ISSUER,
  aud: 'provenant',
  sub: 'repo:octo-org/octo-repo:ref:refs/tags/v1.2.0',
  repository: 'octo-org/octo-repo',
  repository_id: '123456789',
  repository_owner: 'octo-org',
  repository_owner_id: '9919',
  repository_visibility: 'public',
  ref: 'refs/tags/v1.2.0',
  ref_type: 'tag',
  sha: 'ffac537e6cbbf934b08745a378932722df287a53',
  workflow: 'Release',
  workflow_ref: 'octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1.2.0',
  job_workflow_ref: 'octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1.2.0',
  run_id: '1658821493',
  run_attempt: '2',
  run_number: '3',
  actor_id: '583231',
  event_name: 'push',
  runner_environment: 'github-hosted',
};

/** GitLab's claims for the GITLAB_ENV job (GitLab's "ID token authentication" reference); runner_id is a number there. */
const GITLAB_CLAIMS: Record<string, unknown> = {
  iss: 'https://gitlab.com',
  aud: 'sigstore',
  project_id: '278964',
  project_path: 'gitlab-org/gitlab-runner',
  pipeline_id: '1590845675',
  pipeline_source: 'push',
  job_id: '8812345678',
  ref: 'main',
  ref_type: 'branch',
  sha: '1ecfd275763eff1d6b4844ea3168962458c9f27a',
  runner_id: 12270831,
  runner_environment: 'gitlab-hosted',
};

async function github(env: Record<string, string> = { ...GITHUB_ENV }): Promise<CiFacts> {
  return githubActionsCollector.collect(fakeContext({ env }));
}

function contradiction(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(isProvenantError(err));
    assert.equal(err.code, 'CLAIM_CONTRADICTION');
    return err.message;
  }
  assert.fail('expected CLAIM_CONTRADICTION');
}

describe('mergeClaims: GitHub Actions', () => {
  const profile = profileFor('github-actions');

  test('claims that agree with the environment: same facts, every stated one marked signed-claim', async () => {
    const ci = await github();
    const merged = mergeClaims(ci, GITHUB_ENV, profile, { issuer: GITHUB_ISSUER, values: GITHUB_CLAIMS });
    assert.deepEqual(merged.ci, { ...ci, platformIds: { ...ci.platformIds, job_workflow_ref: GITHUB_CLAIMS['job_workflow_ref'] as string } });
    assert.deepEqual(merged.sources.get('commit'), [{ kind: 'signed-claim', claim: 'sha' }]);
    assert.deepEqual(merged.sources.get('repository'), [{ kind: 'signed-claim', claim: 'iss' }, { kind: 'signed-claim', claim: 'repository' }]);
    assert.deepEqual(merged.sources.get('builderId'), [{ kind: 'signed-claim', claim: 'runner_environment' }]);
    // GITHUB_JOB has no claim: it stays the environment's word, and says so.
    assert.deepEqual(merged.sources.get('platformIds.job'), [{ kind: 'environment', variable: 'GITHUB_JOB' }]);
  });

  test('a tampered GITHUB_SHA: CLAIM_CONTRADICTION naming the field, the variable and the claim, never a value', async () => {
    const env = { ...GITHUB_ENV, GITHUB_SHA: '0000000000000000000000000000000000000bad' };
    const ci = await github(env);
    const message = contradiction(() => mergeClaims(ci, env, profile, { issuer: GITHUB_ISSUER, values: GITHUB_CLAIMS }));
    assert.match(message, /buildDefinition\.externalParameters\.source\.commit \(environment GITHUB_SHA; signed claim sha\)/);
    assert.match(message, new RegExp(GITHUB_ISSUER.replaceAll('.', '\\.')));
    assert.ok(!message.includes('0000000000000000000000000000000000000bad'));
    assert.ok(!message.includes(GITHUB_CLAIMS['sha'] as string));
  });

  test('every contradiction is reported at once', async () => {
    const env = { ...GITHUB_ENV, GITHUB_REF: 'refs/heads/evil', GITHUB_RUN_ID: '1' };
    const ci = await github(env);
    const message = contradiction(() => mergeClaims(ci, env, profile, { issuer: GITHUB_ISSUER, values: GITHUB_CLAIMS }));
    assert.match(message, /^3 fields from the environment contradict/);
    assert.match(message, /source\.ref \(environment GITHUB_REF; signed claim ref\)/);
    assert.match(message, /platformIds\.run_id \(environment GITHUB_RUN_ID; signed claim run_id\)/);
    assert.match(message, /metadata\.invocationId \(environment GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT; signed claim iss, repository, run_id, run_attempt\)/);
  });

  test('without verified claims: the environment, naming each variable', async () => {
    const ci = await github();
    const merged = mergeClaims(ci, GITHUB_ENV, profile, undefined);
    assert.deepEqual(merged.ci, ci);
    assert.deepEqual(merged.sources.get('commit'), [{ kind: 'environment', variable: 'GITHUB_SHA' }]);
    assert.deepEqual(merged.sources.get('invocationId')?.map((s) => (s.kind === 'environment' ? s.variable : s.kind)), [
      'GITHUB_SERVER_URL',
      'GITHUB_REPOSITORY',
      'GITHUB_RUN_ID',
      'GITHUB_RUN_ATTEMPT',
    ]);
  });

  test('a fact the collector defaulted (no RUNNER_ENVIRONMENT) is provenant\'s, and a claim replaces it without contradiction', async () => {
    const env: Record<string, string> = { ...GITHUB_ENV };
    delete env['RUNNER_ENVIRONMENT'];
    const ci = await github(env);
    assert.equal(ci.builderId, 'https://github.com/actions/runner');
    assert.deepEqual(mergeClaims(ci, env, profile, undefined).sources.get('builderId'), [{ kind: 'provenant' }]);
    const merged = mergeClaims(ci, env, profile, { issuer: GITHUB_ISSUER, values: GITHUB_CLAIMS });
    assert.equal(merged.ci.builderId, 'https://github.com/actions/runner/github-hosted');
    assert.equal(merged.ci.runnerKind, 'hosted');
  });

  test('a variable the job unset is filled from the claim', async () => {
    const env: Record<string, string> = { ...GITHUB_ENV };
    delete env['GITHUB_SHA'];
    const merged = mergeClaims(await github(env), env, profile, { issuer: GITHUB_ISSUER, values: GITHUB_CLAIMS });
    assert.equal(merged.ci.commit, GITHUB_CLAIMS['sha']);
    assert.deepEqual(merged.sources.get('commit'), [{ kind: 'signed-claim', claim: 'sha' }]);
  });
});

describe('mergeClaims: GitLab CI', () => {
  const profile = profileFor('gitlab-ci');
  const gitlab = (env: Record<string, string>) => gitlabCiCollector.collect(fakeContext({ env }));

  test('agreeing claims, a numeric runner_id, and the runner kind only the token states', async () => {
    const ci = await gitlab({ ...GITLAB_ENV });
    assert.equal(ci.runnerKind, undefined);
    const merged = mergeClaims(ci, GITLAB_ENV, profile, { issuer: 'https://gitlab.com', values: GITLAB_CLAIMS });
    assert.equal(merged.ci.runnerKind, 'hosted');
    assert.equal(merged.ci.builderId, ci.builderId);
    assert.equal(merged.ci.invocationId, ci.invocationId);
    assert.deepEqual(merged.sources.get('ref'), [{ kind: 'signed-claim', claim: 'ref' }, { kind: 'signed-claim', claim: 'ref_type' }]);
    assert.deepEqual(merged.sources.get('platformIds.runner_id'), [{ kind: 'signed-claim', claim: 'runner_id' }]);
  });

  test('a merge request pipeline: the ref claim (source branch) is not compared with the merge request ref', async () => {
    const env: Record<string, string> = { ...GITLAB_ENV, CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_REF_PATH: 'refs/merge-requests/7/head' };
    delete env['CI_COMMIT_BRANCH'];
    const claims = { ...GITLAB_CLAIMS, pipeline_source: 'merge_request_event', ref: 'feature' };
    const merged = mergeClaims(await gitlab(env), env, profile, { issuer: 'https://gitlab.com', values: claims });
    assert.equal(merged.ci.ref, 'refs/merge-requests/7/head');
    assert.deepEqual(merged.sources.get('ref'), [{ kind: 'environment', variable: 'CI_MERGE_REQUEST_REF_PATH' }]);
  });

  test('a tampered CI_COMMIT_SHA: CLAIM_CONTRADICTION', async () => {
    const env = { ...GITLAB_ENV, CI_COMMIT_SHA: 'f'.repeat(40) };
    const ci = await gitlab(env);
    assert.match(contradiction(() => mergeClaims(ci, env, profile, { issuer: 'https://gitlab.com', values: GITLAB_CLAIMS })), /source\.commit \(environment CI_COMMIT_SHA; signed claim sha\)/);
  });
});

describe('mergeClaims: platforms without claims', () => {
  test('local: every fact is provenant\'s own', () => {
    const ci: CiFacts = { platform: 'local', builderId: 'https://provenant.dev/builders/local/v1', invocationId: 'urn:uuid:x', platformIds: {} };
    const merged = mergeClaims(ci, {}, profileFor('local'), undefined);
    assert.deepEqual(merged.ci, ci);
    assert.deepEqual([...merged.sources.values()], [[{ kind: 'provenant' }], [{ kind: 'provenant' }]]);
  });

  test('a platform provenant has no profile for: environment, without naming variables it does not know', () => {
    const ci = { platform: 'jenkins', builderId: 'b', invocationId: 'i', commit: 'c'.repeat(40), platformIds: { build_number: '1' } } as unknown as CiFacts;
    const merged = mergeClaims(ci, {}, profileFor('jenkins'), { issuer: 'https://jenkins.example.com', values: { sha: 'd'.repeat(40) } });
    assert.equal(merged.ci.commit, 'c'.repeat(40), 'claims are never merged without a profile that maps them');
    assert.deepEqual(merged.sources.get('commit'), [{ kind: 'environment' }]);
  });
});

describe('the profiles know every variable their collector reads', () => {
  for (const [platform, env, collect] of [
    ['github-actions', GITHUB_ENV, github],
    ['gitlab-ci', GITLAB_ENV, (e: Record<string, string>) => gitlabCiCollector.collect(fakeContext({ env: e }))],
    ['buildkite', BUILDKITE_ENV, (e: Record<string, string>) => buildkiteCollector.collect(fakeContext({ env: e }))],
    ['circleci', CIRCLECI_ENV, (e: Record<string, string>) => circleciCollector.collect(fakeContext({ env: e }))],
    ['bitbucket-pipelines', BITBUCKET_ENV, (e: Record<string, string>) => bitbucketPipelinesCollector.collect(fakeContext({ env: e }))],
  ] as const) {
    test(platform, async () => {
      const facts = flattenCi(await collect({ ...env }));
      const sources = profileFor(platform)!.environmentSources(env);
      // Bitbucket's builder id is a constant (the product page), provenant's own, from no variable.
      const constants: string[] = platform === 'bitbucket-pipelines' ? ['builderId'] : [];
      assert.deepEqual([...facts.keys()].filter((k) => !sources.has(k) && !constants.includes(k)), []);
    });
  }
});

