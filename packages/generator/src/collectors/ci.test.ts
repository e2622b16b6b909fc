import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fakeContext } from '../testing/fake-context.ts';
import { ciCollectors, detectCi } from './ci.ts';
import {
  AZURE_PIPELINES_ENV,
  BITBUCKET_ENV,
  BUILDKITE_ENV,
  CIRCLECI_ENV,
  CLOUD_BUILD_ENV,
  CODEBUILD_ENV,
  GITHUB_ENV,
  GITLAB_ENV,
  JENKINS_ENV,
} from './testing/ci-env.ts';

describe('detectCi', () => {
  const cases: Array<[string, Record<string, string>, string]> = [
    ['GitHub Actions', { ...GITHUB_ENV }, 'github-actions'],
    ['GitLab CI', { ...GITLAB_ENV }, 'gitlab-ci'],
    ['Buildkite', { ...BUILDKITE_ENV }, 'buildkite'],
    ['CircleCI', { ...CIRCLECI_ENV }, 'circleci'],
    ['Azure Pipelines', { ...AZURE_PIPELINES_ENV }, 'azure-pipelines'],
    ['Bitbucket Pipelines', { ...BITBUCKET_ENV }, 'bitbucket-pipelines'],
    ['AWS CodeBuild', { ...CODEBUILD_ENV }, 'aws-codebuild'],
    ['Jenkins', { ...JENKINS_ENV }, 'jenkins'],
    ['Google Cloud Build', { ...CLOUD_BUILD_ENV }, 'google-cloud-build'],
    ['no CI', {}, 'local'],
    ['unknown CI with only CI=true', { CI: 'true', DRONE: 'true' }, 'local'],
    ['Jenkins controller shell outside a build', { JENKINS_HOME: '/var/jenkins_home' }, 'local'],
    ['a numeric BUILD_ID with PROJECT_ID is not Cloud Build', { BUILD_ID: '42', PROJECT_ID: 'acme' }, 'local'],
    // Only a misconfigured job sets both; the answer must still be deterministic.
    ['both claimed: first in the list wins', { ...GITLAB_ENV, ...GITHUB_ENV }, 'github-actions'],
    // A Jenkins agent that happens to run a Buildkite agent's environment: the platform flag wins.
    ['platform flag beats Jenkins', { ...JENKINS_ENV, ...BUILDKITE_ENV }, 'buildkite'],
    // Cloud Build's evidence is user-mapped, so every other platform goes first.
    ['Jenkins beats mapped Cloud Build substitutions', { ...CLOUD_BUILD_ENV, ...JENKINS_ENV }, 'jenkins'],
  ];
  for (const [label, env, platform] of cases) {
    test(`${label} -> ${platform}`, async () => {
      assert.equal((await detectCi(fakeContext({ env }))).platform, platform);
    });
  }

  test('the platform facts are those of the detected collector', async () => {
    const facts = await detectCi(fakeContext({ env: { ...GITLAB_ENV } }));
    assert.equal(facts.invocationId, 'https://gitlab.com/gitlab-org/gitlab-runner/-/jobs/8812345678');
  });

  test('a detected platform with its identifiers missing fails instead of falling back to local', async () => {
    await assert.rejects(detectCi(fakeContext({ env: { CI: 'true', BUILDKITE: 'true' } })), /BUILDKITE_BUILD_URL/);
  });
});

describe('ciCollectors', () => {
  test('platform flags, Jenkins, Cloud Build, then the local fallback', () => {
    assert.deepEqual(
      ciCollectors.map((c) => c.name),
      [
        'github-actions',
        'gitlab-ci',
        'buildkite',
        'circleci',
        'azure-pipelines',
        'bitbucket-pipelines',
        'aws-codebuild',
        'jenkins',
        'google-cloud-build',
        'local',
      ],
    );
  });

  test('only the last one always detects', async () => {
    const ctx = fakeContext();
    const detected = await Promise.all(ciCollectors.map((c) => c.detect(ctx)));
    assert.deepEqual(detected, [...ciCollectors.slice(0, -1).map(() => false), true]);
  });

  test('each realistic environment is detected by exactly its own collector', async () => {
    const envs: Record<string, Readonly<Record<string, string>>> = {
      'github-actions': GITHUB_ENV,
      'gitlab-ci': GITLAB_ENV,
      buildkite: BUILDKITE_ENV,
      circleci: CIRCLECI_ENV,
      'azure-pipelines': AZURE_PIPELINES_ENV,
      'bitbucket-pipelines': BITBUCKET_ENV,
      'aws-codebuild': CODEBUILD_ENV,
      jenkins: JENKINS_ENV,
      'google-cloud-build': CLOUD_BUILD_ENV,
    };
    for (const [name, env] of Object.entries(envs)) {
      const ctx = fakeContext({ env: { ...env } });
      const detecting = [];
      for (const c of ciCollectors) if (c.name !== 'local' && (await c.detect(ctx))) detecting.push(c.name);
      assert.deepEqual(detecting, [name], name);
    }
  });
});
