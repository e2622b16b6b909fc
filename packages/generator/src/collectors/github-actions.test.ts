import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isProvenantError } from '@provenant/core';
import { fakeContext } from '../testing/fake-context.ts';
import { githubActionsCollector, parseWorkflowRef } from './github-actions.ts';
import { FAKE_SECRETS, GITHUB_ENV } from './testing/ci-env.ts';

function withEnv(overrides: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = { ...GITHUB_ENV };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

describe('githubActionsCollector.detect', () => {
  const cases: Array<[string, Record<string, string>, boolean]> = [
    ['GITHUB_ACTIONS=true', { GITHUB_ACTIONS: 'true' }, true],
    ['not set', {}, false],
    ['other value', { GITHUB_ACTIONS: 'false' }, false],
    ['GitLab', { GITLAB_CI: 'true', CI: 'true' }, false],
  ];
  for (const [label, env, expected] of cases) {
    test(`${label} -> ${expected}`, async () => assert.equal(await githubActionsCollector.detect(fakeContext({ env })), expected));
  }
});

describe('githubActionsCollector.collect', () => {
  test('tag push on a GitHub-hosted runner', async () => {
    assert.deepEqual(await githubActionsCollector.collect(fakeContext({ env: { ...GITHUB_ENV } })), {
      platform: 'github-actions',
      builderId: 'https://github.com/actions/runner/github-hosted',
      invocationId: 'https://github.com/octo-org/octo-repo/actions/runs/1658821493/attempts/2',
      triggerEvent: 'push',
      runnerKind: 'hosted',
      repository: 'https://github.com/octo-org/octo-repo',
      ref: 'refs/tags/v1.2.0',
      commit: 'ffac537e6cbbf934b08745a378932722df287a53',
      workflow: { path: '.github/workflows/release.yml', ref: 'refs/tags/v1.2.0' },
      platformIds: {
        actor_id: '583231',
        job: 'build',
        repository_id: '123456789',
        repository_owner_id: '9919',
        run_attempt: '2',
        run_id: '1658821493',
        run_number: '3',
        workflow: 'Release',
      },
    });
  });

  const runners: Array<[string | undefined, string, string | undefined]> = [
    ['github-hosted', 'https://github.com/actions/runner/github-hosted', 'hosted'],
    ['self-hosted', 'https://github.com/actions/runner/self-hosted', 'self-hosted'],
    [undefined, 'https://github.com/actions/runner', undefined],
    ['something-new', 'https://github.com/actions/runner', undefined],
  ];
  for (const [environment, builderId, runnerKind] of runners) {
    test(`RUNNER_ENVIRONMENT=${environment ?? '(unset)'}`, async () => {
      const facts = await githubActionsCollector.collect(fakeContext({ env: withEnv({ RUNNER_ENVIRONMENT: environment }) }));
      assert.equal(facts.builderId, builderId);
      assert.equal(facts.runnerKind, runnerKind);
      assert.equal('runnerKind' in facts, runnerKind !== undefined);
    });
  }

  test('GitHub Enterprise Server: run URLs on the server, builder id still names the runner software', async () => {
    const env = withEnv({ GITHUB_SERVER_URL: 'https://ghes.example.com/', RUNNER_ENVIRONMENT: 'self-hosted' });
    const facts = await githubActionsCollector.collect(fakeContext({ env }));
    assert.equal(facts.invocationId, 'https://ghes.example.com/octo-org/octo-repo/actions/runs/1658821493/attempts/2');
    assert.equal(facts.repository, 'https://ghes.example.com/octo-org/octo-repo');
    assert.equal(facts.builderId, 'https://github.com/actions/runner/self-hosted');
  });

  test('pull request: the merge ref and event', async () => {
    const env = withEnv({
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_REF: 'refs/pull/42/merge',
      GITHUB_WORKFLOW_REF: 'octo-org/octo-repo/.github/workflows/ci.yml@refs/pull/42/merge',
    });
    const facts = await githubActionsCollector.collect(fakeContext({ env }));
    assert.equal(facts.triggerEvent, 'pull_request');
    assert.equal(facts.ref, 'refs/pull/42/merge');
    assert.deepEqual(facts.workflow, { path: '.github/workflows/ci.yml', ref: 'refs/pull/42/merge' });
  });

  test('optional variables missing: keys left out, not undefined', async () => {
    const env = withEnv({ GITHUB_EVENT_NAME: undefined, GITHUB_REF: '', GITHUB_SHA: undefined, GITHUB_WORKFLOW_REF: undefined, GITHUB_JOB: undefined });
    const facts = await githubActionsCollector.collect(fakeContext({ env }));
    for (const key of ['triggerEvent', 'ref', 'commit', 'workflow']) assert.equal(key in facts, false, key);
    assert.equal('job' in facts.platformIds, false);
  });

  for (const name of ['GITHUB_SERVER_URL', 'GITHUB_REPOSITORY', 'GITHUB_RUN_ID', 'GITHUB_RUN_ATTEMPT']) {
    test(`COLLECTOR_FAILED without ${name}, naming it`, async () => {
      await assert.rejects(
        githubActionsCollector.collect(fakeContext({ env: withEnv({ [name]: undefined }) })),
        (error) => isProvenantError(error) && error.code === 'COLLECTOR_FAILED' && error.message.includes(name),
      );
    });
  }

  test('no secret from the environment reaches the facts', async () => {
    const out = JSON.stringify(await githubActionsCollector.collect(fakeContext({ env: { ...GITHUB_ENV } })));
    for (const secret of FAKE_SECRETS) assert.ok(!out.includes(secret));
  });
});

describe('parseWorkflowRef', () => {
  const cases: Array<[string, string | undefined, { path: string; ref?: string }]> = [
    ['octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main', 'octo-org/octo-repo', { path: '.github/workflows/release.yml', ref: 'refs/heads/main' }],
    ['octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1.2.0', undefined, { path: '.github/workflows/release.yml', ref: 'refs/tags/v1.2.0' }],
    ['octo-org/octo-repo/.github/workflows/ci.yml@refs/heads/release@2', 'octo-org/octo-repo', { path: '.github/workflows/ci.yml', ref: 'refs/heads/release@2' }],
    ['octo-org/octo-repo/.github/workflows/ci.yml', 'octo-org/octo-repo', { path: '.github/workflows/ci.yml' }],
    ['octo-org/octo-repo/.github/workflows/ci.yml@', 'octo-org/octo-repo', { path: '.github/workflows/ci.yml' }],
    ['octo-org/octo-repo/dynamic/github-code-scanning/codeql@refs/heads/main', 'octo-org/octo-repo', { path: 'dynamic/github-code-scanning/codeql', ref: 'refs/heads/main' }],
  ];
  for (const [input, repository, expected] of cases) {
    test(input, () => assert.deepEqual(parseWorkflowRef(input, repository), expected));
  }
});
