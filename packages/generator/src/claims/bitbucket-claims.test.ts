// The Bitbucket Pipelines profile end to end through generateProvenance: BITBUCKET_STEP_OIDC_TOKEN
// minted by a local issuer standing in for the workspace's issuer (fixedIssuerFetch).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isProvenantError } from '@provenant/core';
import { BITBUCKET_ENV } from '../collectors/testing/ci-env.ts';
import { type GeneratedProvenance, generateProvenance } from '../generate.ts';
import { fakeContext } from '../testing/fake-context.ts';
import type { ProvenantFieldSources } from './field-sources.ts';
import { fixedIssuerFetch } from './testing/fixed-issuer-fetch.ts';
import { type LocalIssuer, startLocalIssuer } from './testing/local-issuer.ts';

const NOW = new Date('2026-03-04T05:06:07Z');
const ISSUER = 'https://api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc';
const WORKSPACE_UUID = '{e2b9cba7-4ecf-452c-bb1c-87add4084c99}';
let issuer: LocalIssuer;
let dir: string;

/** A branch step's claims as "Integrate Pipelines with resource servers using OIDC" lists them. */
const CLAIMS = {
  iss: ISSUER,
  aud: `ari:cloud:bitbucket::workspace/${WORKSPACE_UUID}`,
  sub: `${BITBUCKET_ENV['BITBUCKET_REPO_UUID']}:${BITBUCKET_ENV['BITBUCKET_STEP_UUID']}`,
  workspaceUuid: WORKSPACE_UUID,
  repositoryUuid: BITBUCKET_ENV['BITBUCKET_REPO_UUID'],
  pipelineUuid: BITBUCKET_ENV['BITBUCKET_PIPELINE_UUID'],
  stepUuid: BITBUCKET_ENV['BITBUCKET_STEP_UUID'],
  branchName: 'main',
};

before(async () => {
  issuer = await startLocalIssuer({ now: () => NOW });
  dir = await mkdtemp(join(tmpdir(), 'provenant-bitbucket-claims-'));
});
after(async () => {
  await issuer.close();
  await rm(dir, { recursive: true, force: true });
});

function generate(env: Record<string, string>): Promise<GeneratedProvenance> {
  return generateProvenance({
    context: fakeContext({ env, cwd: dir, now: NOW }),
    subjects: { digests: [`app.tgz@sha256:${'1'.repeat(64)}`] },
    dependencies: false,
    oidc: { env, fetch: fixedIssuerFetch(issuer, ISSUER), exec: async () => ({ code: null, stdout: '', stderr: '' }), now: () => NOW, sleep: async () => undefined },
  });
}

function sourcesOf(g: GeneratedProvenance, field: string): unknown {
  const metadata = (g.statement.predicate as { runDetails: { metadata: Record<string, unknown> } }).runDetails.metadata;
  return (metadata['provenant_fieldSources'] as ProvenantFieldSources).fields.find((e) => e.field === field)?.sources;
}

describe('Bitbucket Pipelines claims', () => {
  test('a verified step token (default workspace audience) marks the fields it states signed-claim', async () => {
    const g = await generate({ ...BITBUCKET_ENV, BITBUCKET_STEP_OIDC_TOKEN: issuer.mint(CLAIMS) });
    assert.deepEqual(g.claims, { status: 'verified', issuer: ISSUER, audience: CLAIMS.aud });
    assert.deepEqual(sourcesOf(g, 'buildDefinition.externalParameters.source.ref'), [{ kind: 'signed-claim', claim: 'branchName' }]);
    assert.deepEqual(sourcesOf(g, 'buildDefinition.internalParameters.platformIds.step_uuid'), [{ kind: 'signed-claim', claim: 'stepUuid' }]);
    assert.deepEqual(sourcesOf(g, 'buildDefinition.internalParameters.platformIds.workspace_uuid'), [{ kind: 'signed-claim', claim: 'workspaceUuid' }]);
    assert.deepEqual(sourcesOf(g, 'buildDefinition.externalParameters.source.commit'), [{ kind: 'environment', variable: 'BITBUCKET_COMMIT' }]);
    assert.ok(!/eyJ[A-Za-z0-9_-]{10,}\.eyJ/.test(g.payload.toString('utf8')), 'no JWT in the statement');
  });

  test('a custom audience `provenant` is accepted too', async () => {
    const g = await generate({ ...BITBUCKET_ENV, BITBUCKET_STEP_OIDC_TOKEN: issuer.mint({ ...CLAIMS, aud: 'provenant' }) });
    assert.equal(g.claims.status === 'verified' && g.claims.audience, 'provenant');
  });

  test('a default audience that names another workspace than the token\'s workspaceUuid: not used', async () => {
    const g = await generate({ ...BITBUCKET_ENV, BITBUCKET_STEP_OIDC_TOKEN: issuer.mint({ ...CLAIMS, aud: 'ari:cloud:bitbucket::workspace/{00000000-0000-4000-8000-000000000000}' }) });
    assert.equal(g.claims.status === 'not-verified' && g.claims.reason, 'audience-mismatch');
  });

  test('BITBUCKET_BRANCH changed after the platform set it: CLAIM_CONTRADICTION', async () => {
    await assert.rejects(generate({ ...BITBUCKET_ENV, BITBUCKET_BRANCH: 'release', BITBUCKET_STEP_OIDC_TOKEN: issuer.mint(CLAIMS) }), (err) => {
      assert.ok(isProvenantError(err));
      assert.equal(err.code, 'CLAIM_CONTRADICTION');
      assert.match(err.message, /source\.ref \(environment BITBUCKET_BRANCH; signed claim branchName\)/);
      return true;
    });
  });

  test('a token from another workspace\'s issuer is not used', async () => {
    const other = 'https://api.bitbucket.org/2.0/workspaces/mallory/pipelines-config/identity/oidc';
    const g = await generate({ ...BITBUCKET_ENV, BITBUCKET_BRANCH: 'release', BITBUCKET_STEP_OIDC_TOKEN: issuer.mint({ ...CLAIMS, iss: other }) });
    assert.equal(g.claims.status === 'not-verified' && g.claims.reason, 'issuer-mismatch');
    assert.deepEqual(sourcesOf(g, 'buildDefinition.externalParameters.source.ref'), [{ kind: 'environment', variable: 'BITBUCKET_BRANCH' }]);
  });

  test('a step without `oidc: true`: unavailable, saying what to add', async () => {
    const env: Record<string, string> = { ...BITBUCKET_ENV };
    delete env['BITBUCKET_STEP_OIDC_TOKEN'];
    const g = await generate(env);
    assert.equal(g.claims.status === 'unavailable' && g.claims.reason, 'no-token');
    assert.match(g.claims.status === 'unavailable' ? g.claims.message : '', /oidc: true/);
  });
});
