import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isProvenantError } from '@provenant/core';
import { fakeContext } from '../testing/fake-context.ts';
import { circleciCollector } from './circleci.ts';
import { CIRCLECI_ENV, envWith, FAKE_GIT_PASSWORD, FAKE_SECRETS } from './testing/ci-env.ts';

const collect = (overrides: Record<string, string | undefined> = {}) => circleciCollector.collect(fakeContext({ env: envWith(CIRCLECI_ENV, overrides) }));

describe('circleciCollector.detect', () => {
  const cases: Array<[string, Record<string, string>, boolean]> = [
    ['CIRCLECI=true', { CIRCLECI: 'true' }, true],
    ['CI alone', { CI: 'true' }, false],
    ['Buildkite', { BUILDKITE: 'true', CI: 'true' }, false],
  ];
  for (const [label, env, expected] of cases) {
    test(`${label} -> ${expected}`, async () => assert.equal(await circleciCollector.detect(fakeContext({ env })), expected));
  }
});

describe('circleciCollector.collect', () => {
  test('branch push on CircleCI cloud', async () => {
    assert.deepEqual(await collect(), {
      platform: 'circleci',
      builderId: 'https://circleci.com',
      invocationId: 'https://circleci.com/gh/acme/widget/4512',
      repository: 'git@github.com:acme/widget.git',
      ref: 'refs/heads/main',
      commit: 'bd30f3432228f499bb6bc8418da43982c21dcaa3',
      platformIds: {
        build_num: '4512',
        job: 'build',
        organization_id: '6f1b3c7e-2d4a-4e8b-9c0d-1a2b3c4d5e6f',
        pipeline_id: '4e1ffd3b-c260-43db-a66c-8766eaf7fc88',
        project_id: '8a1c4b2d-3e5f-4a6b-8c7d-9e0f1a2b3c4d',
        workflow_id: '9a956048-86ba-436a-aac0-9cd461ae266a',
        workflow_job_id: '3f2f5fdd-8287-4036-8dac-af16268664dc',
      },
    });
  });

  test('never states a runner kind or trigger (CircleCI has no variable for either)', async () => {
    const facts = await collect();
    assert.equal('runnerKind' in facts, false);
    assert.equal('triggerEvent' in facts, false);
  });

  const refs: Array<[string, Record<string, string | undefined>, string | undefined]> = [
    ['tag build (no branch)', { CIRCLE_TAG: 'v1.2.0', CIRCLE_BRANCH: undefined }, 'refs/tags/v1.2.0'],
    ['branch with slash', { CIRCLE_BRANCH: 'release/1.x' }, 'refs/heads/release/1.x'],
    ['pull request from a fork', { CIRCLE_BRANCH: 'pull/618', CIRCLE_PR_NUMBER: '618', CIRCLE_PULL_REQUEST: 'https://github.com/acme/widget/pull/618' }, 'refs/pull/618/head'],
    ['pull request merge ref triggered through the API', { CIRCLE_BRANCH: 'pull/618/merge' }, 'refs/pull/618/merge'],
    ['pull request from the same repository: its branch', { CIRCLE_BRANCH: 'feature/x', CIRCLE_PULL_REQUEST: 'https://github.com/acme/widget/pull/619' }, 'refs/heads/feature/x'],
    ['a branch merely starting with pull', { CIRCLE_BRANCH: 'pull-requests-cleanup' }, 'refs/heads/pull-requests-cleanup'],
    ['neither', { CIRCLE_BRANCH: undefined }, undefined],
  ];
  for (const [label, overrides, expected] of refs) {
    test(`ref: ${label}`, async () => {
      const facts = await collect(overrides);
      assert.equal(facts.ref, expected);
      assert.equal('ref' in facts, expected !== undefined);
    });
  }

  test('parallel runs of one job get distinct invocation ids', async () => {
    const a = await collect({ CIRCLE_NODE_TOTAL: '4', CIRCLE_NODE_INDEX: '0' });
    const b = await collect({ CIRCLE_NODE_TOTAL: '4', CIRCLE_NODE_INDEX: '3' });
    assert.equal(a.invocationId, 'https://circleci.com/gh/acme/widget/4512#node-0');
    assert.equal(b.invocationId, 'https://circleci.com/gh/acme/widget/4512#node-3');
    assert.equal(b.platformIds.node_index, '3');
  });

  test('rerun: a new job number, so a new invocation id', async () => {
    const rerun = await collect({ CIRCLE_BUILD_NUM: '4519', CIRCLE_BUILD_URL: 'https://circleci.com/gh/acme/widget/4519' });
    assert.equal(rerun.invocationId, 'https://circleci.com/gh/acme/widget/4519');
  });

  test('CircleCI server: the builder is the installation', async () => {
    const facts = await collect({ CIRCLE_BUILD_URL: 'https://circleci.example.com/gh/acme/widget/77' });
    assert.equal(facts.builderId, 'https://circleci.example.com');
  });

  test('GitHub App / GitLab projects: no CIRCLE_REPOSITORY_URL, so no repository', async () => {
    const facts = await collect({ CIRCLE_REPOSITORY_URL: undefined });
    assert.equal('repository' in facts, false);
  });

  test('COLLECTOR_FAILED without CIRCLE_BUILD_URL, naming it', async () => {
    await assert.rejects(
      collect({ CIRCLE_BUILD_URL: undefined }),
      (error) => isProvenantError(error) && error.code === 'COLLECTOR_FAILED' && error.message.includes('CIRCLE_BUILD_URL'),
    );
  });

  test('no secret from the environment reaches the facts (OIDC tokens, token in the clone URL)', async () => {
    const facts = await collect({ CIRCLE_REPOSITORY_URL: `https://${FAKE_GIT_PASSWORD}@github.com/acme/widget.git` });
    const out = JSON.stringify(facts);
    for (const secret of FAKE_SECRETS) assert.ok(!out.includes(secret));
    assert.equal(facts.repository, 'https://github.com/acme/widget.git');
  });
});
