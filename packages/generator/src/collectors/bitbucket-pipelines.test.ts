import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isProvenantError } from '@provenant/core';
import { fakeContext } from '../testing/fake-context.ts';
import { bitbucketPipelinesCollector } from './bitbucket-pipelines.ts';
import { BITBUCKET_ENV, envWith, FAKE_SECRETS } from './testing/ci-env.ts';

const collect = (overrides: Record<string, string | undefined> = {}) =>
  bitbucketPipelinesCollector.collect(fakeContext({ env: envWith(BITBUCKET_ENV, overrides) }));

const STEP = 'https://bitbucket.org/acme/widget/pipelines/results/318/steps/%7Ba1b2c3d4-e5f6-4789-8abc-def012345678%7D';

describe('bitbucketPipelinesCollector.detect', () => {
  const cases: Array<[string, Record<string, string>, boolean]> = [
    ['BITBUCKET_BUILD_NUMBER', { BITBUCKET_BUILD_NUMBER: '318' }, true],
    ['empty BITBUCKET_BUILD_NUMBER', { BITBUCKET_BUILD_NUMBER: '' }, false],
    ['CI alone', { CI: 'true' }, false],
  ];
  for (const [label, env, expected] of cases) {
    test(`${label} -> ${expected}`, async () => assert.equal(await bitbucketPipelinesCollector.detect(fakeContext({ env })), expected));
  }
});

describe('bitbucketPipelinesCollector.collect', () => {
  test('branch pipeline on Bitbucket Cloud', async () => {
    assert.deepEqual(await collect(), {
      platform: 'bitbucket-pipelines',
      builderId: 'https://bitbucket.org/product/features/pipelines',
      invocationId: `${STEP}#run-1`,
      repository: 'https://bitbucket.org/acme/widget',
      ref: 'refs/heads/main',
      commit: '7e1b2c3d4e5f60718293a4b5c6d7e8f901234567',
      platformIds: {
        build_number: '318',
        pipeline_uuid: '{0b5c9f3e-8a7d-4e6f-b1c2-d3e4f5a6b7c8}',
        project_uuid: '{3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f}',
        repo_uuid: '{6d9f8a2e-3b1c-4d5e-9f0a-1b2c3d4e5f60}',
        step_run_number: '1',
        step_uuid: '{a1b2c3d4-e5f6-4789-8abc-def012345678}',
      },
    });
  });

  test('never states a runner kind or trigger (no default variable for either)', async () => {
    const facts = await collect();
    assert.equal('runnerKind' in facts, false);
    assert.equal('triggerEvent' in facts, false);
  });

  const refs: Array<[string, Record<string, string | undefined>, string | undefined]> = [
    ['tag pipeline (no branch)', { BITBUCKET_BRANCH: undefined, BITBUCKET_TAG: 'v1.4.0' }, 'refs/tags/v1.4.0'],
    ['pull request pipeline: the source branch', { BITBUCKET_BRANCH: 'feature/x', BITBUCKET_PR_ID: '42', BITBUCKET_PR_DESTINATION_BRANCH: 'main' }, 'refs/heads/feature/x'],
    ['custom pipeline run on a commit', { BITBUCKET_BRANCH: undefined }, undefined],
  ];
  for (const [label, overrides, expected] of refs) {
    test(`ref: ${label}`, async () => {
      const facts = await collect(overrides);
      assert.equal(facts.ref, expected);
      assert.equal('ref' in facts, expected !== undefined);
    });
  }

  test('pull request id recorded', async () => {
    assert.equal((await collect({ BITBUCKET_PR_ID: '42' })).platformIds.pr_id, '42');
  });

  test('rerun of a failed step: the run number tells the attempts apart', async () => {
    const facts = await collect({ BITBUCKET_STEP_RUN_NUMBER: '2' });
    assert.equal(facts.invocationId, `${STEP}#run-2`);
  });

  test('without a run number the step URL alone', async () => {
    assert.equal((await collect({ BITBUCKET_STEP_RUN_NUMBER: undefined })).invocationId, STEP);
  });

  for (const name of ['BITBUCKET_REPO_FULL_NAME', 'BITBUCKET_STEP_UUID']) {
    test(`COLLECTOR_FAILED without ${name}, naming it`, async () => {
      await assert.rejects(collect({ [name]: undefined }), (error) => isProvenantError(error) && error.code === 'COLLECTOR_FAILED' && error.message.includes(name));
    });
  }

  test('COLLECTOR_FAILED for a full name that is not <workspace>/<repository>, without quoting it', async () => {
    await assert.rejects(
      collect({ BITBUCKET_REPO_FULL_NAME: 'evil.example/x?y=1' }),
      (error) => isProvenantError(error) && error.code === 'COLLECTOR_FAILED' && error.message.includes('BITBUCKET_REPO_FULL_NAME') && !error.message.includes('evil'),
    );
  });

  test('no secret from the environment reaches the facts (step OIDC token, secured variables)', async () => {
    const out = JSON.stringify(await collect());
    for (const secret of FAKE_SECRETS) assert.ok(!out.includes(secret));
  });
});
