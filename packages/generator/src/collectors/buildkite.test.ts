import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isProvenantError } from '@provenant/core';
import { fakeContext } from '../testing/fake-context.ts';
import { buildkiteCollector } from './buildkite.ts';
import { BUILDKITE_ENV, envWith, FAKE_GIT_PASSWORD, FAKE_SECRETS } from './testing/ci-env.ts';

const collect = (overrides: Record<string, string | undefined> = {}) => buildkiteCollector.collect(fakeContext({ env: envWith(BUILDKITE_ENV, overrides) }));

describe('buildkiteCollector.detect', () => {
  const cases: Array<[string, Record<string, string>, boolean]> = [
    ['BUILDKITE=true', { BUILDKITE: 'true' }, true],
    ['CI alone', { CI: 'true' }, false],
    ['other value', { BUILDKITE: 'false' }, false],
    ['GitHub Actions', { GITHUB_ACTIONS: 'true' }, false],
  ];
  for (const [label, env, expected] of cases) {
    test(`${label} -> ${expected}`, async () => assert.equal(await buildkiteCollector.detect(fakeContext({ env })), expected));
  }
});

describe('buildkiteCollector.collect', () => {
  test('tag push on a Buildkite hosted agent', async () => {
    assert.deepEqual(await collect(), {
      platform: 'buildkite',
      builderId: 'https://github.com/buildkite/agent/buildkite-hosted',
      invocationId: 'https://buildkite.com/acme-corp/awesome-logger/builds/49387#01919c03-1f99-4e5e-a0f8-75f7571c8fbc',
      triggerEvent: 'webhook',
      runnerKind: 'hosted',
      repository: 'git@github.com:acme-corp/awesome-logger.git',
      ref: 'refs/tags/v1.6.0',
      commit: '2b4ba8fe79386d40ce27dc5f6cc4161a0f598cc2',
      platformIds: {
        agent_id: '0192533e-2074-48fc-aac5-d96b3b85eddd',
        build_id: '01919c03-1f85-4b3f-9594-2986d23b14c4',
        build_number: '49387',
        cluster_id: '4735ba57-80d0-46e2-8fa0-b28223a86586',
        job_id: '01919c03-1f99-4e5e-a0f8-75f7571c8fbc',
        organization_id: '019033f0-0b83-41d7-a327-def5f678906c',
        organization_slug: 'acme-corp',
        pipeline_id: '01919c01-132f-46f1-803f-2efc0c444af7',
        pipeline_slug: 'awesome-logger',
        queue: 'linux-small',
        retry_count: '0',
        step_id: '01919c03-1f78-4951-bf28-6b0e293ab2bd',
        step_key: 'build-gem',
      },
    });
  });

  const runners: Array<[string | undefined, string, string | undefined]> = [
    ['hosted', 'https://github.com/buildkite/agent/buildkite-hosted', 'hosted'],
    ['self-hosted', 'https://github.com/buildkite/agent/self-hosted', 'self-hosted'],
    [undefined, 'https://github.com/buildkite/agent', undefined],
    ['something-new', 'https://github.com/buildkite/agent', undefined],
  ];
  for (const [computeType, builderId, runnerKind] of runners) {
    test(`BUILDKITE_COMPUTE_TYPE=${computeType ?? '(unset)'}`, async () => {
      const facts = await collect({ BUILDKITE_COMPUTE_TYPE: computeType });
      assert.equal(facts.builderId, builderId);
      assert.equal(facts.runnerKind, runnerKind);
      assert.equal('runnerKind' in facts, runnerKind !== undefined);
    });
  }

  const notTag = { BUILDKITE_TAG: '' };
  const refs: Array<[string, Record<string, string | undefined>, string | undefined]> = [
    ['tag (branch holds the tag name too)', {}, 'refs/tags/v1.6.0'],
    ['branch build', { ...notTag, BUILDKITE_BRANCH: 'feature/sbom' }, 'refs/heads/feature/sbom'],
    ['GitHub pull request: the head the agent fetches', { ...notTag, BUILDKITE_BRANCH: 'feature/sbom', BUILDKITE_PULL_REQUEST: '123' }, 'refs/pull/123/head'],
    [
      'GitHub pull request with the merge refspec',
      { ...notTag, BUILDKITE_PULL_REQUEST: '123', BUILDKITE_PULL_REQUEST_USING_MERGE_REFSPEC: 'true' },
      'refs/pull/123/merge',
    ],
    ['GitHub Enterprise pull request', { ...notTag, BUILDKITE_PULL_REQUEST: '7', BUILDKITE_PIPELINE_PROVIDER: 'github_enterprise' }, 'refs/pull/7/head'],
    ['Bitbucket pull request: a fork branch is not a ref of BUILDKITE_REPO', { ...notTag, BUILDKITE_PULL_REQUEST: '7', BUILDKITE_PIPELINE_PROVIDER: 'bitbucket' }, undefined],
    ['no branch at all', { ...notTag, BUILDKITE_BRANCH: undefined }, undefined],
  ];
  for (const [label, overrides, expected] of refs) {
    test(`ref: ${label}`, async () => {
      const facts = await collect(overrides);
      assert.equal(facts.ref, expected);
      assert.equal('ref' in facts, expected !== undefined);
    });
  }

  test('pull request number recorded; `false` is not a pull request', async () => {
    assert.equal((await collect({ BUILDKITE_PULL_REQUEST: '123' })).platformIds.pull_request, '123');
    assert.equal('pull_request' in (await collect()).platformIds, false);
  });

  test('retried job: a new job id, so a new invocation id; the retry count is recorded', async () => {
    const first = await collect();
    const retry = await collect({ BUILDKITE_JOB_ID: '01919c05-aaaa-4bbb-8ccc-0123456789ab', BUILDKITE_RETRY_COUNT: '1' });
    assert.notEqual(retry.invocationId, first.invocationId);
    assert.equal(retry.invocationId, 'https://buildkite.com/acme-corp/awesome-logger/builds/49387#01919c05-aaaa-4bbb-8ccc-0123456789ab');
    assert.equal(retry.platformIds.retry_count, '1');
  });

  test('symbolic BUILDKITE_COMMIT (HEAD) is not recorded as a commit', async () => {
    const facts = await collect({ BUILDKITE_COMMIT: 'HEAD' });
    assert.equal('commit' in facts, false);
  });

  test('source from the API: trigger and no rebuild ids when empty', async () => {
    const facts = await collect({ BUILDKITE_SOURCE: 'api' });
    assert.equal(facts.triggerEvent, 'api');
    assert.equal('rebuilt_from_build_id' in facts.platformIds, false);
  });

  for (const name of ['BUILDKITE_BUILD_URL', 'BUILDKITE_JOB_ID']) {
    test(`COLLECTOR_FAILED without ${name}, naming it`, async () => {
      await assert.rejects(collect({ [name]: undefined }), (error) => isProvenantError(error) && error.code === 'COLLECTOR_FAILED' && error.message.includes(name));
    });
  }

  test('COLLECTOR_FAILED for a build URL that is not http(s), without quoting it', async () => {
    await assert.rejects(
      collect({ BUILDKITE_BUILD_URL: 'file:///etc/passwd' }),
      (error) => isProvenantError(error) && error.code === 'COLLECTOR_FAILED' && error.message.includes('BUILDKITE_BUILD_URL') && !error.message.includes('passwd'),
    );
  });

  test('no secret from the environment reaches the facts', async () => {
    const env = { BUILDKITE_REPO: `https://x-access-token:${FAKE_GIT_PASSWORD}@github.com/acme-corp/awesome-logger.git` };
    const facts = await collect(env);
    const out = JSON.stringify(facts);
    for (const secret of FAKE_SECRETS) assert.ok(!out.includes(secret));
    assert.ok(!out.includes('x-access-token'));
    assert.equal(facts.repository, 'https://github.com/acme-corp/awesome-logger.git');
  });
});
