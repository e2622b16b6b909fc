import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isProvenantError } from '@provenant/core';
import { fakeContext } from '../testing/fake-context.ts';
import { azurePipelinesCollector } from './azure-pipelines.ts';
import { AZURE_PIPELINES_ENV, envWith, FAKE_SECRETS } from './testing/ci-env.ts';

const collect = (overrides: Record<string, string | undefined> = {}) =>
  azurePipelinesCollector.collect(fakeContext({ env: envWith(AZURE_PIPELINES_ENV, overrides) }));

const RESULTS = 'https://dev.azure.com/fabrikam/Widget%20Platform/_build/results';

describe('azurePipelinesCollector.detect', () => {
  const cases: Array<[string, Record<string, string>, boolean]> = [
    ['TF_BUILD=True', { TF_BUILD: 'True' }, true],
    ['TF_BUILD=true', { TF_BUILD: 'true' }, true],
    ['TF_BUILD=False', { TF_BUILD: 'False' }, false],
    ['CI alone', { CI: 'true' }, false],
  ];
  for (const [label, env, expected] of cases) {
    test(`${label} -> ${expected}`, async () => assert.equal(await azurePipelinesCollector.detect(fakeContext({ env })), expected));
  }
});

describe('azurePipelinesCollector.collect', () => {
  test('tag build of a GitHub repository on a Microsoft-hosted agent', async () => {
    assert.deepEqual(await collect(), {
      platform: 'azure-pipelines',
      builderId: 'https://github.com/microsoft/azure-pipelines-agent/microsoft-hosted',
      invocationId: `${RESULTS}?buildId=1430&view=logs&j=12f1170f-54f2-53f3-20dd-22fc7dff55f9&attempt=1`,
      triggerEvent: 'IndividualCI',
      runnerKind: 'hosted',
      repository: 'https://github.com/acme/widget',
      ref: 'refs/tags/v2.0.0',
      commit: 'ce9a3c1404e8c91be604088670e93434c4253f03',
      platformIds: {
        build_id: '1430',
        build_number: '20250105.3',
        collection_id: '6c6f3423-1c84-4625-995a-f7f143a1e43d',
        definition_id: '17',
        job_attempt: '1',
        job_id: '12f1170f-54f2-53f3-20dd-22fc7dff55f9',
        project_id: '0f3c1a4e-7b2d-4c9e-8a1f-2b3c4d5e6f70',
        repository_id: 'acme/widget',
        stage_attempt: '1',
      },
    });
  });

  const runners: Array<[string | undefined, string, string | undefined]> = [
    ['0', 'https://github.com/microsoft/azure-pipelines-agent/microsoft-hosted', 'hosted'],
    ['1', 'https://github.com/microsoft/azure-pipelines-agent/self-hosted', 'self-hosted'],
    [undefined, 'https://github.com/microsoft/azure-pipelines-agent', undefined],
    ['True', 'https://github.com/microsoft/azure-pipelines-agent', undefined],
  ];
  for (const [selfHosted, builderId, runnerKind] of runners) {
    test(`AGENT_ISSELFHOSTED=${selfHosted ?? '(unset)'}`, async () => {
      const facts = await collect({ AGENT_ISSELFHOSTED: selfHosted });
      assert.equal(facts.builderId, builderId);
      assert.equal(facts.runnerKind, runnerKind);
      assert.equal('runnerKind' in facts, runnerKind !== undefined);
    });
  }

  test('retried job: a new attempt and job id, so a new invocation id', async () => {
    const facts = await collect({ SYSTEM_JOBATTEMPT: '2', SYSTEM_JOBID: '5a7e0c1d-2b3c-4d5e-8f90-a1b2c3d4e5f6' });
    assert.equal(facts.invocationId, `${RESULTS}?buildId=1430&view=logs&j=5a7e0c1d-2b3c-4d5e-8f90-a1b2c3d4e5f6&attempt=2`);
    assert.equal(facts.platformIds.job_attempt, '2');
  });

  test('pull request build (branch policy, Azure Repos): merge ref, reason, ids; the org user name dropped from the URI', async () => {
    const facts = await collect({
      BUILD_REASON: 'PullRequest',
      BUILD_SOURCEBRANCH: 'refs/pull/17/merge',
      BUILD_SOURCEBRANCHNAME: 'merge',
      BUILD_REPOSITORY_PROVIDER: 'TfsGit',
      BUILD_REPOSITORY_ID: '2f3e4d5c-6b7a-4890-8a1b-2c3d4e5f6a7b',
      BUILD_REPOSITORY_URI: 'https://fabrikam@dev.azure.com/fabrikam/Widget%20Platform/_git/widget',
      SYSTEM_PULLREQUEST_PULLREQUESTID: '17',
      SYSTEM_PULLREQUEST_SOURCEBRANCH: 'refs/heads/users/raisa/new-feature',
      SYSTEM_PULLREQUEST_TARGETBRANCH: 'refs/heads/main',
    });
    assert.equal(facts.triggerEvent, 'PullRequest');
    assert.equal(facts.ref, 'refs/pull/17/merge');
    assert.equal(facts.repository, 'https://dev.azure.com/fabrikam/Widget%20Platform/_git/widget');
    assert.equal(facts.platformIds.pull_request_id, '17');
  });

  test('TFVC: no git ref, commit or repository', async () => {
    const facts = await collect({
      BUILD_REPOSITORY_PROVIDER: 'TfsVersionControl',
      BUILD_REPOSITORY_URI: 'https://dev.azure.com/fabrikam/',
      BUILD_SOURCEBRANCH: '$/Widget Platform/main',
      BUILD_SOURCEVERSION: '1234',
    });
    for (const key of ['ref', 'commit', 'repository']) assert.equal(key in facts, false, key);
  });

  test('Azure DevOps Server: collection URL with a virtual directory', async () => {
    const facts = await collect({ SYSTEM_COLLECTIONURI: 'https://tfs.example.com/tfs/DefaultCollection/', SYSTEM_TEAMPROJECT: 'Widget' });
    assert.ok(facts.invocationId.startsWith('https://tfs.example.com/tfs/DefaultCollection/Widget/_build/results?buildId=1430&'));
  });

  for (const name of ['SYSTEM_COLLECTIONURI', 'SYSTEM_TEAMPROJECT', 'BUILD_BUILDID', 'SYSTEM_JOBID', 'SYSTEM_JOBATTEMPT']) {
    test(`COLLECTOR_FAILED without ${name}, naming it`, async () => {
      await assert.rejects(collect({ [name]: undefined }), (error) => isProvenantError(error) && error.code === 'COLLECTOR_FAILED' && error.message.includes(name));
    });
  }

  test('no secret from the environment reaches the facts (System.AccessToken mapped, token in the repository URI)', async () => {
    const facts = await collect({ BUILD_REPOSITORY_URI: `https://build:${AZURE_PIPELINES_ENV.SYSTEM_ACCESSTOKEN}@dev.azure.com/fabrikam/_git/widget` });
    const out = JSON.stringify(facts);
    for (const secret of FAKE_SECRETS) assert.ok(!out.includes(secret));
    assert.equal(facts.repository, 'https://dev.azure.com/fabrikam/_git/widget');
  });
});
