import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isProvenantError } from '@provenant/core';
import { fakeContext } from '../testing/fake-context.ts';
import { gitlabCiCollector } from './gitlab-ci.ts';
import { FAKE_SECRETS, GITLAB_ENV } from './testing/ci-env.ts';

function withEnv(overrides: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = { ...GITLAB_ENV };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

describe('gitlabCiCollector.detect', () => {
  const cases: Array<[string, Record<string, string>, boolean]> = [
    ['GITLAB_CI=true', { GITLAB_CI: 'true' }, true],
    ['CI alone', { CI: 'true' }, false],
    ['GitHub', { GITHUB_ACTIONS: 'true' }, false],
  ];
  for (const [label, env, expected] of cases) {
    test(`${label} -> ${expected}`, async () => assert.equal(await gitlabCiCollector.detect(fakeContext({ env })), expected));
  }
});

describe('gitlabCiCollector.collect', () => {
  test('branch pipeline on GitLab.com', async () => {
    assert.deepEqual(await gitlabCiCollector.collect(fakeContext({ env: { ...GITLAB_ENV } })), {
      platform: 'gitlab-ci',
      builderId: 'https://gitlab.com/gitlab-org/gitlab-runner/-/runners/12270831',
      invocationId: 'https://gitlab.com/gitlab-org/gitlab-runner/-/jobs/8812345678',
      triggerEvent: 'push',
      repository: 'https://gitlab.com/gitlab-org/gitlab-runner',
      ref: 'refs/heads/main',
      commit: '1ecfd275763eff1d6b4844ea3168962458c9f27a',
      workflow: { path: '.gitlab-ci.yml' },
      platformIds: {
        job_id: '8812345678',
        pipeline_id: '1590845675',
        project_id: '278964',
        project_path: 'gitlab-org/gitlab-runner',
        runner_id: '12270831',
      },
    });
  });

  test('never states a runner kind (GitLab has no variable for it)', async () => {
    const facts = await gitlabCiCollector.collect(fakeContext({ env: { ...GITLAB_ENV } }));
    assert.equal('runnerKind' in facts, false);
  });

  const refs: Array<[string, Record<string, string | undefined>, string | undefined]> = [
    ['tag pipeline', { CI_COMMIT_TAG: 'v1.2.0', CI_COMMIT_BRANCH: undefined, CI_COMMIT_REF_NAME: 'v1.2.0' }, 'refs/tags/v1.2.0'],
    ['tag wins over branch', { CI_COMMIT_TAG: 'v1.2.0', CI_COMMIT_BRANCH: 'main' }, 'refs/tags/v1.2.0'],
    ['branch with slash', { CI_COMMIT_BRANCH: 'feature/sbom' }, 'refs/heads/feature/sbom'],
    [
      'merge request pipeline',
      { CI_COMMIT_BRANCH: undefined, CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_REF_PATH: 'refs/merge-requests/1/head' },
      'refs/merge-requests/1/head',
    ],
    ['empty tag is ignored', { CI_COMMIT_TAG: '' }, 'refs/heads/main'],
    ['nothing to go on', { CI_COMMIT_BRANCH: undefined }, undefined],
  ];
  for (const [label, overrides, expected] of refs) {
    test(`ref: ${label}`, async () => {
      const facts = await gitlabCiCollector.collect(fakeContext({ env: withEnv(overrides) }));
      assert.equal(facts.ref, expected);
      assert.equal('ref' in facts, expected !== undefined);
    });
  }

  test('self-managed instance with a port and trailing slash', async () => {
    const env = withEnv({
      CI_SERVER_URL: 'https://gitlab.example.com:8443/',
      CI_PROJECT_PATH: 'group/sub/project',
      CI_PROJECT_URL: 'https://gitlab.example.com:8443/group/sub/project',
      CI_JOB_URL: 'https://gitlab.example.com:8443/group/sub/project/-/jobs/77',
      CI_RUNNER_ID: '5',
    });
    const facts = await gitlabCiCollector.collect(fakeContext({ env }));
    assert.equal(facts.builderId, 'https://gitlab.example.com:8443/group/sub/project/-/runners/5');
    assert.equal(facts.invocationId, 'https://gitlab.example.com:8443/group/sub/project/-/jobs/77');
  });

  test('custom CI config path', async () => {
    const facts = await gitlabCiCollector.collect(fakeContext({ env: withEnv({ CI_CONFIG_PATH: 'ci/pipeline.yml' }) }));
    assert.deepEqual(facts.workflow, { path: 'ci/pipeline.yml' });
  });

  for (const name of ['CI_SERVER_URL', 'CI_PROJECT_PATH', 'CI_RUNNER_ID', 'CI_JOB_URL']) {
    test(`COLLECTOR_FAILED without ${name}, naming it`, async () => {
      await assert.rejects(
        gitlabCiCollector.collect(fakeContext({ env: withEnv({ [name]: undefined }) })),
        (error) => isProvenantError(error) && error.code === 'COLLECTOR_FAILED' && error.message.includes(name),
      );
    });
  }

  test('no secret from the environment reaches the facts (the clone URL with the job token included)', async () => {
    const out = JSON.stringify(await gitlabCiCollector.collect(fakeContext({ env: { ...GITLAB_ENV } })));
    for (const secret of FAKE_SECRETS) assert.ok(!out.includes(secret));
    assert.ok(!out.includes('gitlab-ci-token'));
  });
});
